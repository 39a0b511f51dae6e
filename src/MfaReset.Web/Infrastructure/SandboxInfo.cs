namespace MfaReset.Web.Infrastructure;

/// <summary>Whether the portal talks to the embedded Okta sandbox, and where its phone simulator is.</summary>
public sealed class SandboxInfo
{
    public static SandboxInfo None { get; } = new(isSandbox: false);

    /// <summary>The simulator's stable address on the portal.</summary>
    public const string PhonePath = "/sandbox/phone";

    public SandboxInfo(bool isSandbox) => IsSandbox = isSandbox;

    public bool IsSandbox { get; }

    /// <summary>The simulator page; set once the embedded sandbox has started, before the first request.</summary>
    public Uri? PhoneSimulatorUrl { get; internal set; }
}
