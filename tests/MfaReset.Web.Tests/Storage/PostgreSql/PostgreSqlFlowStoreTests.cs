using MfaReset.Testing;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.PostgreSql;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NpgsqlTypes;

namespace MfaReset.Web.Tests.Storage.PostgreSql;

/// <summary>What only the shared store has: several instances over one database, the schema, cleanup and stored JSON.</summary>
public sealed class PostgreSqlFlowStoreTests(PostgreSqlServer postgres) : IAsyncLifetime
{
    private readonly PostgreSqlServer _postgres = postgres;
    private readonly FakeTimeProvider _clock = new(TestClock.DefaultStart);
    private readonly TestDatabase _database = new(postgres, cleanupBatchSize: 10);
    private PostgreSqlFlowStore _portalA = default!;
    private PostgreSqlFlowStore _portalB = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _portalA = await _database.CreateStoreAsync(_clock);
        _portalB = _database.NewStore(_clock);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private FlowState Verified(string key = "k1") => new()
    {
        Key = key,
        Stage = FlowStage.Verified,
        CreatedAt = _clock.GetUtcNow(),
        ExpiresAt = In(15),
        LastActivityAt = _clock.GetUtcNow(),
        SubjectKey = "user:1",
        Factors = [],
        TokenHash = [7, 7, 7],
        TokenState = TokenState.Unused,
    };

    private DateTimeOffset In(int minutes) => _clock.GetUtcNow().AddMinutes(minutes);

    // Both pools full before a race, so the racers really overlap.
    private async Task WarmUpAsync() =>
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => (i % 2 == 0 ? _portalA : _portalB).GetAsync("warm-up", Ct))));

    private async Task<(long Flows, long Events, long Leases)> CountRowsAsync() =>
        (await _database.CountAsync("flows"), await _database.CountAsync("rate_events"), await _database.CountAsync("leases"));

    [Fact]
    public async Task ATokenConsumedThroughOneInstanceCannotBeConsumedThroughAnother()
    {
        await _portalA.TryAddAsync(Verified(), In(30), Ct);
        var seenByA = (await _portalA.GetAsync("k1", Ct))!;
        var seenByB = (await _portalB.GetAsync("k1", Ct))!;

        var consumedByA = await _portalA.TryReplaceAsync(seenByA, seenByA with { TokenState = TokenState.InProgress }, In(30), Ct);
        var consumedByB = await _portalB.TryReplaceAsync(seenByB, seenByB with { TokenState = TokenState.InProgress }, In(30), Ct);

        Assert.NotNull(consumedByA);
        Assert.Null(consumedByB);
        Assert.Equal(TokenState.InProgress, (await _portalB.GetAsync("k1", Ct))!.TokenState);
    }

    [Fact]
    public async Task InstancesRacingForOneTokenHaveOneWinner()
    {
        await _portalA.TryAddAsync(Verified(), In(30), Ct);
        var seen = (await _portalB.GetAsync("k1", Ct))!;
        await WarmUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => (i % 2 == 0 ? _portalA : _portalB).TryReplaceAsync(seen, seen with { TokenState = TokenState.InProgress }, In(30), Ct))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task InstancesShareLimitsAndLeases()
    {
        RateRule[] fourPerWindow = [new(4, TimeSpan.FromMinutes(15))];
        await WarmUpAsync();

        var recorded = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => (i % 2 == 0 ? _portalA : _portalB).TryRecordEventAsync("codes:user:1", fourPerWindow, Ct))));
        var leasedByA = await _portalA.TryAcquireLeaseAsync("push-open:user:1", "flow-a", TimeSpan.FromMinutes(5), Ct);
        var leasedByB = await _portalB.TryAcquireLeaseAsync("push-open:user:1", "flow-b", TimeSpan.FromMinutes(5), Ct);

        Assert.Equal(4, recorded.Count(r => r));
        Assert.True(leasedByA);
        Assert.False(leasedByB);
        Assert.Equal("flow-a", await _portalB.GetLeaseHolderAsync("push-open:user:1", Ct));
    }

    [Fact]
    public async Task InstancesRecordingTheSameCountersTogetherNeverOvershootAndRefusalsSpendNothing()
    {
        RateRule[] global = [new(3, TimeSpan.FromDays(1))];
        RateRule[] person = [new(20, TimeSpan.FromMinutes(15))];
        await WarmUpAsync();

        // A send on each instance at once: the person's counter and the portal-wide budget, listed in either order.
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => (i % 2 == 0 ? _portalA : _portalB).TryRecordEventsAsync(
            i % 4 < 2 ? [new("sends:user:1", person), new("sends:global", global)] : [new("sends:global", global), new("sends:user:1", person)], Ct))));

        Assert.Equal(3, results.Count(r => r is null));
        Assert.Equal(3, (await _portalB.EventTimesAsync("sends:user:1", Ct)).Count); // the refused sends spent none of the person's
        Assert.Equal(3, (await _portalB.EventTimesAsync("sends:global", Ct)).Count);
    }

    [Fact]
    public async Task CleanupDeletesOnlyExpiredRows()
    {
        RateRule[] rules = [new(100, TimeSpan.FromMinutes(10))];
        foreach (var i in Enumerable.Range(0, 25))
        {
            await _portalA.TryAddAsync(Verified($"old{i}"), In(5), Ct);
            await _portalA.TryRecordEventAsync("old", rules, Ct);
            await _portalA.SetLeaseAsync($"old{i}", "x", TimeSpan.FromMinutes(5), Ct);
        }

        await _portalA.TryAddAsync(Verified("live"), In(30), Ct);
        await _portalA.SetLeaseAsync("live", "x", TimeSpan.FromMinutes(30), Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await _portalA.TryRecordEventAsync("live", rules, Ct);

        var deleted = await _portalA.DeleteExpiredAsync(Ct);

        Assert.Equal(50, deleted); // flows and leases, in batches of 10; the old events still count for 10 minutes
        Assert.Equal((1L, 26L, 1L), await CountRowsAsync());
        Assert.NotNull(await _portalA.GetAsync("live", Ct));
        Assert.Equal("x", await _portalA.GetLeaseHolderAsync("live", Ct));
        Assert.False(await _portalA.TryRecordEventAsync("old", [new(25, TimeSpan.FromMinutes(10))], Ct));

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(25, await _portalB.DeleteExpiredAsync(Ct));
        Assert.Equal((1L, 1L, 1L), await CountRowsAsync());
    }

    [Fact]
    public async Task ASweepHoldingItsBatchBlocksNoReadOrWriteOfLiveFlowsEventsOrLeases()
    {
        RateRule[] rules = [new(100, TimeSpan.FromMinutes(1))];
        foreach (var i in Enumerable.Range(0, 25))
        {
            await _portalA.TryAddAsync(Verified($"old{i}"), In(1), Ct);
            await _portalA.TryRecordEventAsync("old", rules, Ct);
            await _portalA.SetLeaseAsync($"old{i}", "x", TimeSpan.FromMinutes(1), Ct);
        }

        await _portalA.TryAddAsync(Verified("live"), In(30), Ct);
        _clock.Advance(TimeSpan.FromMinutes(2));
        // A sweep in progress: one batch of each statement deleted, its transaction still open and its row locks held.
        await using var sweeper = await _database.Admin.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var sweep = await sweeper.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var batch = 0;
        foreach (var statement in new FlowStoreSql(_database.Schema).DeleteExpired)
        {
            await using var delete = new NpgsqlCommand(statement, sweeper);
            delete.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", _clock.GetUtcNow()));
            delete.Parameters.Add(new NpgsqlParameter<int>("batch_size", 10));
            batch += await delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Another instance whose statements give up after a second of waiting on a lock, so a block fails here rather than hangs.
        var impatient = new NpgsqlConnectionStringBuilder(PostgreSqlServer.ConnectionString) { Options = "-c lock_timeout=1000 -c statement_timeout=5000" };
        await using var dataSource = NpgsqlDataSource.Create(impatient.ConnectionString);
        var other = new PostgreSqlFlowStore(dataSource, _database.Options, _clock);
        var live = (await other.GetAsync("live", Ct))!;
        var replaced = await other.TryReplaceAsync(live, live with { TokenState = TokenState.InProgress }, In(30), Ct);
        var added = await other.TryAddAsync(Verified("new"), In(30), Ct);
        var recorded = await other.TryRecordEventAsync("old", rules, Ct); // the counter whose expired events the sweep holds
        await other.ForgetEventAsync("old", Ct);
        var leased = await other.TryAcquireLeaseAsync("old-fresh", "y", TimeSpan.FromMinutes(5), Ct);
        await sweep.CommitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(30, batch);
        Assert.Equal(TokenState.InProgress, replaced?.TokenState);
        Assert.True(added);
        Assert.True(recorded);
        Assert.True(leased);
        Assert.Equal(2L, (await _portalA.GetAsync("live", Ct))!.Version);
        Assert.Equal((17L, 15L, 16L), await CountRowsAsync());
    }

    [Fact]
    public async Task MaintenanceSweepsOnTheCleanupInterval()
    {
        await _portalA.TryAddAsync(Verified("old"), In(1), Ct);
        await _portalA.TryAddAsync(Verified("live"), In(30), Ct);
        var swept = new SweepSignal();
        using var maintenance = new FlowStoreMaintenance(_portalA, Microsoft.Extensions.Options.Options.Create(_database.Options), _clock, swept);
        await maintenance.StartAsync(Ct);

        _clock.Advance(_database.Options.CleanupInterval);
        await swept.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await maintenance.StopAsync(Ct);

        Assert.Equal(1L, await _database.CountAsync("flows"));
        Assert.NotNull(await _portalA.GetAsync("live", Ct));
    }

    [Fact]
    public async Task SchemaSetUpIsIdempotentAndSafeForInstancesStartingTogether()
    {
        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _database.NewStore(_clock).Schema.EnsureAsync(Ct))));

        Assert.All(versions, found => Assert.Equal(FlowStoreSchema.LatestVersion, found));
        Assert.Equal(FlowStoreSchema.LatestVersion, await _database.CountAsync("schema_version"));
    }

    [Fact]
    public async Task SchemaIsCreatedWhereNoneExists()
    {
        await using var elsewhere = new TestDatabase(_postgres);

        var found = await elsewhere.NewStore(_clock).Schema.EnsureAsync(Ct);

        Assert.Equal(0, found);
        Assert.Equal(0L, await elsewhere.CountAsync("flows"));
    }

    [Fact]
    public async Task StoredStateReadsAcrossVersionsOfTheFlowRecord()
    {
        // Written by a newer portal (a field this build does not know) or an older one (optional fields absent).
        const string Json = """
            {"key":"k1","version":9,"stage":"Challenged","createdAt":"2026-11-02T09:00:00+00:00","expiresAt":"2026-11-02T09:15:00+00:00",
             "lastActivityAt":"2026-11-02T09:01:00+00:00","subjectKey":"user:1","factors":[{"choiceKey":"sms","kind":"Sms","label":"Text","oktaFactorId":"f1"}],
             "someFutureField":{"nested":[1,2]}}
            """;
        await _database.ExecuteAsync(
            "INSERT INTO {schema}.flows (key, version, state, retain_until) VALUES ('k1', 3, @state, @retain_until)",
            new NpgsqlParameter<string>("state", NpgsqlDbType.Jsonb) { TypedValue = Json },
            new NpgsqlParameter<DateTimeOffset>("retain_until", In(30)));

        var read = (await _portalA.GetAsync("k1", Ct))!;

        Assert.Equal((3L, FlowStage.Challenged, "f1"), (read.Version, read.Stage, read.Factors.Single().OktaFactorId));
        Assert.Equal((0, TokenState.None, null), (read.CodeAttempts, read.TokenState, read.Push));
    }

    [Fact]
    public async Task PasswordRulesAreStoredAsKindAndNumberAndOldSentencesStillRead()
    {
        var rules = new[] { PasswordRule.MinLength(12), PasswordRule.History(4), PasswordRule.Of(PasswordRuleKind.NoPersonalWords), PasswordRule.Configured("not be a product name") };
        await _portalA.TryAddAsync(Verified() with { PasswordRules = rules }, In(30), Ct);

        Assert.Equal(rules, (await _portalB.GetAsync(Verified().Key, Ct))!.PasswordRules);
        await using (var command = _database.Admin.CreateCommand($"SELECT state->'passwordRules'->>0 FROM \"{_database.Schema}\".flows"))
        {
            Assert.Equal("MinLength:12", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        // A row an earlier portal wrote: the checklist's sentences, read as configured lines.
        await _database.ExecuteAsync(
            "UPDATE {schema}.flows SET state = jsonb_set(state, '{passwordRules}', '[\"be at least 8 characters long\"]')");
        Assert.Equal([PasswordRule.Configured("be at least 8 characters long")], (await _portalA.GetAsync(Verified().Key, Ct))!.PasswordRules);
    }

    [Fact]
    public async Task StoredStateNamesEnumsAndLeavesOutNulls()
    {
        await _portalA.TryAddAsync(Verified(), In(30), Ct);

        await using var command = _database.Admin.CreateCommand($"SELECT state->>'stage', state->>'tokenState', state ? 'push' FROM \"{_database.Schema}\".flows");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("Verified", "Unused", false), (reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
    }

    /// <summary>A logger for <see cref="FlowStoreMaintenance"/> that completes when a sweep is logged.</summary>
    private sealed class SweepSignal : Microsoft.Extensions.Logging.ILogger<FlowStoreMaintenance>
    {
        private readonly TaskCompletionSource _swept = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _swept.Task;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 1401)
            {
                _swept.TrySetResult();
            }
            else if (eventId.Id == 1402)
            {
                _swept.TrySetException(exception ?? new InvalidOperationException(formatter(state, exception)));
            }
        }
    }
}
