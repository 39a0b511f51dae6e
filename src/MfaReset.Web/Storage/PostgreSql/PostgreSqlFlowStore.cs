using System.Text.Json;
using MfaReset.Web.Reset.State;
using Npgsql;
using NpgsqlTypes;

namespace MfaReset.Web.Storage.PostgreSql;

/// <summary>
/// <see cref="IFlowStore"/> in PostgreSQL, shared by every portal instance. Each member is one
/// statement, so every compare-and-set is decided by the database row lock, never by an instance;
/// only a rate check or give-back is two statements in one implicit transaction (lock the counters, then count and record).
/// Flow state is JSON (<see cref="FlowStateJsonContext"/>), so a new optional field needs no migration.
/// </summary>
/// <remarks>
/// Time is the instance's <see cref="TimeProvider"/>, passed as a parameter; the database's <c>now()</c>
/// is never used. The flow computes its deadlines on that same clock, tests can move it, and a store
/// test means what it says. The cost: instances must keep their clocks in sync (NTP). A skew of a few
/// seconds moves an expiry or a rolling window by as much, seen from the skewed instance, which is
/// small against minutes-long TTLs; single use is unaffected, since it rests on versions, not time.
/// Expired rows are invisible to every read and write here; <see cref="DeleteExpiredAsync"/> reclaims them.
/// </remarks>
public sealed partial class PostgreSqlFlowStore : IFlowStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly int _cleanupBatchSize;
    private readonly FlowStoreSql _sql;

    public PostgreSqlFlowStore(NpgsqlDataSource dataSource, FlowStoreOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _timeProvider = timeProvider;
        _cleanupBatchSize = options.CleanupBatchSize;
        _sql = new FlowStoreSql(options.Schema);
        Schema = new FlowStoreSchema(dataSource, options.Schema, timeProvider);
    }

    /// <summary>Creates or upgrades the tables; the portal calls it once at start.</summary>
    public FlowStoreSchema Schema { get; }

    public async Task<bool> TryAddAsync(FlowState state, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var command = Command(_sql.AddFlow,
            P("key", state.Key), StateParameter(state with { Version = 1 }), P("retain_until", Utc(retainUntil)), P("now", Now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<FlowState?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = Command(_sql.GetFlow, P("key", key), P("now", Now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return ReadState(reader);
    }

    // A GetFlow row: version, state.
    private static FlowState ReadState(NpgsqlDataReader reader)
    {
        var state = JsonSerializer.Deserialize(reader.GetString(1), FlowStateJsonContext.Default.FlowState)
            ?? throw new JsonException("A stored flow is JSON null.");
        return state with { Version = reader.GetInt64(0) };
    }

    public async Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        var stored = replacement with { Version = current.Version + 1 };
        await using var command = string.Equals(current.Key, replacement.Key, StringComparison.Ordinal)
            ? Command(_sql.ReplaceFlow,
                P("key", current.Key), P("version", current.Version), StateParameter(stored), P("retain_until", Utc(retainUntil)), P("now", Now))
            : Command(_sql.MoveFlow,
                P("key", current.Key), P("version", current.Version), P("new_key", replacement.Key), StateParameter(stored), P("retain_until", Utc(retainUntil)), P("now", Now));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null ? null : stored;
    }

    public async Task<FlowState?> TryReplaceAsync(FlowState current, FlowState replacement, DateTimeOffset retainUntil, StoreWrites alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        ArgumentNullException.ThrowIfNull(alongside);
        alongside.ThrowIfInvalid(nameof(alongside));
        if (alongside.IsEmpty)
        {
            return await TryReplaceAsync(current, replacement, retainUntil, cancellationToken).ConfigureAwait(false);
        }

        var stored = replacement with { Version = current.Version + 1 };
        var now = Now;
        NpgsqlParameter[] flow = string.Equals(current.Key, replacement.Key, StringComparison.Ordinal)
            ? [P("key", current.Key), P("version", current.Version), StateParameter(stored), P("retain_until", Utc(retainUntil))]
            : [P("key", current.Key), P("version", current.Version), P("new_key", replacement.Key), StateParameter(stored), P("retain_until", Utc(retainUntil))];
        var sql = flow.Length == 4 ? _sql.ReplaceFlowWithWrites : _sql.MoveFlowWithWrites;
        await using var batch = WritesBatch(sql, alongside, now, flow);
        return await WonAsync(batch, cancellationToken).ConfigureAwait(false) ? stored : null;
    }

    public async Task<bool> ApplyAsync(StoreWrites writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        writes.ThrowIfInvalid(nameof(writes));
        if (writes.IsEmpty)
        {
            return true;
        }

        await using var batch = WritesBatch(_sql.ApplyWrites, writes, Now, []);
        return await WonAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    // Whether a WritesBatch's statement returned its "won" row (after the counters' locks, when it has them).
    private static async Task<bool> WonAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (batch.BatchCommands.Count > 1)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the locks' rows
        }

        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(bool Recorded, FlowState? Flow)> TryRecordEventAndGetAsync(string counterKey, IReadOnlyList<RateRule> rules, string flowKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counterKey);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(flowKey);
        if (rules.Count == 0)
        {
            // Nothing to count (as TryRecordEventsAsync leaves such a counter out): only the read.
            return (true, await GetAsync(flowKey, cancellationToken).ConfigureAwait(false));
        }

        var now = Now;
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(LockCounters([counterKey]));
        batch.BatchCommands.Add(RecordEventsCommand([(counterKey, rules)], now));
        batch.BatchCommands.Add(BatchCommand(_sql.GetFlow, P("key", flowKey), P("now", now)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the locks' rows
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var recorded = reader.IsDBNull(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return (recorded, await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadState(reader) : null);
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = Command(_sql.RemoveFlow, P("key", key));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryRecordEventAsync(string counterKey, IReadOnlyList<RateRule> rules, CancellationToken cancellationToken) =>
        await TryRecordEventsAsync([new CountedEvent(counterKey, rules)], cancellationToken).ConfigureAwait(false) is null;

    public async Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        CounterKeyList.ThrowIfInvalid([.. events.Select(e => e.CounterKey)], nameof(events));
        // A counter without rules limits nothing and would never be counted: it is left out.
        var limited = events.Select((e, index) => (e.CounterKey, e.Rules, Index: index)).Where(e => e.Rules.Count > 0).ToList();
        if (limited.Count == 0)
        {
            return null;
        }

        // A batch without a transaction runs as one implicit transaction: the advisory locks, taken by the first
        // statement, serialize each counter until the conditional insert has committed, and the insert's own
        // snapshot (read committed) then sees every event recorded before the locks.
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(LockCounters(limited.Select(e => e.CounterKey)));
        batch.BatchCommands.Add(RecordEventsCommand([.. limited.Select(e => (e.CounterKey, e.Rules))], Now));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the locks' rows
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.IsDBNull(0) ? null : limited[reader.GetInt32(0) - 1].Index;
    }

    public async Task<int?> TryRecordEventsAsync(IReadOnlyList<CountedEvent> events, StoreWrites onRecorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(onRecorded);
        CounterKeyList.ThrowIfInvalid([.. events.Select(e => e.CounterKey)], nameof(events));
        onRecorded.ThrowIfInvalid(nameof(onRecorded));
        if (onRecorded.Requires.Count > 0)
        {
            throw new ArgumentException("Counters are recorded whatever leases are held: a step's required leases go with its flow's write.", nameof(onRecorded));
        }

        if (onRecorded.IsEmpty || events.Any(e => e.Rules.Count == 0))
        {
            // Nothing to write, or a counter without rules (left out, as TryRecordEventsAsync does): the two steps apart.
            var refused = await TryRecordEventsAsync(events, cancellationToken).ConfigureAwait(false);
            if (refused is null)
            {
                await ApplyAsync(onRecorded, cancellationToken).ConfigureAwait(false);
            }

            return refused;
        }

        var now = Now;
        await using var batch = WritesBatch(_sql.RecordEventsWithWrites, onRecorded, now, RecordEventsParameters([.. events.Select(e => (e.CounterKey, e.Rules))], now),
            lockedCounters: [.. events.Select(e => e.CounterKey)]);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the locks' rows
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.IsDBNull(0) ? null : reader.GetInt32(0) - 1;
    }

    public async Task<FlowCensus> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(_sql.CountFlows, P("now", Utc(now)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new FlowCensus(reader.GetInt64(0), reader.GetInt64(1));
    }

    public Task ForgetEventAsync(string counterKey, CancellationToken cancellationToken) =>
        ForgetEventsAsync([counterKey], cancellationToken);

    public async Task ForgetEventsAsync(IReadOnlyList<string> counterKeys, CancellationToken cancellationToken)
    {
        CounterKeyList.ThrowIfInvalid(counterKeys, nameof(counterKeys));
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(LockCounters(counterKeys));
        batch.BatchCommands.Add(BatchCommand(_sql.ForgetEvents, P("counter_keys", counterKeys.ToArray()), P("now", Now)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryAcquireLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var command = Command(_sql.AcquireLease, P("key", leaseKey), P("holder", holder), P("retain_until", now + ttl), P("now", now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task ReleaseLeaseAsync(string leaseKey, string holder, CancellationToken cancellationToken)
    {
        await using var command = Command(_sql.ReleaseLease, P("key", leaseKey), P("holder", holder));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetLeaseAsync(string leaseKey, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var command = Command(_sql.SetLease, P("key", leaseKey), P("holder", holder), P("retain_until", Now + ttl));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetLeaseHolderAsync(string leaseKey, CancellationToken cancellationToken)
    {
        await using var command = Command(_sql.GetLeaseHolder, P("key", leaseKey), P("now", Now));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>
    /// Deletes rows whose retention ended, a batch per statement so no statement holds many locks;
    /// rows another transaction holds are skipped (several instances may sweep at once). Returns how many went.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var total = 0;
        foreach (var statement in _sql.DeleteExpired)
        {
            int deleted;
            do
            {
                await using var command = Command(statement, P("now", now), P("batch_size", _cleanupBatchSize));
                deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                total += deleted;
            }
            while (deleted == _cleanupBatchSize);
        }

        return total;
    }

    private DateTimeOffset Now => _timeProvider.GetUtcNow();

    // timestamptz parameters must be UTC.
    private static DateTimeOffset Utc(DateTimeOffset at) => at.ToUniversalTime();

    private static NpgsqlParameter<string> StateParameter(FlowState state) =>
        new("state", NpgsqlDbType.Jsonb) { TypedValue = JsonSerializer.Serialize(state, FlowStateJsonContext.Default.FlowState) };

    private static NpgsqlParameter<T> P<T>(string name, T value) => new(name, value);

    private NpgsqlCommand Command(string sql, params ReadOnlySpan<NpgsqlParameter> parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }

    // One event per counter, all or nothing (FlowStoreSql.RecordEvents); each counter has at least one rule.
    private NpgsqlBatchCommand RecordEventsCommand(IReadOnlyList<(string CounterKey, IReadOnlyList<RateRule> Rules)> counters, DateTimeOffset now) =>
        BatchCommand(_sql.RecordEvents, [.. RecordEventsParameters(counters, now), P("now", now)]);

    // RecordEvents' parameters but @now, which a statement with writes sets with its own.
    private static NpgsqlParameter[] RecordEventsParameters(IReadOnlyList<(string CounterKey, IReadOnlyList<RateRule> Rules)> counters, DateTimeOffset now)
    {
        var rules = counters.SelectMany((c, i) => c.Rules.Select(rule => (Counter: i + 1, Rule: rule))).ToList();
        return
        [
            P("counter_keys", counters.Select(c => c.CounterKey).ToArray()),
            P("retain_until", counters.Select(c => now + c.Rules.Max(r => r.Window)).ToArray()),
            P("rule_counters", rules.Select(r => r.Counter).ToArray()),
            P("limits", rules.Select(r => r.Rule.Limit).ToArray()),
            P("since", rules.Select(r => now - r.Rule.Window).ToArray()),
        ];
    }

    /// <summary>
    /// <paramref name="sql"/> (a <see cref="FlowStoreSql"/> statement with writes) with <paramref name="writes"/> and
    /// <paramref name="flow"/>'s parameters, after the advisory locks of the counters it gives back, as one batch: one
    /// round trip and one implicit transaction, so a give-back is serialized with the counters' records as everywhere.
    /// </summary>
    /// <param name="lockedCounters">Counters the statement records in, locked with those it gives back.</param>
    private NpgsqlBatch WritesBatch(string sql, StoreWrites writes, DateTimeOffset now, NpgsqlParameter[] flow, IReadOnlyList<string>? lockedCounters = null)
    {
        var batch = _dataSource.CreateBatch();
        var locked = (lockedCounters ?? []).Concat(writes.ForgetEvents).Distinct(StringComparer.Ordinal).ToList();
        if (locked.Count > 0)
        {
            batch.BatchCommands.Add(LockCounters(locked));
        }

        batch.BatchCommands.Add(BatchCommand(sql, [
            .. flow,
            P("set_keys", writes.SetLeases.Select(l => l.Key).ToArray()),
            P("set_holders", writes.SetLeases.Select(l => l.Holder).ToArray()),
            P("set_until", writes.SetLeases.Select(l => now + l.For).ToArray()),
            P("release_keys", writes.ReleaseLeases.Select(l => l.Key).ToArray()),
            new NpgsqlParameter<string?[]>("release_holders", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = writes.ReleaseLeases.Select(l => l.Holder).ToArray() },
            P("forget_keys", writes.ForgetEvents.ToArray()),
            P("require_keys", writes.Requires.Select(r => r.Key).ToArray()),
            new NpgsqlParameter<string?[]>("require_holders", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = writes.Requires.Select(r => r.Holder).ToArray() },
            P("now", now)]));
        return batch;
    }

    // Sorted, so every writer takes the locks of the counters it shares with another in the same order.
    private NpgsqlBatchCommand LockCounters(IEnumerable<string> counterKeys) => BatchCommand(_sql.LockCounters,
        P("lock_ids", counterKeys.Select(key => FlowStoreSql.AdvisoryLockId(_sql.Schema, "counter:" + key)).Order().ToArray()));

    private static NpgsqlBatchCommand BatchCommand(string sql, params ReadOnlySpan<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }
}
