namespace MfaReset.Okta;

/// <summary>What the portal needs of an Okta user.</summary>
/// <param name="Id">Okta's user id.</param>
/// <param name="Status">The lifecycle status; <see cref="OktaUserStatus.Unknown"/> for values added later.</param>
/// <param name="Login">The profile login.</param>
/// <param name="Email">The profile email, if any.</param>
/// <param name="CredentialsProviderType"><c>credentials.provider.type</c> (<c>OKTA</c>, <c>ACTIVE_DIRECTORY</c>, <c>LDAP</c>, <c>FEDERATION</c>, ...), if present.</param>
/// <param name="PasswordChanged">
/// <c>passwordChanged</c>: when the password was last set, on Okta's clock; null when Okta sends none (no
/// password yet). Lets a caller tell whether a password change whose answer was lost took effect.
/// </param>
public sealed record OktaUser(string Id, OktaUserStatus Status, string Login, string? Email, string? CredentialsProviderType, DateTimeOffset? PasswordChanged)
{
    /// <summary>The profile's <c>firstName</c>, if any: a new password must not contain it.</summary>
    public string? FirstName { get; init; }

    /// <summary>The profile's <c>lastName</c>, if any: a new password must not contain it.</summary>
    public string? LastName { get; init; }
}

/// <summary>Okta user lifecycle statuses.</summary>
public enum OktaUserStatus
{
    /// <summary>A value this client does not know.</summary>
    Unknown,
    Staged,
    Provisioned,
    Active,
    Recovery,
    PasswordExpired,
    LockedOut,
    Suspended,
    Deprovisioned,
}

/// <summary>An enrolled factor.</summary>
/// <param name="Id">Okta's factor id.</param>
/// <param name="FactorType">The raw <c>factorType</c> (<c>sms</c>, <c>call</c>, <c>push</c>, <c>token:software:totp</c>, ...).</param>
/// <param name="Provider">The raw <c>provider</c> (<c>OKTA</c>, <c>GOOGLE</c>, ...).</param>
/// <param name="Status">The factor status; <see cref="OktaFactorStatus.Unknown"/> for values added later.</param>
/// <param name="Kind">What the portal can do with it.</param>
/// <param name="PhoneNumber">For sms and call factors: the enrolled phone number.</param>
/// <param name="DeviceName">For push factors: the device name, if Okta gave one.</param>
public sealed record OktaFactor(
    string Id,
    string FactorType,
    string Provider,
    OktaFactorStatus Status,
    FactorKind Kind,
    string? PhoneNumber,
    string? DeviceName);

/// <summary>Okta factor statuses.</summary>
public enum OktaFactorStatus
{
    /// <summary>A value this client does not know.</summary>
    Unknown,
    Active,
    PendingActivation,
    Enrolled,
    NotSetup,
    Inactive,
    Expired,
    Disabled,
}

/// <summary>The factor kinds the portal can verify, by <c>factorType</c> and <c>provider</c>.</summary>
public enum FactorKind
{
    /// <summary>Any other type/provider pair (email, question, hardware tokens, WebAuthn, FastPass, ...).</summary>
    Unsupported,

    /// <summary><c>sms</c> / <c>OKTA</c>.</summary>
    Sms,

    /// <summary><c>call</c> / <c>OKTA</c>.</summary>
    Call,

    /// <summary><c>push</c> / <c>OKTA</c> (Okta Verify push).</summary>
    OktaVerifyPush,

    /// <summary><c>token:software:totp</c> / <c>OKTA</c> (Okta Verify code).</summary>
    OktaVerifyTotp,

    /// <summary><c>token:software:totp</c> / <c>GOOGLE</c> (Google Authenticator).</summary>
    GoogleAuthenticator,
}
