using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Sandbox;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figure 9: what a waiting page's poll costs against a bare endpoint through the same middleware. Some people
/// wait on a push; their polls are offered at a fixed rate (open loop, below what the machine sustains), then
/// the same rate is offered to <c>/_bench/poll</c> (the same antiforgery check and JSON shape, no flow) and to
/// <c>/_bench/poll-without-antiforgery</c>. Per target: polls answered per second, latency, and the portal
/// process's CPU time per 1,000 answered polls (the portal runs as its own process, so the CPU is its own).
/// </summary>
internal sealed class PollCostScenario(LoadProfile profile, TimeProvider time, FailureLog failures)
{
    private const string Poll = "push poll";
    private const string Bare = "bare endpoint, same middleware and antiforgery";
    private const string Open = "bare endpoint without antiforgery";

    public async Task RunAsync(Stage stage, HttpClient http, FigureBuilder figure, CancellationToken ct)
    {
        var recorder = new LatencyRecorder();
        var waits = new List<(BrowserSession Browser, PushWait Wait)>();
        for (var i = 0; i < profile.PollCostFlows && stage.Users.TryTake(ResetKind.Push, out var login); i++)
        {
            var browser = new BrowserSession(http, recorder, time, profile.NullOriginOnForms);
            waits.Add((browser, await ResetJourney.StartPushAsync(browser, stage.PortalUrl, login, ct).ConfigureAwait(false)));
        }

        if (waits.Count == 0)
        {
            failures.Add("Figure 9: no push flow could be started.");
            return;
        }

        var targets = new (string Label, Func<PushWait, Uri> Url)[]
        {
            (Poll, w => w.PollUrl),
            (Bare, _ => new Uri(stage.PortalUrl, PortalPages.BenchPoll)),
            (Open, _ => new Uri(stage.PortalUrl, PortalPages.BenchPollWithoutAntiforgery)),
        };
        var measured = new Dictionary<string, Offered>(StringComparer.Ordinal);
        foreach (var (label, url) in targets)
        {
            await OfferAsync(stage, waits, url, profile.Warmup, ct).ConfigureAwait(false);
            var offered = await OfferAsync(stage, waits, url, profile.StepDuration, ct).ConfigureAwait(false);
            measured[label] = offered;
            figure.Add($"{label}: answered per second (offered {profile.PollCostRate}/s)", "/s", offered.AnsweredPerSecond);
            figure.Add($"{label}: latency p99", "ms", offered.P99);
            if (offered.CpuMsPerThousand is { } cpu)
            {
                figure.Add($"{label}: portal CPU per 1,000 answered", "ms", cpu);
            }

            if (offered.NotAnswered > 0)
            {
                failures.Add($"Figure 9: {offered.NotAnswered} of the {label}'s requests were not answered 200.");
            }
        }

        figure.Add("push poll ÷ bare endpoint, answered per second", "ratio", measured[Poll].AnsweredPerSecond / measured[Bare].AnsweredPerSecond, Target.AtLeast(0.5));
        if (measured[Poll].CpuMsPerThousand is { } pollCpu && measured[Bare].CpuMsPerThousand is { } bareCpu && measured[Open].CpuMsPerThousand is { } openCpu)
        {
            figure.Add("bare endpoint ÷ push poll, CPU per answered request", "ratio", bareCpu / pollCpu, Target.AtLeast(0.5));
            figure.Note(string.Create(CultureInfo.InvariantCulture,
                $"CPU per 1,000: push poll {pollCpu:0} ms, bare {bareCpu:0} ms, bare without antiforgery {openCpu:0} ms: the antiforgery check is {(bareCpu - openCpu) / pollCpu:P0} of a poll's CPU, the flow (read, limits, answer) {(pollCpu - bareCpu) / pollCpu:P0}."));
        }

        if (measured[Bare].P99 >= 100)
        {
            figure.Note(string.Create(CultureInfo.InvariantCulture, $"The bare endpoint's p99 was {measured[Bare].P99:0} ms at {profile.PollCostRate}/s: the machine was saturated; the ratio is not the poll's cost alone."));
        }

        figure.Note(string.Create(CultureInfo.InvariantCulture,
            $"{waits.Count} people waiting on a push, their polls offered round-robin at {profile.PollCostRate}/s for {profile.StepDuration.TotalSeconds:0.#} s after {profile.Warmup.TotalSeconds:0.#} s of warm-up, each target in turn."));
    }

    private async Task<Offered> OfferAsync(
        Stage stage, List<(BrowserSession Browser, PushWait Wait)> waits, Func<PushWait, Uri> url, TimeSpan duration, CancellationToken ct)
    {
        var count = Math.Max(1, (int)(profile.PollCostRate * duration.TotalSeconds));
        var latencies = new ConcurrentBag<double>();
        var notAnswered = 0;
        var cpuBefore = PortalCpu(stage);
        var started = time.GetTimestamp();
        var sent = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)profile.PollCostRate) - time.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, time, ct).ConfigureAwait(false);
            }

            var (browser, wait) = waits[i % waits.Count];
            sent.Add(SendAsync(browser, url(wait), wait.Headers));
        }

        await Task.WhenAll(sent).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        var cpu = PortalCpu(stage) - cpuBefore;
        var sorted = latencies.Order().ToList();
        var answered = sorted.Count;
        return new Offered(
            answered / elapsed.TotalSeconds,
            sorted.Count == 0 ? 0 : Percentiles.NearestRank(sorted, 99),
            cpu is { } spent && answered > 0 ? spent.TotalMilliseconds / answered * 1000 : null,
            notAnswered);

        async Task SendAsync(BrowserSession browser, Uri target, IEnumerable<KeyValuePair<string, string>> headers)
        {
            var sentAt = time.GetTimestamp();
            var (status, _) = await browser.FetchAsync(HttpMethod.Post, target, headers, ct).ConfigureAwait(false);
            if (status == 200)
            {
                latencies.Add(time.GetElapsedTime(sentAt).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref notAnswered);
            }
        }
    }

    /// <summary>The portal process's CPU time so far; null when the portal runs in this process (its CPU would be the driver's too).</summary>
    private static TimeSpan? PortalCpu(Stage stage)
    {
        if (stage.PortalProcess is not { } portal)
        {
            return null;
        }

        using var process = Process.GetProcessById(portal.Id);
        return process.TotalProcessorTime;
    }

    private sealed record Offered(double AnsweredPerSecond, double P99, double? CpuMsPerThousand, int NotAnswered);
}
