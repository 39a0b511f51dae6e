using System.Collections.Concurrent;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Sandbox;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figures 2, 3 and 6: at each concurrency, virtual users reset passwords back to back for a window
/// (SMS and Okta Verify code in turn, each reset a new person in a new browser), then the same number of
/// users load the baseline page for as long. Throughput and latency come from the first, the ratio of the
/// two from the same stage and run. Push resets are left out here: their time is the person's, and the
/// poll interval's, not the portal's (figures 1 and 4 measure push).
/// </summary>
internal sealed class ThroughputScenario(LoadProfile profile, TimeProvider time, FailureLog failures)
{
    private static readonly ResetKind[] Mix = [ResetKind.Sms, ResetKind.OktaVerifyTotp];

    /// <param name="figure">Figure 2, or 6 with injected latency.</param>
    /// <param name="ratio">Figure 3, or null when not asked for.</param>
    /// <param name="oktaLatency">The mean latency injected per Okta call, to show what the portal adds on top.</param>
    public async Task RunAsync(
        Stage stage, HttpClient http, FigureBuilder figure, FigureBuilder? ratio, TimeSpan oktaLatency, CancellationToken ct)
    {
        var baseline = await BaselinePathAsync(stage, http, ct).ConfigureAwait(false);
        foreach (var users in profile.ConcurrencyLevels)
        {
            var resets = (await RunResetsAsync(stage, http, users, figure, $"{users} users", route: null, oktaLatency, ct).ConfigureAwait(false)).ResponsesPerSecond;
            if (ratio is null)
            {
                continue;
            }

            var pages = await RunBaselineAsync(stage, http, users, baseline, ct).ConfigureAwait(false);
            ratio.Add($"{users} users: portal responses/s during resets", "/s", resets);
            ratio.Add($"{users} users: baseline page responses/s", "/s", pages);
            ratio.Add($"{users} users: portal ÷ baseline", "×", resets / pages, Target.AtLeast(0.5));
            ratio.Note(baseline == PortalPages.Baseline
                ? $"Baseline: `{baseline}`, a bare page with the portal's layout, served by the same host."
                : $"Baseline: `{baseline}` (the forgot-password form, the portal's simplest page) until the portal serves `{PortalPages.Baseline}`.");
        }
    }

    /// <summary>
    /// One step of resets at <paramref name="users"/> concurrent users, each browser's requests taking
    /// <paramref name="route"/> (null: straight to the stage's first portal); its rows are labelled
    /// <paramref name="label"/>. Per-page latencies are added when the route is null (figure 2's table).
    /// </summary>
    public async Task<ResetStep> RunResetsAsync(
        Stage stage, HttpClient http, int users, FigureBuilder figure, string label, PortalRoute? route, TimeSpan oktaLatency, CancellationToken ct)
    {
        var recorder = new LatencyRecorder(measuring: false);
        var journey = new ResetJourney(stage.Probe, time);
        var completedLogins = new ConcurrentQueue<string>();
        var iterations = new int[users];
        var loop = await new ClosedLoop(time).RunAsync(users, profile.Warmup, profile.StepDuration, recorder, async (user, token) =>
        {
            var kind = Mix[(user + iterations[user]++) % Mix.Length];
            if (!stage.Users.TryTake(kind, out var login))
            {
                failures.Add($"{label}: no sandbox user left for a {kind} reset; raise the stage's LoadTestUsers.");
                return IterationOutcome.Exhausted;
            }

            var browser = new BrowserSession(http, recorder, time, profile.NullOriginOnForms, route);
            switch (await journey.RunAsync(browser, stage.PortalUrl, login, kind, PushBehavior.Prompt, token).ConfigureAwait(false))
            {
                case ResetOutcome.Completed:
                    completedLogins.Enqueue(login);
                    return IterationOutcome.Completed;
                case ResetOutcome.Failed failed:
                    failures.Add(failed.Reason);
                    return IterationOutcome.Failed;
                default:
                    return IterationOutcome.Failed;
            }
        }, ct).ConfigureAwait(false);
        failures.AddServerErrors(recorder, $"{label} resetting");

        figure.Add($"{label}: completed resets/s", "/s", loop.PerSecond);
        if (recorder.SummarizeAll() is { } all)
        {
            figure.Add($"{label}: all pages p50", "ms", all.P50);
            figure.Add($"{label}: all pages p95", "ms", all.P95);
            figure.Add($"{label}: all pages p99", "ms", all.P99);
        }

        if (route is null)
        {
            foreach (var page in recorder.Summarize())
            {
                figure.AddPage(users, page);
            }
        }

        if (loop.Durations.Count > 0)
        {
            var perReset = Percentiles.Median(loop.Durations);
            figure.Add($"{label}: time per reset (median, all its pages)", "ms", perReset);
            if (oktaLatency > TimeSpan.Zero)
            {
                var calls = await OktaCallsPerResetAsync(stage, completedLogins, ct).ConfigureAwait(false);
                figure.Add($"{label}: time per reset less Okta's {oktaLatency.TotalMilliseconds:0} ms × {calls:0.#} calls", "ms",
                    perReset - (calls * oktaLatency.TotalMilliseconds));
            }
        }

        return new ResetStep(loop.PerSecond, recorder.Responses / loop.Window.TotalSeconds);
    }

    // Returns the baseline page's responses per second.
    private async Task<double> RunBaselineAsync(Stage stage, HttpClient http, int users, string path, CancellationToken ct)
    {
        var recorder = new LatencyRecorder(measuring: false);
        var url = new Uri(stage.PortalUrl, path);
        var browsers = Enumerable.Range(0, users).Select(_ => new BrowserSession(http, recorder, time, profile.NullOriginOnForms)).ToArray();
        var loop = await new ClosedLoop(time).RunAsync(users, profile.Warmup, profile.StepDuration, recorder, async (user, token) =>
        {
            var page = await browsers[user].OpenAsync(url, token).ConfigureAwait(false);
            // A browser parses every page it gets, and so do the resetting users: the same client work per page.
            _ = page.Document;
            if (page.Status != 200)
            {
                failures.Add($"Baseline {path} answered {page.Status}.");
            }

            return page.Status == 200 ? IterationOutcome.Completed : IterationOutcome.Failed;
        }, ct).ConfigureAwait(false);
        failures.AddServerErrors(recorder, $"{users} users on the baseline page");
        return recorder.Responses / loop.Window.TotalSeconds;
    }

    private static async Task<double> OktaCallsPerResetAsync(Stage stage, ConcurrentQueue<string> logins, CancellationToken ct)
    {
        var counts = await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false);
        return logins.IsEmpty ? 0 : logins.Average(login => counts.For(login).Values.Sum());
    }

    private async Task<string> BaselinePathAsync(Stage stage, HttpClient http, CancellationToken ct)
    {
        var probe = new BrowserSession(http, new LatencyRecorder(measuring: false), time, profile.NullOriginOnForms);
        var page = await probe.OpenAsync(new Uri(stage.PortalUrl, PortalPages.Baseline), ct).ConfigureAwait(false);
        return page.Status == 200 ? PortalPages.Baseline : PortalPages.BaselineFallback;
    }
}

/// <summary>What one step of resets measured.</summary>
/// <param name="ResetsPerSecond">Resets completed per second of the window.</param>
/// <param name="ResponsesPerSecond">The portal's responses per second of the window.</param>
internal sealed record ResetStep(double ResetsPerSecond, double ResponsesPerSecond);
