using System.Globalization;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Scenarios;
using Npgsql;

namespace MfaReset.LoadTest;

/// <summary>Runs the figures the options ask for, each several times, and prints and writes the report.</summary>
internal sealed class LoadDriver(DriverOptions options, TextWriter output, TimeProvider time)
{
    /// <summary>Figure 1's label suffix for the minimum: no session revocation, no admin check, no recovery-rule read.</summary>
    public const string LeanSuffix = " (Reset:RevokeSessions off, Reset:AllowAdmins on, Reset:FollowOktaRecoveryPolicy off)";

    /// <summary>Figure 1's label suffix for the defaults in an org whose first password policy is scoped to a group: the person's groups are read.</summary>
    public const string GroupPolicySuffix = " (defaults; the org's first password policy names a group)";

    /// <summary>Figure 8: connections each instance's pool may open (two of them, the driver's own and others' under 100).</summary>
    private const int TwoInstancePoolSize = 40;

    private readonly LoadProfile _profile = LoadProfile.For(options);
    private readonly FailureLog _failures = new();

    public static Task<BenchmarkReport> RunAsync(DriverOptions options, TextWriter output, CancellationToken ct) =>
        new LoadDriver(options, output, TimeProvider.System).RunAsync(ct);

    private async Task<BenchmarkReport> RunAsync(CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        using var http = Browsers.NewHttpClient();
        await using var stages = new StageSource(options, http);
        var figures = new List<Figure>();
        if (options.Figures.Contains(1))
        {
            figures.Add(await FigureAsync("1", "Okta calls per completed reset", async (figure, run) =>
            {
                var cost = new OktaCostScenario(_profile, time, _failures);
                // The defaults in an org whose only password policy is the Default Policy for Everyone: the admin check
                // reads the org's list of administrators in the background (no call per reset), the policies are cached
                // and no group read is needed; one call more than the minimum, the session revocation.
                var everyoneOnly = new StageSettings(50, TimeSpan.Zero, TimeSpan.Zero, Sandbox: new Dictionary<string, string> { ["Sandbox:GroupPasswordPolicy"] = "false" });
                await RunOnStageAsync(stages, stages.IsExternal ? new StageSettings(50, TimeSpan.Zero, TimeSpan.Zero) : everyoneOnly, stage =>
                    cost.RunAsync(stage, http, figure, string.Empty, callsAboveFloor: 1, ct), ct).ConfigureAwait(false);
                if (!stages.IsExternal)
                {
                    // The sandbox's usual org puts "Help desk resets" (scoped to a group) before the Default Policy:
                    // which policy applies depends on the person's groups, read once per reset.
                    await RunOnStageAsync(stages, new StageSettings(50, TimeSpan.Zero, TimeSpan.Zero), stage =>
                        cost.RunAsync(stage, http, figure, GroupPolicySuffix, callsAboveFloor: 2, ct), ct).ConfigureAwait(false);
                    var lean = new StageSettings(50, TimeSpan.Zero, TimeSpan.Zero, Portal: new Dictionary<string, string?>
                    {
                        ["Reset:RevokeSessions"] = "false",
                        ["Reset:AllowAdmins"] = "true",
                        ["Reset:FollowOktaRecoveryPolicy"] = "false",
                    });
                    await RunOnStageAsync(stages, lean, stage =>
                        cost.RunAsync(stage, http, figure, LeanSuffix, callsAboveFloor: 0, ct), ct).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false));
        }

        if (options.Figures.Overlaps([2, 3]))
        {
            var throughput = new FigureBuilder("2", "Throughput, no injected Okta latency");
            var ratio = new FigureBuilder("3", "Portal pages against a bare page with the same layout");
            await RepeatAsync("2 and 3 (throughput, baseline ratio)", run =>
                RunOnStageAsync(stages, new StageSettings(_profile.LoadTestUsers, TimeSpan.Zero, TimeSpan.Zero), stage =>
                    new ThroughputScenario(_profile, time, _failures).RunAsync(
                        stage, http, throughput, options.Figures.Contains(3) ? ratio : null, TimeSpan.Zero, ct), ct), ct).ConfigureAwait(false);
            figures.Add(throughput.Build());
            if (options.Figures.Contains(3))
            {
                figures.Add(ratio.Build());
            }
        }

        if (options.Figures.Contains(6))
        {
            var latency = _profile.InjectedLatency + (_profile.InjectedJitter / 2);
            var title = $"Throughput with {latency.TotalMilliseconds:0} ms ± {_profile.InjectedJitter.TotalMilliseconds / 2:0} ms injected Okta latency";
            if (stages.IsExternal)
            {
                var skipped = new FigureBuilder("6", title);
                skipped.Note("Not measured: latency is injected into a sandbox this driver starts; an external sandbox takes it from its own configuration (Sandbox:Faults).");
                figures.Add(skipped.Build());
            }
            else
            {
                figures.Add(await FigureAsync("6", title, (figure, run) =>
                    RunOnStageAsync(stages, new StageSettings(_profile.LoadTestUsers, _profile.InjectedLatency, _profile.InjectedJitter), stage =>
                        new ThroughputScenario(_profile, time, _failures).RunAsync(stage, http, figure, null, latency, ct), ct), ct).ConfigureAwait(false));
            }
        }

        if (options.Figures.Contains(4))
        {
            figures.Add(await FigureAsync("4", "Push waits", async (figure, run) =>
            {
                // With pushes kept pending an hour, the steps share one portal, each adding flows to those still waiting.
                IEnumerable<IReadOnlyList<int>> portals = options.LongPushWaits ? [[.. _profile.PushWaitFlows.Order()]] : _profile.PushWaitFlows.Select(f => (IReadOnlyList<int>)[f]);
                foreach (var steps in portals)
                {
                    var flows = steps.Max();
                    // Portal, sandbox and driver each in its own process: the portal's memory is then its own. The sandbox
                    // keeps its pushes open longer than the portal does, so the portal's own lifetime is what ends them.
                    var settings = new StageSettings(flows + 100, TimeSpan.Zero, TimeSpan.Zero, SandboxInOwnProcess: true,
                        Portal: new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" },
                        PortalDll: options.PortalDll ?? PortalProcess.DefaultDll(),
                        Sandbox: new Dictionary<string, string> { ["Sandbox:PushLifetime"] = "01:00:00" },
                        PendingLifetime: options.LongPushWaits ? DriverOptions.LongPushWaitLifetime : null,
                        PortalEnvironment: options.PortalEnvironment);
                    await RunOnStageAsync(stages, settings, stage =>
                        new PushWaitScenario(_profile, time, _failures).RunAsync(stage, steps, figure, ct), ct).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false));
        }

        if (options.Figures.Contains(9))
        {
            figures.Add(await FigureAsync("9", "Push poll against a bare endpoint with the same middleware", (figure, run) =>
            {
                // The portal in its own process, so its CPU time is its own.
                var settings = new StageSettings(_profile.PollCostFlows + 100, TimeSpan.Zero, TimeSpan.Zero,
                    PortalDll: options.PortalDll ?? PortalProcess.DefaultDll(), PortalEnvironment: options.PortalEnvironment);
                return RunOnStageAsync(stages, settings, stage => new PollCostScenario(_profile, time, _failures).RunAsync(stage, http, figure, ct), ct);
            }, ct).ConfigureAwait(false));
        }

        if (options.Figures.Contains(7))
        {
            figures.Add(await PostgresStoreFigureAsync(stages, http, ct).ConfigureAwait(false));
        }

        if (options.Figures.Contains(5))
        {
            figures.Add(await FigureAsync("5", "Cold start", (figure, run) =>
                new ColdStartScenario(_profile, time).RunAsync(options.PortalDll, figure, ct), ct).ConfigureAwait(false));
        }

        if (options.Figures.Contains(8))
        {
            figures.Add(await TwoInstancesAsync(stages, http, ct).ConfigureAwait(false));
        }

        var report = new BenchmarkReport(startedAt, options.Mode.ToString().ToLowerInvariant(),
            options.PortalUrl?.ToString() ?? "portal and sandbox started by the driver (in its process; for figure 4 each in its own)", MachineInfo.Current(), figures, _failures.Items);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteAsync(ReportWriter.ToMarkdown(report).AsMemory(), ct).ConfigureAwait(false);
        var path = await ReportWriter.WriteAsync(report, options.OutputFolder ?? DefaultOutputFolder(), ct).ConfigureAwait(false);
        await output.WriteLineAsync($"{Environment.NewLine}Written to {path}").ConfigureAwait(false);
        return report;
    }

    // Figure 7: both stores per run, the first alternating so neither always gets the warmer machine; then the
    // PostgreSQL store's statements, sizes and cleanup, read once (they are counts, not timings).
    private async Task<Figure> PostgresStoreFigureAsync(StageSource stages, HttpClient http, CancellationToken ct)
    {
        const string title = "PostgreSQL store";
        var figure = new FigureBuilder("7", title);
        if (stages.IsExternal || options.PostgresConnection is not { } postgres)
        {
            figure.Note(stages.IsExternal
                ? "Not measured: figure 7 starts its own portals on both stores; an external portal's store is its own."
                : "Not measured: no PostgreSQL (--postgres or MFARESET_TEST_POSTGRES).");
            return figure.Build();
        }

        var scenario = new PostgresStoreScenario(_profile, time, _failures);
        await RepeatAsync("7 (PostgreSQL store against in-memory)", async run =>
        {
            var measured = new Dictionary<string, Figure>();
            string[] order = run % 2 == 1 ? [PostgresStoreScenario.Memory, PostgresStoreScenario.Postgres] : [PostgresStoreScenario.Postgres, PostgresStoreScenario.Memory];
            foreach (var store in order)
            {
                var one = new FigureBuilder("7", title);
                var settings = new StageSettings(_profile.LoadTestUsers, TimeSpan.Zero, TimeSpan.Zero,
                    PostgresConnection: store == PostgresStoreScenario.Postgres ? postgres : null);
                await RunOnStageAsync(stages, settings, stage =>
                    new ThroughputScenario(_profile, time, _failures).RunAsync(stage, http, one, null, TimeSpan.Zero, ct), ct).ConfigureAwait(false);
                measured[store] = one.Build();
            }

            scenario.AddThroughput(figure, measured[PostgresStoreScenario.Memory], measured[PostgresStoreScenario.Postgres]);
        }, ct).ConfigureAwait(false);

        var started = time.GetTimestamp();
        await output.WriteAsync("Figure 7 (PostgreSQL store: statements, table sizes, cleanup)…").ConfigureAwait(false);
        // One user per pending push, and a few for the resets whose statements are counted.
        var readings = new StageSettings(_profile.PostgresPendingPushes + 100, TimeSpan.Zero, TimeSpan.Zero, PostgresConnection: postgres);
        await RunOnStageAsync(stages, readings, stage => scenario.RunReadingsAsync(stage, figure, ct), ct).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $" {time.GetElapsedTime(started).TotalSeconds:0.0} s, {_failures.Count} failures so far")).ConfigureAwait(false);
        return figure.Build();
    }

    // Figure 8: both instances in this process on a throwaway schema of the given server.
    private async Task<Figure> TwoInstancesAsync(StageSource stages, HttpClient http, CancellationToken ct)
    {
        const string title = "Two portal instances on one PostgreSQL store";
        if (stages.IsExternal || options.PostgresConnection is not { } postgres)
        {
            var skipped = new FigureBuilder("8", title);
            skipped.Note(stages.IsExternal
                ? "Not measured: the driver starts both instances itself, on a schema of its own; a portal started elsewhere is one instance."
                : "Not measured: no PostgreSQL (--postgres or MFARESET_TEST_POSTGRES).");
            return skipped.Build();
        }

        var portal = new Dictionary<string, string?>
        {
            // Both pools must fit in the server's connections (PostgreSQL's default max_connections is 100, Npgsql's
            // default pool 100 per instance): each instance gets its share, as a deployment sizes N instances' pools.
            ["FlowStore:ConnectionString"] = new NpgsqlConnectionStringBuilder(postgres) { MaxPoolSize = TwoInstancePoolSize }.ConnectionString,
        };
        if (_profile.SendsPerPerson is { } sends)
        {
            portal["Reset:Limits:SendsPerUser"] = sends.ToString(CultureInfo.InvariantCulture);
        }

        var settings = new StageSettings(_profile.LoadTestUsers, TimeSpan.Zero, TimeSpan.Zero, Portal: portal, PostgresConnection: postgres, Instances: 2);
        return await FigureAsync("8", title, (figure, run) =>
            RunOnStageAsync(stages, settings, stage =>
                new TwoInstanceScenario(_profile, time, _failures).RunAsync(stage, http, figure, run, ct), ct), ct).ConfigureAwait(false);
    }

    private async Task<Figure> FigureAsync(string id, string title, Func<FigureBuilder, int, Task> run, CancellationToken ct)
    {
        var figure = new FigureBuilder(id, title);
        await RepeatAsync($"{id} ({title})", i => run(figure, i), ct).ConfigureAwait(false);
        return figure.Build();
    }

    private async Task RepeatAsync(string what, Func<int, Task> run, CancellationToken ct)
    {
        for (var i = 1; i <= _profile.Runs; i++)
        {
            ct.ThrowIfCancellationRequested();
            var started = time.GetTimestamp();
            await output.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"Figure {what}: run {i} of {_profile.Runs}…")).ConfigureAwait(false);
            await run(i).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $" {time.GetElapsedTime(started).TotalSeconds:0.0} s, {_failures.Count} failures so far")).ConfigureAwait(false);
        }
    }

    private static async Task RunOnStageAsync(StageSource stages, StageSettings settings, Func<Stage, Task> run, CancellationToken ct)
    {
        await using var lease = await stages.OpenAsync(settings, ct).ConfigureAwait(false);
        await run(lease.Stage).ConfigureAwait(false);
    }

    // tests/MfaReset.LoadTest/results (git-ignored), found from the build output by the solution file.
    private static string DefaultOutputFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MfaReset.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "MfaReset.LoadTest", "results");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "loadtest-results");
    }
}
