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

    /// <summary>The profile's <c>secondEmail</c>, if set: change notices go there too.</summary>
    public string? SecondEmail { get; init; }

    /// <summary>The profile's <c>timezone</c> (an IANA name), if set: change notices give times in it.</summary>
    public string? TimeZone { get; init; }

    /// <summary><c>statusChanged</c>: when the lifecycle status last changed (an unlock, say), on Okta's clock; null when Okta sends none.</summary>
    public DateTimeOffset? StatusChanged { get; init; }

    /// <summary><c>lastLogin</c>: the person's last successful sign-in to Okta, on Okta's clock; null when they never signed in.</summary>
    public DateTimeOffset? LastLogin { get; init; }

    /// <summary>
    /// The <c>ETag</c> Okta answered the read with: this version of the user, to send back in <c>If-Match</c>
    /// so a write applies only to it. Null when the answer carried none (or a list held the user).
    /// </summary>
    public OktaEntityTag? ETag { get; init; }

    /// <summary>
    /// The newest of <see cref="LastLogin"/>, <see cref="PasswordChanged"/> and <see cref="StatusChanged"/>: the
    /// last moment Okta shows the person (or an admin) succeeding with the account, or null when it shows none.
    /// </summary>
    public DateTimeOffset? LastSuccessSeen => new[] { LastLogin, PasswordChanged, StatusChanged }.Max();

    /// <summary>Who holds the password, from <see cref="CredentialsProviderType"/>; Okta's default <c>OKTA</c> when absent.</summary>
    public CredentialsProvider Provider => CredentialsProviderType switch
    {
        null or "OKTA" => CredentialsProvider.Okta,
        "IMPORT" => CredentialsProvider.Import,
        "ACTIVE_DIRECTORY" => CredentialsProvider.ActiveDirectory,
        "LDAP" => CredentialsProvider.Ldap,
        "FEDERATION" => CredentialsProvider.Federation,
        "SOCIAL" => CredentialsProvider.Social,
        _ => CredentialsProvider.Unknown,
    };
}

/// <summary>
/// An HTTP entity tag (RFC 9110 8.8.3) as Okta sent it in <c>ETag</c>: <paramref name="OpaqueTag"/> with its quotes,
/// and whether it is weak (<c>W/</c>, as Okta's documented example <c>W/"1234567890abcdef"</c>).
/// </summary>
/// <param name="OpaqueTag">The quoted opaque tag, e.g. <c>"1234567890abcdef"</c>.</param>
/// <param name="IsWeak">Whether the tag came with the <c>W/</c> prefix.</param>
public sealed record OktaEntityTag(string OpaqueTag, bool IsWeak)
{
    /// <summary>The tag as an <c>ETag</c> or <c>If-Match</c> header writes it.</summary>
    public string HeaderValue => IsWeak ? "W/" + OpaqueTag : OpaqueTag;
}

/// <summary><c>credentials.provider.type</c>: where the user's password lives, if they have one.</summary>
public enum CredentialsProvider
{
    /// <summary>A value this client does not know.</summary>
    Unknown,

    /// <summary><c>OKTA</c>: Okta holds the password.</summary>
    Okta,

    /// <summary><c>IMPORT</c>: imported (for example with a hashed password); Okta holds the password since.</summary>
    Import,

    /// <summary><c>ACTIVE_DIRECTORY</c>: the password lives in Active Directory, reached through Okta's AD agent.</summary>
    ActiveDirectory,

    /// <summary><c>LDAP</c>: the password lives in an LDAP directory, reached through Okta's LDAP agent.</summary>
    Ldap,

    /// <summary><c>FEDERATION</c>: the user signs in at an identity provider; Okta holds no password.</summary>
    Federation,

    /// <summary><c>SOCIAL</c>: the user signs in with a social identity provider; Okta holds no password.</summary>
    Social,
}

/// <summary>An administrator role assigned to a user, directly or through a group.</summary>
/// <param name="Type">The role type (<c>SUPER_ADMIN</c>, <c>ORG_ADMIN</c>, <c>HELP_DESK_ADMIN</c>, <c>CUSTOM</c>, ...).</param>
/// <param name="Status">The assignment status (<c>ACTIVE</c>, ...), if given.</param>
/// <param name="AssignmentType"><c>USER</c> or <c>GROUP</c>, if given.</param>
public sealed record OktaRole(string Type, string? Status, string? AssignmentType);

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
    string? DeviceName)
{
    /// <summary>For email factors: the enrolled email address (<c>profile.email</c>).</summary>
    public string? Email { get; init; }
}

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
    /// <summary>Any other type/provider pair (question, hardware tokens, WebAuthn, FastPass, ...).</summary>
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

    /// <summary><c>email</c> / <c>OKTA</c> (a code by email).</summary>
    Email,
}
