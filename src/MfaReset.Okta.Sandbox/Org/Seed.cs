using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>A user as seeded: never changes; what changes lives in <see cref="OrgUser"/>.</summary>
internal sealed record SeedUser(
    string Id,
    string Login,
    string FirstName,
    string LastName,
    string Status,
    string Description,
    bool IsDemoUser,
    string? MobilePhone,
    DateTimeOffset Created,
    IReadOnlyList<SeedFactor> Factors,
    SeedProvider? Provider = null,
    IReadOnlyList<string>? AdminRoles = null,
    IReadOnlyList<string>? ExtraGroupIds = null)
{
    /// <summary>The groups the user belongs to (<c>listUserGroups</c>): Everyone, and any others seeded.</summary>
    public IReadOnlyList<string> GroupIds => [RecoveryPolicies.EveryoneGroupId, .. ExtraGroupIds ?? []];

    public string DisplayName => $"{FirstName} {LastName}";

    /// <summary><c>credentials.provider</c>: Okta's own by default.</summary>
    public SeedProvider CredentialsProvider => Provider ?? SeedProvider.Okta;

    /// <summary>Administrator role types assigned to the user (<c>listAssignedRolesForUser</c>); none by default.</summary>
    public IReadOnlyList<string> Roles => AdminRoles ?? [];
}

/// <summary>
/// <c>credentials.provider</c>: <c>type</c> and <c>name</c> (for ACTIVE_DIRECTORY and LDAP the directory
/// instance's name). FEDERATION and SOCIAL users have no password in Okta.
/// </summary>
internal sealed record SeedProvider(string Type, string Name)
{
    public static readonly SeedProvider Okta = new("OKTA", "OKTA");

    public bool HasPassword => Type is not ("FEDERATION" or "SOCIAL");
}

/// <summary>An enrolled factor as seeded.</summary>
/// <param name="Id">Okta factor id.</param>
/// <param name="Kind">What kind of factor.</param>
/// <param name="PhoneNumber">SMS and call: E.164 number.</param>
/// <param name="PhoneExtension">Call: extension, if any.</param>
/// <param name="Device">Push: the phone's name, platform, type and OS version.</param>
/// <param name="TotpSecret">TOTP: the shared secret.</param>
/// <param name="Question">Security question: key, text and the (write-only) answer.</param>
/// <param name="Created">Enrollment time.</param>
/// <param name="Email">Email: the address codes are sent to.</param>
internal sealed record SeedFactor(
    string Id,
    SandboxFactorKind Kind,
    DateTimeOffset Created,
    string? PhoneNumber = null,
    string? PhoneExtension = null,
    PushDevice? Device = null,
    TotpSecret? TotpSecret = null,
    SecurityQuestion? Question = null,
    string? Email = null)
{
    public string FactorType => Kind switch
    {
        SandboxFactorKind.Sms => "sms",
        SandboxFactorKind.Call => "call",
        SandboxFactorKind.OktaVerifyPush => "push",
        SandboxFactorKind.OktaVerifyTotp or SandboxFactorKind.GoogleAuthenticator => "token:software:totp",
        SandboxFactorKind.SecurityQuestion => "question",
        SandboxFactorKind.Email => "email",
        _ => throw new InvalidOperationException($"Unknown factor kind {Kind}."),
    };

    public string Provider => Kind == SandboxFactorKind.GoogleAuthenticator ? "GOOGLE" : "OKTA";

    public bool IsTotp => TotpSecret is not null;

    public bool IsPhone => Kind is SandboxFactorKind.Sms or SandboxFactorKind.Call;

    /// <summary>Whether a challenge sends a code (SMS, voice call, email) that the simulator shows.</summary>
    public bool SendsCode => IsPhone || Kind == SandboxFactorKind.Email;

    /// <summary>What the simulator and the control API call it.</summary>
    public string Label => Kind switch
    {
        SandboxFactorKind.Sms => $"SMS to {PhoneNumber}",
        SandboxFactorKind.Call => PhoneExtension is null ? $"Voice call to {PhoneNumber}" : $"Voice call to {PhoneNumber} ext. {PhoneExtension}",
        SandboxFactorKind.OktaVerifyPush => $"Okta Verify push on {Device!.Name}",
        SandboxFactorKind.OktaVerifyTotp => "Okta Verify code",
        SandboxFactorKind.GoogleAuthenticator => "Google Authenticator code",
        SandboxFactorKind.SecurityQuestion => $"Security question: {Question!.Text}",
        SandboxFactorKind.Email => $"Email to {Email}",
        _ => Kind.ToString(),
    };
}

/// <summary>The phone an Okta Verify push goes to.</summary>
internal sealed record PushDevice(string Name, string Platform, string DeviceType, string Version);

/// <summary>A security question; the answer is compared, never returned.</summary>
internal sealed record SecurityQuestion(string Key, string Text, string Answer);
