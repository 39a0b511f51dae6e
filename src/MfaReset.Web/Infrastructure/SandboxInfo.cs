namespace MfaReset.Web.Infrastructure;

/// <summary>Whether the portal talks to the embedded Okta sandbox, and where its phone simulator is.</summary>
/// <param name="PhoneSimulatorUrl">The simulator page; null when a real Okta org is configured.</param>
public sealed record SandboxInfo(Uri? PhoneSimulatorUrl)
{
    public static SandboxInfo None { get; } = new((Uri?)null);

    public bool IsSandbox => PhoneSimulatorUrl is not null;
}
