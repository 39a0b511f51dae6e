namespace MfaReset.Web.Hosting;

/// <summary>Whether the portal talks to the Okta sandbox (embedded or standalone), and where its phone simulator is.</summary>
public sealed class SandboxInfo
{
    public static SandboxInfo None { get; } = new(SandboxMode.None);

    /// <summary>The simulator's stable address on the portal.</summary>
    public const string PhonePath = "/sandbox/phone";

    public SandboxInfo(SandboxMode mode) => Mode = mode;

    public SandboxMode Mode { get; }

    /// <summary>The pages show the sandbox banner and its simulator link.</summary>
    public bool IsSandbox => Mode != SandboxMode.None;

    /// <summary>The simulator page; set once the embedded sandbox has started, before the first request (standalone: from the start).</summary>
    public Uri? PhoneSimulatorUrl { get; internal set; }

    /// <summary>The embedded sandbox's phone and inbox, once it has started; null otherwise (the demo's notices are delivered here).</summary>
    public MfaReset.Okta.Sandbox.Control.ISandboxControl? Control { get; internal set; }
}
