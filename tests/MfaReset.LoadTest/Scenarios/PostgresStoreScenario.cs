using System.Globalization;
using System.Text;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Sandbox;
using MfaReset.Web.Storage.PostgreSql;
using Npgsql;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figure 7: the PostgreSQL flow store under the driver. Throughput against the in-memory store comes from
/// <see cref="ThroughputScenario"/> run on both stores in the same run (<see cref="AddThroughput"/>); the
/// rest is read on one PostgreSQL stage (<see cref="RunReadingsAsync"/>): the statements each reset sends,
/// the tables' size with K pending pushes, and the cleanup's plans and locks.
/// </summary>
internal sealed class PostgresStoreScenario(LoadProfile profile, TimeProvider time, FailureLog failures)
{
    public const string Memory = "in-memory";
    public const string Postgres = "PostgreSQL";

    /// <summary>Relation lock modes that block no reader and no row writer: what the sweep may take.</summary>
    private static readonly HashSet<string> RowLevelLockModes = new(StringComparer.Ordinal)
    {
        "AccessShareLock", "RowShareLock", "RowExclusiveLock",
    };

    private const int SetupParallelism = 16;

    /// <summary>The portal's default batch (FlowStore:CleanupBatchSize).</summary>
    private const int BatchSize = 500;

    private static readonly string[] Tables = ["flows", "rate_events", "leases"];

    /// <summary>
    /// The statements a completed reset needs, each for a guarantee (tests/MfaReset.LoadTest/README.md lists
    /// which): the figure holds the counted statements to these. A push reset includes the one poll that sees it approved.
    /// </summary>
    private static readonly (ResetKind Kind, string Label, int Statements)[] Kinds =
    [
        (ResetKind.Sms, "SMS", 41),
        (ResetKind.OktaVerifyTotp, "TOTP code", 33),
        (ResetKind.Push, "push", 35),
    ];

    /// <summary>Adds one run's resets per second and p99 per page of both stores, and their ratio per concurrency.</summary>
    /// <param name="memory">What <see cref="ThroughputScenario"/> wrote for the in-memory store in this run.</param>
    /// <param name="postgres">The same for the PostgreSQL store.</param>
    public void AddThroughput(FigureBuilder figure, Figure memory, Figure postgres)
    {
        foreach (var users in profile.ConcurrencyLevels)
        {
            var rate = $"{users} users: completed resets/s";
            var p99 = $"{users} users: all pages p99";
            figure.Add($"{users} users: {Memory} completed resets/s", "/s", Value(memory, rate));
            figure.Add($"{users} users: {Postgres} completed resets/s", "/s", Value(postgres, rate));
            figure.Add($"{users} users: {Postgres} ÷ {Memory} completed resets/s", "×",
                Value(postgres, rate) / Value(memory, rate), Target.AtLeast(0.5));
            figure.Add($"{users} users: {Memory} all pages p99", "ms", Value(memory, p99));
            figure.Add($"{users} users: {Postgres} all pages p99", "ms", Value(postgres, p99));
        }

        foreach (var (store, measured) in new[] { (Memory, memory), (Postgres, postgres) })
        {
            foreach (var page in measured.Pages)
            {
                figure.AddPage(page.Users, new PageLatency($"{page.Page} ({store})", page.Runs, page.P50, page.P95, page.P99));
            }
        }

        figure.Note("Throughput: SMS and TOTP resets back to back (ThroughputScenario, as figure 2), on a fresh stage per store; the store measured first alternates from run to run.");
    }

    /// <summary>Statements per reset, table sizes with pending pushes, and the cleanup's plans and locks, on one PostgreSQL stage.</summary>
    public async Task RunReadingsAsync(Stage stage, FigureBuilder figure, CancellationToken ct)
    {
        var store = stage.Store ?? throw new ArgumentException("Figure 7's readings need a stage on the PostgreSQL store.", nameof(stage));
        var pending = await StartPushesAsync(stage, profile.PostgresPendingPushes, ct).ConfigureAwait(false);
        await ReadSizesAsync(store, pending, figure, ct).ConfigureAwait(false);
        await CountStatementsAsync(stage, store, figure, ct).ConfigureAwait(false);
        await ReadCleanupAsync(store, profile.PostgresPendingPushes, figure, ct).ConfigureAwait(false);
    }

    private static double Value(Figure figure, string label) =>
        figure.Rows.FirstOrDefault(r => r.Label == label)?.Median ?? double.NaN;

    // K people start a push reset and wait; nobody polls or answers (their flows sit in the store as on a mass-reset day).
    private async Task<int> StartPushesAsync(Stage stage, int count, CancellationToken ct)
    {
        using var http = Browsers.NewHttpClient();
        var recorder = new LatencyRecorder();
        var started = 0;
        var next = 0;
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                if (!stage.Users.TryTake(ResetKind.Push, out var login))
                {
                    failures.Add("Figure 7: no sandbox user left for a push; raise the stage's LoadTestUsers.");
                    return;
                }

                try
                {
                    await ResetJourney.StartPushAsync(new BrowserSession(http, recorder, time, profile.NullOriginOnForms), stage.PortalUrl, login, ct).ConfigureAwait(false);
                    Interlocked.Increment(ref started);
                }
                catch (Exception e) when (e is JourneyException or InvalidOperationException or HttpRequestException)
                {
                    failures.Add($"Figure 7: starting a push flow for {login}: {e.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, SetupParallelism).Select(_ => Task.Run(WorkerAsync, ct))).ConfigureAwait(false);
        failures.AddServerErrors(recorder, "Figure 7, starting pushes");
        return started;
    }

    private static async Task ReadSizesAsync(StageStore store, int pending, FigureBuilder figure, CancellationToken ct)
    {
        var label = $"{pending.ToString("N0", CultureInfo.InvariantCulture)} pending pushes";
        long total = 0;
        var sizes = new StringBuilder();
        foreach (var table in Tables)
        {
            await using var command = store.DataSource.CreateCommand($"""
                SELECT (SELECT count(*) FROM "{store.Schema}".{table}),
                       pg_relation_size(@table), pg_indexes_size(@table), pg_total_relation_size(@table)
                """);
            command.Parameters.Add(new NpgsqlParameter<string>("table", $"\"{store.Schema}\".{table}"));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            var (rows, heap, indexes, all) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            figure.Add($"{label}: {table} rows per pending flow", "rows", rows / (double)pending);
            figure.Add($"{label}: {table} table bytes per pending flow", "B", heap / (double)pending);
            figure.Add($"{label}: {table} index bytes per pending flow", "B", indexes / (double)pending);
            sizes.Append(CultureInfo.InvariantCulture, $"{table}: {rows} rows, table {heap / 1024.0:0} KB, indexes {indexes / 1024.0:0} KB, total with TOAST {all / 1024.0:0} KB; ");
            total += all;
        }

        figure.Add($"{label}: all three tables with indexes and TOAST, bytes per pending flow", "B", total / (double)pending);
        figure.Note($"{label}: {sizes.ToString().TrimEnd(' ', ';')}. Sizes include the row versions each flow's updates left behind until vacuum reclaims them, as a server sees them mid-day.");
    }

    // Resets one at a time, each counted from its first page to its last: every statement the store sends then belongs to it.
    private async Task CountStatementsAsync(Stage stage, StageStore store, FigureBuilder figure, CancellationToken ct)
    {
        using var statements = new StoreStatements(store.Schema);
        using var http = new HttpClient(statements.PageMarker(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }));
        var journey = new ResetJourney(stage.Probe, time);
        var push = new PushBehavior(1, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        var background = 0;
        foreach (var (kind, label, listed) in Kinds)
        {
            var perReset = new List<List<RoundTrip>>();
            var polls = 0;
            // The first reset of a kind is not counted: it would also pay for anything loaded once per process.
            for (var i = 0; i <= profile.ResetsPerKind && stage.Users.TryTake(kind, out var login); i++)
            {
                var recorder = new LatencyRecorder();
                statements.Take();
                var outcome = await journey.RunAsync(new BrowserSession(http, recorder, time, profile.NullOriginOnForms), stage.PortalUrl, login, kind, push, ct).ConfigureAwait(false);
                var trips = statements.Take();
                background += trips.Count(StoreStatements.IsBackground);
                failures.AddServerErrors(recorder, "Figure 7, counting statements");
                if (outcome is ResetOutcome.Failed failed)
                {
                    failures.Add($"Figure 7: {failed.Reason}");
                }
                else if (i > 0)
                {
                    perReset.Add([.. trips.Where(t => !StoreStatements.IsBackground(t))]);
                    polls += recorder.Summarize().Where(p => IsPoll(p.Page)).Sum(p => p.Count);
                }
            }

            if (perReset.Count == 0)
            {
                failures.Add($"Figure 7: no {label} reset completed for counting statements.");
                continue;
            }

            figure.Add($"{label}: statements per completed reset", "statements",
                perReset.Average(trips => trips.Sum(t => t.Statements.Count)), Target.AtMost(listed));
            figure.Add($"{label}: round trips per completed reset", "round trips", perReset.Average(trips => trips.Count));
            foreach (var page in perReset.SelectMany(trips => trips).Select(t => t.Page ?? "(no request)").Distinct())
            {
                // Per step, so a change to one page's store calls shows where it saved (or cost) a round trip.
                var onPage = perReset.Select(trips => trips.Where(t => (t.Page ?? "(no request)") == page).ToList()).ToList();
                figure.Add($"{label}, `{page}`: round trips per reset", "round trips", onPage.Average(trips => trips.Count));
            }

            if (kind == ResetKind.Push)
            {
                // The phone approves at once, so the page's first poll finds the push approved: one poll per reset.
                figure.Add($"{label}: polls of the waiting page per reset", "polls", polls / (double)perReset.Count);
            }

            figure.Note($"{label}, statements of one reset in order: {Listing(perReset[0])}");
        }

        if (background > 0)
        {
            figure.Note($"Not counted: {background} statements of the store's timers (sweep, census) ran while the resets were counted.");
        }
    }

    // The waiting page's script polls its status handler.
    private static bool IsPoll(string page) => page.EndsWith(PortalPages.WaitForPush + "/status", StringComparison.OrdinalIgnoreCase);

    private static string Listing(IEnumerable<RoundTrip> trips) =>
        string.Join(" · ", trips.GroupBy(t => t.Page ?? "(no request)", (page, onPage) => $"`{page}`: {string.Join(", ", onPage)}"));

    // Expired rows beside the live ones, then each sweep statement's plan, and the locks one sweep batch holds.
    private async Task ReadCleanupAsync(StageStore store, int live, FigureBuilder figure, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var expired = Math.Max(live, 100);
        await using (var insert = store.DataSource.CreateCommand($"""
            INSERT INTO "{store.Schema}".flows (key, version, state, retain_until)
                SELECT 'expired-' || i, 1, jsonb_build_object(), @past FROM generate_series(1, @count) AS i;
            INSERT INTO "{store.Schema}".rate_events (counter_key, at, retain_until)
                SELECT 'expired-' || (i % 1000), @past, @past FROM generate_series(1, @count * 3) AS i;
            INSERT INTO "{store.Schema}".leases (lease_key, holder, retain_until)
                SELECT 'expired-' || i, 'x', @past FROM generate_series(1, @count) AS i;
            ANALYZE "{store.Schema}".flows, "{store.Schema}".rate_events, "{store.Schema}".leases;
            """))
        {
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("past", now.AddHours(-1)));
            insert.Parameters.Add(new NpgsqlParameter<int>("count", expired));
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        figure.Note($"Cleanup: {expired} expired flows, {expired * 3} expired rate events and {expired} expired leases inserted beside the live rows, then ANALYZE (as autovacuum would); one sweep batch of {BatchSize} rows per statement, run and rolled back.");
        var sql = new FlowStoreSql(store.Schema);
        var stronger = 0;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        for (var i = 0; i < Tables.Length; i++)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var plan = await ExplainAsync(connection, sql.DeleteExpired[i], now, ct).ConfigureAwait(false);
            figure.Note($"Cleanup of {Tables[i]}, plan (EXPLAIN ANALYZE, rolled back): {plan}");
            await transaction.RollbackAsync(ct).ConfigureAwait(false);

            await using var sweep = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var delete = SweepCommand(connection, sql.DeleteExpired[i], now))
            {
                await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var locks = await RelationLocksAsync(connection, store.Schema, ct).ConfigureAwait(false);
            stronger += locks.Count(l => !RowLevelLockModes.Contains(l.Mode));
            figure.Note($"Cleanup of {Tables[i]}, locks one sweep batch holds until it commits: {string.Join(", ", locks.Select(l => $"{l.Relation} {l.Mode}"))}");
            await sweep.RollbackAsync(ct).ConfigureAwait(false);
        }

        figure.Add("cleanup: relation locks stronger than RowExclusiveLock taken by a sweep batch", "locks", stronger, Target.AtMost(0));
    }

    private static NpgsqlCommand SweepCommand(NpgsqlConnection connection, string statement, DateTimeOffset now)
    {
        var command = new NpgsqlCommand(statement, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        command.Parameters.Add(new NpgsqlParameter<int>("batch_size", BatchSize));
        return command;
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string statement, DateTimeOffset now, CancellationToken ct)
    {
        await using var explain = SweepCommand(connection, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + statement, now);
        await using var reader = await explain.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var lines = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            lines.Add(reader.GetString(0).Trim());
        }

        return string.Join(" → ", lines);
    }

    private static async Task<List<(string Relation, string Mode)>> RelationLocksAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, l.mode FROM pg_locks AS l
            JOIN pg_class AS c ON c.oid = l.relation
            JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND n.nspname = @schema
            ORDER BY c.relname, l.mode
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("schema", schema));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var locks = new List<(string, string)>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            locks.Add((reader.GetString(0), reader.GetString(1)));
        }

        return locks;
    }
}
