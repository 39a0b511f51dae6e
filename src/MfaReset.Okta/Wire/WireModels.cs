using System.Text.Json.Serialization;

namespace MfaReset.Okta.Wire;

// Okta's JSON as documented, reduced to the fields the portal reads. Statuses and results stay strings
// here and are mapped by WireMapping, so values Okta adds later cannot break parsing.

internal sealed record UserWire(string? Id, string? Status, DateTimeOffset? PasswordChanged, UserProfileWire? Profile, UserCredentialsWire? Credentials);

internal sealed record UserProfileWire(string? Login, string? Email, string? FirstName = null, string? LastName = null);

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

internal sealed record AnswerRequestWire(string Answer);

internal sealed record PushRequestWire(bool UseNumberMatchingChallenge);

internal sealed record SetPasswordRequestWire(PasswordCredentialsWire Credentials);

internal sealed record PasswordCredentialsWire(PasswordValueWire Password);

internal sealed record PasswordValueWire(string Value);
