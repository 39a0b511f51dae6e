using System.Text.Json.Serialization;

namespace MfaReset.Okta.Wire;

// Okta's JSON as documented, reduced to the fields the portal reads. Statuses and results stay strings
// here and are mapped by WireMapping, so values Okta adds later cannot break parsing.

internal sealed record UserWire(string? Id, string? Status, DateTimeOffset? PasswordChanged, UserProfileWire? Profile, UserCredentialsWire? Credentials)
{
    public DateTimeOffset? StatusChanged { get; init; }

    public DateTimeOffset? LastLogin { get; init; }
}

internal sealed record UserProfileWire(string? Login, string? Email, string? FirstName = null, string? LastName = null)
{
    public string? SecondEmail { get; init; }

    /// <summary>The profile's <c>timezone</c>: an IANA zone name such as <c>America/Los_Angeles</c>.</summary>
    public string? Timezone { get; init; }
}

internal sealed record UserCredentialsWire(ProviderWire? Provider);

internal sealed record ProviderWire(string? Type);

internal sealed record RoleWire(string? Type, string? Status, string? AssignmentType);

internal sealed record FactorWire(string? Id, string? FactorType, string? Provider, string? Status, FactorProfileWire? Profile);

/// <summary><c>phoneNumber</c> for sms and call; <c>name</c> is the device name for push.</summary>
internal sealed record FactorProfileWire(string? PhoneNumber, string? Name, string? Email);

internal sealed record VerifyResultWire(
    string? FactorResult,
    DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("_links")] VerifyLinksWire? Links,
    [property: JsonPropertyName("_embedded")] VerifyEmbeddedWire? Embedded);

internal sealed record VerifyLinksWire(LinkWire? Poll);

internal sealed record LinkWire(string? Href);

internal sealed record VerifyEmbeddedWire(ChallengeWire? Challenge);

internal sealed record ChallengeWire(int? CorrectAnswer);

internal sealed record ErrorWire(string? ErrorCode, string? ErrorSummary, string? ErrorId, IReadOnlyList<ErrorCauseWire>? ErrorCauses);

internal sealed record ErrorCauseWire(string? ErrorSummary, string? Reason, string? LocationType, string? Location, string? Domain);

internal sealed record PasscodeRequestWire(string PassCode);


internal sealed record PushRequestWire(bool UseNumberMatchingChallenge);

internal sealed record SetPasswordRequestWire(PasswordCredentialsWire Credentials);

internal sealed record PasswordCredentialsWire(PasswordValueWire Password);

internal sealed record PasswordValueWire(string Value);

internal sealed record GroupWire(string? Id, GroupProfileWire? Profile)
{
    public string? Type { get; init; }
}

/// <summary><c>GET /api/v1/iam/assignees/users</c>: one page of users holding a role directly, and the next page's link.</summary>
internal sealed record RoleAssignedUsersWire(IReadOnlyList<IdWire?>? Value, [property: JsonPropertyName("_links")] NextLinkWire? Links);

internal sealed record NextLinkWire(HrefWire? Next);

internal sealed record HrefWire(string? Href);

/// <summary>Anything of which only the id is read (a group's member).</summary>
internal sealed record IdWire(string? Id);

internal sealed record GroupProfileWire(string? Name);

internal sealed record PolicyWire(
    string? Id,
    string? Type,
    string? Status,
    string? Name,
    int? Priority,
    bool? System,
    PolicyConditionsWire? Conditions,
    PolicySettingsWire? Settings);

internal sealed record PolicyConditionsWire(PeopleConditionWire? People, AuthProviderConditionWire? AuthProvider, NetworkConditionWire? Network);

internal sealed record NetworkConditionWire(string? Connection, IReadOnlyList<string?>? Include, IReadOnlyList<string?>? Exclude);

internal sealed record NetworkZoneWire(string? Id, string? Type, string? Status, string? Name, IReadOnlyList<ZoneAddressWire?>? Gateways);

internal sealed record ZoneAddressWire(string? Type, string? Value);

internal sealed record AuthProviderConditionWire(string? Provider);

internal sealed record PeopleConditionWire(IncludeExcludeWire? Groups, IncludeExcludeWire? Users);

internal sealed record IncludeExcludeWire(IReadOnlyList<string?>? Include, IReadOnlyList<string?>? Exclude);

internal sealed record PolicySettingsWire(PasswordSettingsWire? Password, RecoverySettingsWire? Recovery);

internal sealed record PasswordSettingsWire(ComplexityWire? Complexity, AgeWire? Age);

internal sealed record ComplexityWire(
    int? MinLength,
    int? MinLowerCase,
    int? MinUpperCase,
    int? MinNumber,
    int? MinSymbol,
    bool? ExcludeUsername,
    IReadOnlyList<string?>? ExcludeAttributes,
    DictionaryWire? Dictionary);

internal sealed record DictionaryWire(CommonDictionaryWire? Common);

internal sealed record CommonDictionaryWire(bool? Exclude);

internal sealed record AgeWire(int? HistoryCount, int? MinAgeMinutes);

internal sealed record RecoverySettingsWire(IReadOnlyDictionary<string, RecoveryFactorWire?>? Factors);

internal sealed record RecoveryFactorWire(string? Status);

internal sealed record PolicyRuleWire(
    string? Id,
    string? Type,
    string? Status,
    string? Name,
    int? Priority,
    PolicyConditionsWire? Conditions,
    RuleActionsWire? Actions);

internal sealed record RuleActionsWire(SelfServiceWire? SelfServicePasswordReset, SelfServiceWire? SelfServiceUnlock);

internal sealed record SelfServiceWire(string? Access, RequirementWire? Requirement);

internal sealed record RequirementWire(string? AccessControl, MethodsWire? Primary, StepUpWire? StepUp);

internal sealed record MethodsWire(IReadOnlyList<string?>? Methods, IReadOnlyList<MethodConstraintWire?>? MethodConstraints);

internal sealed record MethodConstraintWire(string? Method, IReadOnlyList<AuthenticatorIdentityWire?>? AllowedAuthenticators);

internal sealed record AuthenticatorIdentityWire(string? Key, string? Id);

internal sealed record StepUpWire(bool? Required, IReadOnlyList<string?>? Methods);
