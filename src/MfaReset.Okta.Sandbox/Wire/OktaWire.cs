using System.Text.Json.Serialization;

namespace MfaReset.Okta.Sandbox.Wire;

// The sandbox's own records of Okta's JSON, shaped after the fixtures in shared/okta-contract. They are
// deliberately not shared with MfaReset.Okta: if both sides used one set of types, a wrong field name
// would be agreed on by both and no test would notice.

/// <summary>Okta's error envelope.</summary>
internal sealed record ErrorBody(
    string ErrorCode,
    string ErrorSummary,
    string ErrorLink,
    string ErrorId,
    IReadOnlyList<ErrorCause> ErrorCauses);

/// <summary>One <c>errorCauses</c> entry; the optional fields are those of the field-level password errors.</summary>
internal sealed record ErrorCause(
    string ErrorSummary,
    string? Reason = null,
    string? Location = null,
    string? LocationType = null,
    string? Domain = null);

/// <summary>
/// A HAL link. Factor links carry <c>hints.allow</c>; a user's operation links carry <c>method</c> instead, as in
/// the spec's user examples (e.g. <c>APIDevicesListAllUsersResponse</c>).
/// </summary>
internal sealed record Link(string Href, LinkHints? Hints = null, string? Name = null, string? Method = null);

/// <summary>The HTTP methods a link allows.</summary>
internal sealed record LinkHints(IReadOnlyList<string> Allow);

/// <summary>An empty JSON object, <c>{}</c>.</summary>
internal sealed record EmptyObject;

/// <summary>A user.</summary>
internal sealed record UserBody(
    string Id,
    string Status,
    DateTimeOffset Created,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? Activated,
    DateTimeOffset StatusChanged,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LastLogin,
    DateTimeOffset LastUpdated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? PasswordChanged,
    UserTypeRef Type,
    UserProfile Profile,
    UserCredentials Credentials,
    [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, Link> Links);

/// <summary><c>type</c>: the user type whose schema the profile follows (the org's default type).</summary>
internal sealed record UserTypeRef(string Id);

/// <summary>
/// The profile attributes the sandbox keeps. Okta writes an unset <c>mobilePhone</c> and <c>secondEmail</c> as
/// null rather than leaving them out (the spec's listUsers and createUser examples), so these two are never omitted.
/// </summary>
internal sealed record UserProfile(
    string FirstName,
    string LastName,
    string DisplayName,
    string Email,
    string Login,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? MobilePhone,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SecondEmail = null);

/// <summary><c>credentials</c>: the password is never echoed, only an empty object says one is set.</summary>
internal sealed record UserCredentials(
    EmptyObject? Password,
    [property: JsonPropertyName("recovery_question")] RecoveryQuestion? RecoveryQuestion,
    IReadOnlyList<CredentialEmail> Emails,
    CredentialsProvider Provider);

/// <summary>One <c>credentials.emails</c> entry: the primary email, verified (the spec's listUsers example).</summary>
internal sealed record CredentialEmail(string Value, string Status, string Type);

/// <summary>The recovery question's text (the answer is write-only).</summary>
internal sealed record RecoveryQuestion(string Question);

/// <summary>Where the user's password lives.</summary>
internal sealed record CredentialsProvider(string Type, string Name);

/// <summary>One administrator role assignment of a user.</summary>
internal sealed record RoleBody(
    string Id,
    string Label,
    string Type,
    string Status,
    DateTimeOffset Created,
    DateTimeOffset LastUpdated,
    string AssignmentType,
    [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, Link> Links);

/// <summary>An enrolled factor.</summary>
internal sealed record FactorBody(
    string Id,
    string FactorType,
    string Provider,
    string VendorName,
    string Status,
    DateTimeOffset Created,
    DateTimeOffset LastUpdated,
    FactorProfile Profile,
    [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, Link> Links);

/// <summary>The union of the factor profile fields of the kinds the sandbox enrolls; absent ones are omitted.</summary>
internal sealed record FactorProfile(
    string? PhoneNumber = null,
    string? PhoneExtension = null,
    string? CredentialId = null,
    string? DeviceType = null,
    string? Name = null,
    string? Platform = null,
    string? Version = null,
    string? Question = null,
    string? QuestionText = null,
    string? Email = null);

/// <summary>A verify answer (200 or 201) and a push transaction poll answer.</summary>
internal sealed record VerifyBody(
    DateTimeOffset? ExpiresAt,
    string FactorResult,
    FactorProfile? Profile = null,
    [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, Link>? Links = null,
    [property: JsonPropertyName("_embedded")] VerifyEmbedded? Embedded = null);

/// <summary><c>_embedded</c> of a number-matching push.</summary>
internal sealed record VerifyEmbedded(NumberChallenge Challenge);

/// <summary>The number the person must pick on their phone.</summary>
internal sealed record NumberChallenge(int CorrectAnswer);

/// <summary>The body of <c>POST .../verify</c>: all fields optional.</summary>
internal sealed record VerifyRequest(string? PassCode, string? Answer, bool? UseNumberMatchingChallenge);

/// <summary>The body of <c>POST /api/v1/users/{id}</c>; the sandbox acts on the password only.</summary>
internal sealed record UpdateUserRequest(UpdateUserCredentials? Credentials, System.Text.Json.JsonElement? Profile);

/// <summary><c>credentials</c> of an update.</summary>
internal sealed record UpdateUserCredentials(PasswordValue? Password);

/// <summary><c>credentials.password</c> of an update.</summary>
internal sealed record PasswordValue(string? Value);
