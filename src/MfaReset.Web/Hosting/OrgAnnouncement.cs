namespace MfaReset.Web.Hosting;

/// <summary>
/// One start-up line that says which Okta this portal talks to and in which environment, so an operator can
/// tell a real org from the emulator at a glance. It names the org's host only: never the token or a key.
/// </summary>
internal sealed partial class OrgAnnouncement(string? orgUrl, SandboxMode mode, string environmentName, ILogger logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var host = Uri.TryCreate(orgUrl, UriKind.Absolute, out var url) ? url.Authority : "(not a URL)";
        var target = mode switch
        {
            SandboxMode.Embedded => "the embedded Okta sandbox (demo users, not a real org)",
            SandboxMode.Standalone => "the standalone Okta sandbox (demo users, not a real org)",
            _ => "an Okta org",
        };
        Log.OktaOrg(logger, host, target, environmentName);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1304, LogLevel.Information, "Okta org: {OktaOrgHost}, {OktaTarget}; environment: {EnvironmentName}")]
        public static partial void OktaOrg(ILogger logger, string oktaOrgHost, string oktaTarget, string environmentName);
    }
}
