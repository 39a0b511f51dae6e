using System.Globalization;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Sandbox;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figure 4: K people wait on a push at once, each page polling every second, nobody answering. Measures
/// the poll's latency, the Okta polls the portal makes per flow, and the portal's managed heap per
/// pending flow. The sandbox runs in its own process so its pushes are not counted as the portal's
/// memory; the driver's own browsers and connections are released before the heap with K flows is read.
/// </summary>
internal sealed class PushWaitScenario(LoadProfile profile, TimeProvider time, FailureLog failures)
{
    private const int SetupParallelism = 32;
    private const int WarmupFlows = 20;
    private const double Kilobyte = 1024;
    private const double Megabyte = 1024 * 1024;

    public async Task RunAsync(Stage stage, int flows, FigureBuilder figure, CancellationToken ct)
    {
        var measured = await MeasureAsync(stage, flows, ct).ConfigureAwait(false);
        var minutes = measured.Window.TotalMinutes;
        if (measured.Polls is { } polls)
        {
            figure.Add($"{flows} flows: poll latency p50", "ms", polls.P50);
            figure.Add($"{flows} flows: poll latency p99", "ms", polls.P99);
        }

        figure.Add($"{flows} flows: browser polls per flow per minute (asked: {60 / profile.PushPollEvery.TotalSeconds:0})", "/min",
            measured.BrowserPolls / (double)flows / minutes);
        figure.Add($"{flows} flows: Okta polls per flow per minute", "/min", measured.OktaPolls / (double)flows / minutes);
        // At most one Okta poll per interval: a window of W seconds allows floor(W / interval) + 1 per flow.
        var allowed = Math.Floor(measured.Window / stage.PushPollInterval) + 1;
        figure.Add($"{flows} flows: Okta polls per flow beyond one per {stage.PushPollInterval.TotalSeconds:0} s", "polls",
            (measured.OktaPolls / (double)flows) - allowed, Target.AtMost(0));
        if (measured.Heap is { } heap)
        {
            // Held to the target only with enough flows: at 1,000 the heap's own noise (several MB) outweighs them.
            figure.Add($"{flows} flows: portal managed heap per pending flow", "KB",
                (heap.WithFlows - heap.Before) / (double)flows / Kilobyte, flows >= 10_000 ? Target.AtMost(2) : null);
            figure.Add($"{flows} flows: the driver's own browsers, per flow (released before the reading above)", "KB",
                (heap.WithDriver - heap.WithFlows) / (double)flows / Kilobyte);
            figure.Add($"{flows} flows: process working set while they wait (portal and driver)", "MB",
                heap.WorkingSet / Megabyte, flows >= 10_000 ? Target.Below(500) : null);
            figure.Add($"{flows} flows: GC heap committed while they wait (portal and driver)", "MB", heap.Committed / Megabyte);
        }
        else
        {
            figure.Note("Memory: not measured against an external portal (the heap is read in the portal's own process).");
        }

        if (measured.BrowserPolls < flows * minutes * 60 / profile.PushPollEvery.TotalSeconds * 0.95)
        {
            figure.Note(string.Create(CultureInfo.InvariantCulture,
                $"{flows} flows: the browsers could not poll every second on this machine: {measured.BrowserPolls / measured.Window.TotalSeconds:0} polls/s reached of {flows / profile.PushPollEvery.TotalSeconds:0} asked, the two cores shared by portal, driver and sandbox being saturated; latency is measured from each poll's send."));
        }

        if (measured.OktaConnections is { } connections)
        {
            // The portal's pooled connections to Okta are in the heap with flows too; their count follows the polling, not the flows.
            figure.Add($"{flows} flows: portal's open connections to Okta at the heap reading", "", connections);
        }

        figure.Note(string.Create(CultureInfo.InvariantCulture,
            $"{flows} flows: started at {measured.SetupRate:0} flows/s, then waited {measured.Window.TotalSeconds:0} s; the sandbox ran in its own process; {WarmupFlows} warm-up flows are in both heap readings."));
    }

    private async Task<Measured> MeasureAsync(Stage stage, int flows, CancellationToken ct)
    {
        // Dropped (with the browsers) before the heap with flows is read: a minute of samples is the driver's memory.
        LatencyRecorder? recorder = new(measuring: false);
        // Its own connections, closed before the heap with flows is read: they are the driver's, not the flows'.
        using var http = Browsers.NewHttpClient();
        await StartFlowsAsync(stage, http, WarmupFlows, recorder, pollOnce: true, ct).ConfigureAwait(false);
        var before = stage.PortalInProcess ? HeapMeter.LiveBytes() : 0;

        var setupStarted = time.GetTimestamp();
        var waiting = await StartFlowsAsync(stage, http, flows, recorder, pollOnce: false, ct).ConfigureAwait(false);
        var setupRate = flows / time.GetElapsedTime(setupStarted).TotalSeconds;

        var oktaBefore = (await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false)).Of(ProbeCallCounts.PushPoll);
        var windowStarted = time.GetTimestamp();
        recorder.StartMeasuring();
        var browserPolls = await PollAsync(waiting, ct).ConfigureAwait(false);
        recorder.StopMeasuring();
        var window = time.GetElapsedTime(windowStarted);
        var pollLatency = recorder.SummarizeAll("poll");
        failures.AddServerErrors(recorder, $"{flows} waiting flows");
        recorder = null;
        var oktaPolls = (await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false)).Of(ProbeCallCounts.PushPoll) - oktaBefore;

        HeapReading? heap = null;
        int? oktaConnections = null;
        if (stage.PortalInProcess)
        {
            var workingSet = HeapMeter.WorkingSetBytes();
            var committed = HeapMeter.CommittedBytes();
            oktaConnections = TcpConnections.To(stage.OktaUrl.Port);
            var withDriver = HeapMeter.LiveBytes();
            waiting.Clear();
            http.Dispose();
            // Let the portal see the driver's connections close and drop them.
            await Task.Delay(TimeSpan.FromSeconds(2), time, ct).ConfigureAwait(false);
            heap = new HeapReading(before, HeapMeter.LiveBytes(), withDriver, workingSet, committed);
        }

        return new Measured(setupRate, window, browserPolls, oktaPolls, pollLatency, heap, oktaConnections);
    }

    private async Task<List<(BrowserSession Browser, PushWait Wait)>> StartFlowsAsync(
        Stage stage, HttpClient http, int count, LatencyRecorder recorder, bool pollOnce, CancellationToken ct)
    {
        var started = new List<(BrowserSession, PushWait)>(count);
        var next = 0;
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                if (!stage.Users.TryTake(ResetKind.Push, out var login))
                {
                    failures.Add("Figure 4: no sandbox user left for a push; raise the stage's LoadTestUsers.");
                    return;
                }

                var browser = new BrowserSession(http, recorder, time, profile.NullOriginOnForms);
                try
                {
                    var wait = await ResetJourney.StartPushAsync(browser, stage.PortalUrl, login, ct).ConfigureAwait(false);
                    if (pollOnce)
                    {
                        await ResetJourney.PollOnceAsync(browser, wait, ct).ConfigureAwait(false);
                    }

                    lock (started)
                    {
                        started.Add((browser, wait));
                    }
                }
                catch (Exception e) when (e is JourneyException or InvalidOperationException or HttpRequestException)
                {
                    failures.Add($"Figure 4: starting a push flow for {login}: {e.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, SetupParallelism).Select(_ => Task.Run(WorkerAsync, ct))).ConfigureAwait(false);
        return started;
    }

    // Every flow polls once a second (spread over the first second), each poll sent when the last one answered
    // and its second has come, as a page's script does. Nobody approves: every answer must be "pending".
    private async Task<long> PollAsync(List<(BrowserSession Browser, PushWait Wait)> waiting, CancellationToken ct)
    {
        long polls = 0;
        var started = time.GetTimestamp();
        var duration = profile.PushWaitDuration;
        var every = profile.PushPollEvery;

        async Task FlowAsync(BrowserSession browser, PushWait wait, TimeSpan offset)
        {
            var due = offset;
            while (due < duration)
            {
                var wait0 = due - time.GetElapsedTime(started);
                if (wait0 > TimeSpan.Zero)
                {
                    await Task.Delay(wait0, time, ct).ConfigureAwait(false);
                }

                try
                {
                    var state = await ResetJourney.PollOnceAsync(browser, wait, ct).ConfigureAwait(false);
                    Interlocked.Increment(ref polls);
                    if (state != "pending")
                    {
                        failures.Add($"Figure 4: a flow nobody approved polled '{state}'.");
                        return;
                    }
                }
                catch (Exception e) when (e is JourneyException or HttpRequestException)
                {
                    failures.Add($"Figure 4: polling: {e.Message}");
                    return;
                }

                // Late polls do not catch up in a burst: the next one is a second after this one was due, or now.
                due = TimeSpan.FromTicks(Math.Max((due + every).Ticks, time.GetElapsedTime(started).Ticks));
            }
        }

        var spread = every.Ticks / Math.Max(waiting.Count, 1);
        await Task.WhenAll(waiting.Select((flow, i) => FlowAsync(flow.Browser, flow.Wait, TimeSpan.FromTicks(spread * i)))).ConfigureAwait(false);
        return Interlocked.Read(ref polls);
    }

    private sealed record HeapReading(long Before, long WithFlows, long WithDriver, long WorkingSet, long Committed);

    private sealed record Measured(
        double SetupRate, TimeSpan Window, long BrowserPolls, long OktaPolls, PageLatency? Polls, HeapReading? Heap, int? OktaConnections);
}
