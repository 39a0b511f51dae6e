namespace MfaReset.Web.Hosting;

/// <summary>Which Okta the portal talks to.</summary>
public enum SandboxMode
{
    /// <summary>A real Okta org (<c>Okta:OrgUrl</c>): nothing of the sandbox runs or shows.</summary>
    None,

    /// <summary>The Okta emulator inside this process, with its published demo users.</summary>
    Embedded,

    /// <summary>The standalone emulator (<c>dotnet run --project src/MfaReset.Okta.Sandbox</c>) at a loopback <c>Okta:OrgUrl</c>.</summary>
    Standalone,
}

/// <summary>The start decision: a mode, or the one line that says why the portal will not start.</summary>
public readonly record struct SandboxStart(SandboxMode Mode, string? Refusal)
{
    public static SandboxStart Run(SandboxMode mode) => new(mode, null);

    public static SandboxStart Refuse(string reason) => new(SandboxMode.None, reason);
}

/// <summary>
/// When the emulator may run. Its demo users and TOTP seeds are published, so it must never answer
/// for a real org by accident: a missing or misspelt <c>Okta:OrgUrl</c> outside Development stops the
/// start instead of quietly serving decoy pages to real people.
/// </summary>
public static class SandboxStartRules
{
    public const string EnabledKey = "Sandbox:Enabled";

    public const string OrgUrlKey = "Okta:OrgUrl";

    /// <summary>
    /// No org: the embedded emulator in Development or with <c>Sandbox:Enabled=true</c>, else a refusal.
    /// An org with <c>Sandbox:Enabled=true</c>: the standalone emulator, which only ever listens on loopback.
    /// </summary>
    public static SandboxStart Decide(string? orgUrl, string? sandboxEnabled, bool isDevelopment)
    {
        bool? enabled = null;
        if (!string.IsNullOrWhiteSpace(sandboxEnabled))
        {
            if (!bool.TryParse(sandboxEnabled, out var value))
            {
                return SandboxStart.Refuse($"{EnabledKey}=\"{sandboxEnabled}\" is neither true nor false.");
            }

            enabled = value;
        }

        if (string.IsNullOrWhiteSpace(orgUrl))
        {
            return enabled ?? isDevelopment
                ? SandboxStart.Run(SandboxMode.Embedded)
                : SandboxStart.Refuse(
                    $"{OrgUrlKey} is not set (environment variable Okta__OrgUrl): set it to your Okta org's URL, "
                    + $"or set {EnabledKey}=true to run the demo emulator with its published demo users.");
        }

        if (enabled is not true)
        {
            return SandboxStart.Run(SandboxMode.None);
        }

        return Uri.TryCreate(orgUrl, UriKind.Absolute, out var url) && url.IsLoopback
            ? SandboxStart.Run(SandboxMode.Standalone)
            : SandboxStart.Refuse(
                $"{EnabledKey}=true says {OrgUrlKey} is the demo emulator, but {orgUrl} is not on this machine: "
                + $"remove {EnabledKey} to use that org, or point {OrgUrlKey} at the sandbox (http://127.0.0.1:PORT).");
    }

    /// <summary>
    /// <c>Benchmark:LongPushWaits</c> keeps pushes and flows alive beyond Okta's 5 minutes for the load driver; it is
    /// accepted against the embedded or standalone sandbox only. Returns the one line that refuses the start, or null.
    /// </summary>
    public static string? BenchmarkRefusal(string? longPushWaits, SandboxMode mode)
    {
        const string key = BenchmarkOptions.LongPushWaitsKey;
        if (string.IsNullOrWhiteSpace(longPushWaits))
        {
            return null;
        }

        if (!bool.TryParse(longPushWaits, out var on))
        {
            return $"{key}=\"{longPushWaits}\" is neither true nor false.";
        }

        return on && mode == SandboxMode.None
            ? $"{key} is the load driver's switch for the Okta sandbox (pushes pending longer than Okta's 5 minutes); remove it to use the Okta org at {OrgUrlKey}."
            : null;
    }
}
