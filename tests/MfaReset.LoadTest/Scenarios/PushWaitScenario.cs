using System.Globalization;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Sandbox;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figure 4: K people wait on a push at once, each page polling every second, nobody answering. Measures
/// the poll's latency and rate, the Okta calls and store writes the polls cost, and, with the portal in its
/// own process (the driver and the sandbox each in theirs), the portal's working set and its managed heap
/// per pending flow, read from that process over EventPipe.
/// </summary>
internal sealed class PushWaitScenario(LoadProfile profile, TimeProvider time, FailureLog failures)
{
    /// <summary>The portal's flow-store counter, as its Prometheus endpoint names it.</summary>
    public const string StoreOperationsMetric = "mfareset_flow_store_operations";

    // Enough concurrent browsers to keep the portal, the sandbox and the driver busy on two cores.
    private const int SetupParallelism = 64;
    private const int WarmupFlows = 20;
    private const double Kilobyte = 1024;
    private const double Megabyte = 1024 * 1024;
    private static readonly TimeSpan WorkingSetEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OktaPushLifetime = TimeSpan.FromMinutes(5);

    // Set aside after the wait for reading the heap while every flow is still pending.
    private static readonly TimeSpan ReadingMargin = TimeSpan.FromSeconds(30);

    // The per-client POST limit's operations (ClientRateLimit): one per form post, with the flow's read when the post
    // carries a flow cookie. The push poll's per-IP limit is counted in the portal's memory, so a poll should record none.
    private static readonly string[] ClientLimitOperations = ["record_event", "record_event_and_get"];

    // The store operations that change nothing; every other one writes.
    /// <summary>
    /// A poll that asks Okta writes its flow twice while the push waits: the poll clock's stamp, which also holds the
    /// flow's method while Okta answers, and the end of that hold (threat model, "One verification, one method").
    /// </summary>
    private const int WritesPerDuePoll = 2;

    private static readonly HashSet<string> StoreReads = new(StringComparer.Ordinal) { "get", "get_lease", "count" };

    /// <summary>
    /// One step per value of <paramref name="steps"/> on one portal, each adding flows to those still pending from the
    /// steps before (30,000, then 60,000, then 100,000 pending): with a push lifetime long enough for all of them
    /// (<c>Benchmark:LongPushWaits</c>), or a single step within Okta's 5 minutes.
    /// </summary>
    public async Task RunAsync(Stage stage, IReadOnlyList<int> steps, FigureBuilder figure, CancellationToken ct)
    {
        var pending = new List<(BrowserSession Browser, PushWait Wait)>();
        var baseline = await BaselineAsync(stage, ct).ConfigureAwait(false);
        foreach (var flows in steps)
        {
            var measured = await MeasureAsync(stage, baseline, pending, flows, ct).ConfigureAwait(false);
            if (measured is null)
            {
                figure.Note(string.Create(CultureInfo.InvariantCulture,
                    $"{flows} flows: not measured: the flows could not all be started while the first were still pending (see the failures)."));
                return;
            }

            Report(stage, flows, measured, figure);
        }
    }

    private void Report(Stage stage, int flows, Measured measured, FigureBuilder figure)
    {
        var minutes = measured.Window.TotalMinutes;
        var seconds = measured.Window.TotalSeconds;
        if (measured.Polls is { } polls)
        {
            figure.Add($"{flows} flows: poll latency p50", "ms", polls.P50);
            figure.Add($"{flows} flows: poll latency p99", "ms", polls.P99);
        }

        var offered = flows / profile.PushPollEvery.TotalSeconds;
        var achieved = measured.BrowserPolls / seconds;
        figure.Add($"{flows} flows: polls answered per second (offered: {offered:0})", "/s", achieved);
        figure.Add($"{flows} flows: browser polls per flow per minute (asked: {60 / profile.PushPollEvery.TotalSeconds:0})", "/min",
            measured.BrowserPolls / (double)flows / minutes);
        figure.Add($"{flows} flows: Okta polls per flow per minute", "/min", measured.OktaPolls / (double)flows / minutes);
        // At most one Okta poll per interval: a window of W seconds allows floor(W / interval) + 1 per flow.
        var allowed = Math.Floor(measured.Window / stage.PushPollInterval) + 1;
        figure.Add($"{flows} flows: Okta polls per flow beyond one per {stage.PushPollInterval.TotalSeconds:0} s", "polls",
            (measured.OktaPolls / (double)flows) - allowed, Target.AtMost(0));

        // The polls that asked Okta are the interval-due ones; each may stamp its poll clock (one store write) and
        // make that one Okta call. Anything beyond is charged to the polls between intervals, which should cost neither.
        var between = measured.BrowserPolls - measured.OktaPolls;
        figure.Add($"{flows} flows: polls between intervals (answered without asking Okta)", "polls", between);
        if (between > 0)
        {
            figure.Add($"{flows} flows: Okta calls per poll between intervals (any call about a person besides one push poll per due poll)", "calls",
                (measured.OktaCalls - measured.OktaPolls) / (double)between, Target.AtMost(0));
        }
        else
        {
            figure.Note(string.Create(CultureInfo.InvariantCulture,
                $"{flows} flows: no poll fell between intervals: each flow's polls came at least {stage.PushPollInterval.TotalSeconds:0} s apart, so every poll was due and asked Okta; the cost of a poll between intervals is not measured at this size."));
        }

        if (measured.StoreOperations is { } operations)
        {
            // Form posts record an event under the client's address (the per-client limit); polls are limited per IP
            // in the portal's memory (security.md 234) and should record none. The flow's own writes are the rest.
            var limiterEvents = ClientLimitOperations.Sum(operations.GetValueOrDefault);
            var flowWrites = operations.Where(o => !StoreReads.Contains(o.Key) && !ClientLimitOperations.Contains(o.Key)).Sum(o => o.Value);
            figure.Add($"{flows} flows: flow store writes per interval-due poll (the poll clock's stamp with the method hold, and the hold's end)", "writes",
                flowWrites / (double)Math.Max(measured.OktaPolls, 1));
            if (between > 0)
            {
                figure.Add($"{flows} flows: flow store writes per poll between intervals (beyond {WritesPerDuePoll} per due poll; the per-client limit's event apart)", "writes",
                    (flowWrites - (WritesPerDuePoll * measured.OktaPolls)) / (double)between, Target.AtMost(0));
            }

            figure.Add($"{flows} flows: per-client limit's store writes per poll (record_event under the client's address)", "writes",
                limiterEvents / (double)Math.Max(measured.BrowserPolls, 1), Target.AtMost(0));
            figure.Note(string.Create(CultureInfo.InvariantCulture,
                $"{flows} flows: store operations during the wait: {string.Join(", ", operations.Where(o => o.Value != 0).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"))}; form posts record one event in the store for the per-client limit, polls none (security.md 234: the poll endpoint is limited per IP, counted in each portal instance's memory); a poll reads its flow once (the tab guard's read is the poll's)."));
        }

        if (measured.Memory is { } memory)
        {
            figure.Add($"{flows} flows: portal process working set while they wait (largest of readings every {WorkingSetEvery.TotalSeconds:0} s)", "MB",
                memory.WorkingSet / Megabyte, flows >= 10_000 ? Target.Below(500) : null);
            // Held to the target only with enough flows: at 1,000 the heap's own noise (several MB) outweighs them.
            figure.Add($"{flows} flows: portal managed heap per pending flow", "KB",
                (memory.LiveWithFlows - memory.LiveBefore) / (double)flows / Kilobyte, flows >= 10_000 ? Target.AtMost(1) : null);
            figure.Add($"{flows} flows: portal live managed heap with the flows (bytes surviving a full collection)", "MB", memory.LiveWithFlows / Megabyte);
            AddBreakdown(figure, $"{flows} flows: idle portal before them", memory.Idle);
            AddBreakdown(figure, $"{flows} flows: portal at the end of the wait", memory.WithFlows);
        }
        else
        {
            figure.Note("Memory and store writes: not measured against an external portal (read from a portal process this driver starts).");
        }

        if (achieved < offered * 0.95)
        {
            figure.Note(string.Create(CultureInfo.InvariantCulture,
                $"{flows} flows: the browsers could not poll every second on this machine: {achieved:0} polls/s answered of {offered:0} offered, the two cores shared by portal, driver and sandbox being saturated; each browser sends its next poll when the last one answered and its second has come, and latency is measured from each poll's send, so it includes the wait for one of the driver's 1,024 connections."));
        }

        if (measured.OktaConnections is { } connections)
        {
            figure.Add($"{flows} flows: open connections to the sandbox at the end of the wait", "", connections);
        }

        if (stage.PushLifetime > OktaPushLifetime)
        {
            figure.Note(string.Create(CultureInfo.InvariantCulture,
                $"{flows} flows: with Benchmark:LongPushWaits (--long-push-waits; the portal started with Sandbox:Enabled=true, as the switch requires): the portal kept pushes and flows pending up to {stage.PushLifetime.TotalMinutes:0} min, the sandbox its pushes as long, where Okta and the portal's production cap end a push after {OktaPushLifetime.TotalMinutes:0}; within Okta's lifetime they would have had to start at {flows / (OktaPushLifetime - profile.PushWaitDuration - ReadingMargin).TotalSeconds:0.#} a second; a pending flow holds the same either way."));
        }

        figure.Note(string.Create(CultureInfo.InvariantCulture,
            $"{flows} flows: {(measured.Added == flows ? "started" : $"the last {measured.Added} started")} in {measured.Setup.TotalSeconds:0} s ({measured.Added / measured.Setup.TotalSeconds:0} flows/s, {SetupParallelism} browsers at a time), then waited {seconds:0} s, every poll answered \"pending\"; portal, sandbox and driver each in its own process; the heap is read after the driver's connections closed; {WarmupFlows} warm-up flows are in both heap readings."));
    }

    // What the working set is made of (Linux): the GC's part and the rest, from the kernel's and the runtime's own counts.
    private static void AddBreakdown(FigureBuilder figure, string when, MemoryBreakdown? memory)
    {
        if (memory is null)
        {
            return;
        }

        var mappings = memory.Mappings;
        (string Part, long Bytes)[] parts =
        [
            ("working set", memory.Resident),
            ("GC committed (its heaps and the free space it keeps)", memory.GcCommitted),
            ("GC heap size (objects live or not yet collected)", memory.GcHeapSize),
            ("anonymous memory besides the GC's (runtime data, thread stacks, native buffers)", memory.AnonymousBesidesGc),
            ("shared memory (the runtime's executable-memory file: JIT-compiled code, stubs, loader heaps)", memory.Shared),
            ("mapped from files (runtime, assemblies, native libraries)", memory.FileBacked),
            // The kernel's parts again, by mapping: which share of "shared" is code, which of "files" is assemblies.
            ("by mapping: JIT-compiled code and stubs (the executable-memory file mapped executable)", mappings.ExecutableCode),
            ("by mapping: the runtime's loader heaps and code being written (the executable-memory file mapped writable)", mappings.RuntimeWritable),
            ("by mapping: managed assemblies (*.dll)", mappings.Assemblies),
            ("by mapping: native libraries (*.so: runtime, JIT, ICU, OpenSSL)", mappings.NativeLibraries),
            ("by mapping: the C heap's main arena ([heap])", mappings.NativeHeap),
            ("by mapping: other anonymous memory (the GC's heaps, malloc's other arenas, thread stacks)", mappings.OtherAnonymous),
            ("pinned object heap (Kestrel's memory pool blocks)", memory.PinnedHeapSize),
        ];
        foreach (var (part, bytes) in parts)
        {
            figure.Add($"{when}: {part}", "MB", bytes / Megabyte);
        }

        figure.Add($"{when}: methods compiled by the JIT so far (every tier)", "methods", memory.MethodsJitted);
    }

    // The portal before any flow waits, once warm: its live heap and what its memory is made of.
    private async Task<Baseline> BaselineAsync(Stage stage, CancellationToken ct)
    {
        var portal = stage.PortalProcess;
        // Its own connections, closed before the heap is read: open ones are the driver's cost in the portal, not the flows'.
        using (var warmup = Browsers.NewHttpClient())
        {
            await StartFlowsAsync(stage, warmup, WarmupFlows, new LatencyRecorder(measuring: false), pollOnce: true, budget: null, ct).ConfigureAwait(false);
        }

        var liveBefore = portal is null ? 0 : await LiveHeapAfterConnectionsCloseAsync(portal, ct).ConfigureAwait(false);
        var idle = portal is null ? null : await ProcessMemory.ReadAsync(portal.Id, ct).ConfigureAwait(false);
        return new Baseline(liveBefore, idle, time.GetTimestamp());
    }

    private async Task<Measured?> MeasureAsync(Stage stage, Baseline baseline, List<(BrowserSession Browser, PushWait Wait)> waiting, int flows, CancellationToken ct)
    {
        var recorder = new LatencyRecorder(measuring: false);
        var portal = stage.PortalProcess;
        var (liveBefore, idle) = (baseline.LiveBefore, baseline.Idle);

        // Every flow must still be pending when the heap is read after the wait: the portal ends a push after
        // Reset:PushLifetime and an idle flow after Reset:IdleTimeout, so the setup has what is left since the first started.
        var budget = stage.PushLifetime - profile.PushWaitDuration - ReadingMargin - time.GetElapsedTime(baseline.Taken);
        using var http = Browsers.NewHttpClient();
        // The flows of earlier steps wait on, on this step's connections (the last step's were closed for its heap reading).
        for (var i = 0; i < waiting.Count; i++)
        {
            waiting[i] = (waiting[i].Browser.Reconnected(http, recorder), waiting[i].Wait);
        }

        var setupStarted = time.GetTimestamp();
        var added = flows - waiting.Count;
        var started = await StartFlowsAsync(stage, http, added, recorder, pollOnce: false, budget, ct).ConfigureAwait(false);
        waiting.AddRange(started);
        var setup = time.GetElapsedTime(setupStarted);
        if (started.Count < added)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Figure 4, {flows} flows: {started.Count} of {added} started in {setup.TotalSeconds:0} s ({started.Count / setup.TotalSeconds:0} flows/s); all must start within {budget.TotalSeconds:0} s (the portal's push lifetime of {stage.PushLifetime.TotalMinutes:0} min, less the {profile.PushWaitDuration.TotalSeconds:0} s wait, {ReadingMargin.TotalSeconds:0} s to read the heap and the time since the first flow started) for every flow to be pending at once."));
            return null;
        }

        var oktaBefore = await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false);
        var storeBefore = portal is null ? null : await StoreOperationsAsync(http, portal, ct).ConfigureAwait(false);
        var windowStarted = time.GetTimestamp();
        recorder.StartMeasuring();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workingSet = portal is null ? Task.FromResult(0L) : LargestWorkingSetAsync(portal, sampling.Token);
        var browserPolls = await PollAsync(waiting, ct).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        recorder.StopMeasuring();
        // While the flows and the driver's connections are still there, as in the wait.
        var withFlows = portal is null ? null : await ProcessMemory.ReadAsync(portal.Id, ct).ConfigureAwait(false);
        var window = time.GetElapsedTime(windowStarted);
        var oktaAfter = await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false);
        var storeAfter = portal is null ? null : await StoreOperationsAsync(http, portal, ct).ConfigureAwait(false);
        var storeOperations = storeAfter?.ToDictionary(o => o.Key, o => (long)(o.Value - storeBefore!.GetValueOrDefault(o.Key)), StringComparer.Ordinal);
        var oktaConnections = TcpConnections.To(stage.OktaUrl.Port);
        var pollLatency = recorder.SummarizeAll("poll");
        failures.AddServerErrors(recorder, $"{flows} waiting flows");

        Memory? memory = null;
        if (portal is not null)
        {
            var largest = await workingSet.ConfigureAwait(false);
            http.Dispose();
            memory = new Memory(liveBefore, await LiveHeapAfterConnectionsCloseAsync(portal, ct).ConfigureAwait(false), largest, idle, withFlows);
        }

        return new Measured(added, setup, window, browserPolls, oktaAfter.Of(ProbeCallCounts.PushPoll) - oktaBefore.Of(ProbeCallCounts.PushPoll),
            oktaAfter.AboutPeople - oktaBefore.AboutPeople, storeOperations, pollLatency, memory, oktaConnections);
    }

    private async Task<long> LiveHeapAfterConnectionsCloseAsync(PortalProcess portal, CancellationToken ct)
    {
        // Let the portal see the driver's connections close and drop them.
        await Task.Delay(TimeSpan.FromSeconds(2), time, ct).ConfigureAwait(false);
        return await ProcessHeap.LiveBytesAsync(portal.Id, ct).ConfigureAwait(false);
    }

    // The portal's flow-store operations so far, by operation, from its Prometheus endpoint.
    private static async Task<Dictionary<string, double>> StoreOperationsAsync(HttpClient http, PortalProcess portal, CancellationToken ct)
    {
        var scrape = await http.GetStringAsync(portal.MetricsUrl, ct).ConfigureAwait(false);
        return PrometheusScrape.SumByLabel(scrape, StoreOperationsMetric, "operation");
    }

    private async Task<long> LargestWorkingSetAsync(PortalProcess portal, CancellationToken ct)
    {
        var largest = portal.WorkingSetBytes();
        try
        {
            while (true)
            {
                await Task.Delay(WorkingSetEvery, time, ct).ConfigureAwait(false);
                largest = Math.Max(largest, portal.WorkingSetBytes());
            }
        }
        catch (OperationCanceledException)
        {
            return Math.Max(largest, portal.WorkingSetBytes());
        }
    }

    private async Task<List<(BrowserSession Browser, PushWait Wait)>> StartFlowsAsync(
        Stage stage, HttpClient http, int count, LatencyRecorder recorder, bool pollOnce, TimeSpan? budget, CancellationToken ct)
    {
        var started = new List<(BrowserSession, PushWait)>(count);
        var next = 0;
        var since = time.GetTimestamp();
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                if (budget is { } limit && time.GetElapsedTime(since) > limit)
                {
                    return; // the caller reports how many started in time
                }

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

    private sealed record Memory(long LiveBefore, long LiveWithFlows, long WorkingSet, MemoryBreakdown? Idle, MemoryBreakdown? WithFlows);

    private sealed record Baseline(long LiveBefore, MemoryBreakdown? Idle, long Taken);

    private sealed record Measured(
        int Added, TimeSpan Setup, TimeSpan Window, long BrowserPolls, long OktaPolls, long OktaCalls, IReadOnlyDictionary<string, long>? StoreOperations, PageLatency? Polls, Memory? Memory, int? OktaConnections);
}
