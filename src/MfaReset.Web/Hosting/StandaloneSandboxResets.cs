using System.Globalization;

namespace MfaReset.Web.Hosting;

/// <summary>
/// With the standalone sandbox (<c>Sandbox:Enabled=true</c> and a loopback <c>Okta:OrgUrl</c>): waits on the
/// sandbox's <c>/simulator/api/resets</c> long poll, and when the simulator's "Reset everything" is pressed,
/// clears the portal's own holds of the demo (<see cref="DemoHolds"/>) and tells the sandbox, whose page
/// then says so. Only the configured org URL is ever called.
/// </summary>
internal sealed partial class StandaloneSandboxResets(Uri orgUrl, IReadOnlyList<string> offeredKinds, DemoHolds holds, ILogger<StandaloneSandboxResets> logger)
    : BackgroundService
{
    // Longer than the sandbox holds a long poll (25 s), so a quiet sandbox is not mistaken for a gone one.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient { BaseAddress = orgUrl, Timeout = RequestTimeout };
        long? seen = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (seen is null)
                {
                    // First contact (or again after the sandbox went away): tell it which methods the pages offer.
                    using var told = await http.PutAsJsonAsync("/simulator/api/portal/factor-kinds", new OfferedKinds(offeredKinds), stoppingToken).ConfigureAwait(false);
                }

                var after = (seen ?? -1).ToString(CultureInfo.InvariantCulture);
                var answer = await http.GetFromJsonAsync<ResetsAnswer>($"/simulator/api/resets?after={after}", stoppingToken).ConfigureAwait(false);
                var resets = answer?.Resets ?? 0;
                // The first answer is where the sandbox stands; a lower number is a restarted sandbox.
                if (seen is { } previous && resets > previous && holds.Clear())
                {
                    using var cleared = await http.PostAsync(
                        new Uri($"/simulator/api/resets/{resets.ToString(CultureInfo.InvariantCulture)}/portal-cleared", UriKind.Relative), null, stoppingToken).ConfigureAwait(false);
                }

                seen = resets;
            }
            catch (Exception failure) when (failure is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                Log.SandboxUnreachable(logger, orgUrl, failure.Message);
                seen = null;
                await Task.Delay(RetryAfterFailure, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private sealed record ResetsAnswer(long Resets);

    private sealed record OfferedKinds(IReadOnlyList<string> FactorKinds);

    private static partial class Log
    {
        [LoggerMessage(1305, LogLevel.Debug, "The standalone Okta sandbox at {OrgUrl} did not answer about resets ({Reason}); asking again")]
        public static partial void SandboxUnreachable(ILogger logger, Uri orgUrl, string reason);
    }
}
