using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MfaReset.Web.Storage.PostgreSql;

/// <summary>
/// The statements of <see cref="PostgreSqlFlowStore"/>, one per store member, with the schema written in.
/// The schema name is validated as a plain identifier (<c>FlowStoreOptions.Schema</c>) and quoted;
/// every value is a parameter. A row whose <c>retain_until</c> has passed counts as absent everywhere.
/// </summary>
internal sealed class FlowStoreSql(string schema)
{
    public string Schema { get; } = schema;

    /// <summary>Inserts a flow; an expired row under the same key is taken over, a live one wins.</summary>
    public string AddFlow { get; } = $"""
        INSERT INTO "{schema}".flows AS f (key, version, state, retain_until)
        VALUES (@key, 1, @state, @retain_until)
        ON CONFLICT (key) DO UPDATE SET version = 1, state = EXCLUDED.state, retain_until = EXCLUDED.retain_until
        WHERE f.retain_until <= @now
        """;

    public string GetFlow { get; } = $"""
        SELECT version, state FROM "{schema}".flows WHERE key = @key AND retain_until > @now
        """;

    /// <summary>Compare-and-set: concurrent writers of one version queue on the row lock, and all but the first then fail the version check.</summary>
    public string ReplaceFlow { get; } = $"""
        UPDATE "{schema}".flows SET version = version + 1, state = @state, retain_until = @retain_until
        WHERE key = @key AND version = @version AND retain_until > @now
        RETURNING version
        """;

    /// <summary>
    /// Compare-and-set onto a new key: only the writer whose delete claimed the old row inserts the new
    /// one. Were the new key live already (new keys are 256-bit random), the old row would still be gone
    /// and nothing returned, as in the in-memory store.
    /// </summary>
    public string MoveFlow { get; } = $"""
        WITH claimed AS (
            DELETE FROM "{schema}".flows
            WHERE key = @key AND version = @version AND retain_until > @now
            RETURNING version)
        INSERT INTO "{schema}".flows AS f (key, version, state, retain_until)
        SELECT @new_key, version + 1, @state, @retain_until FROM claimed
        ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, retain_until = EXCLUDED.retain_until
        WHERE f.retain_until <= @now
        RETURNING version
        """;

    /// <summary><see cref="ReplaceFlow"/>, and when it wins, <see cref="StoreWrites"/> in the same statement (<see cref="WithWrites"/>).</summary>
    public string ReplaceFlowWithWrites { get; } = WithWrites(schema, $"""
        won AS (
            UPDATE "{schema}".flows SET version = version + 1, state = @state, retain_until = @retain_until
            WHERE key = @key AND version = @version AND retain_until > @now AND {LeasesAsRequired(schema)}
            RETURNING version)
        """);

    /// <summary><see cref="MoveFlow"/>, and when it wins, <see cref="StoreWrites"/> in the same statement (<see cref="WithWrites"/>).</summary>
    public string MoveFlowWithWrites { get; } = WithWrites(schema, $"""
        claimed AS (
            DELETE FROM "{schema}".flows
            WHERE key = @key AND version = @version AND retain_until > @now AND {LeasesAsRequired(schema)}
            RETURNING version),
        won AS (
            INSERT INTO "{schema}".flows AS f (key, version, state, retain_until)
            SELECT @new_key, version + 1, @state, @retain_until FROM claimed
            ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, retain_until = EXCLUDED.retain_until
            WHERE f.retain_until <= @now
            RETURNING version)
        """);

    /// <summary><see cref="StoreWrites"/> on their own, as one statement.</summary>
    public string ApplyWrites { get; } = WithWrites(schema, $"won AS (SELECT 1::bigint AS version WHERE {LeasesAsRequired(schema)})");

    /// <summary>
    /// True when every lease of @require_keys is held by its @require_holders entry, or by nobody where that is NULL
    /// (<see cref="StoreWrites.Requires"/>); true for empty arrays.
    /// </summary>
    private static string LeasesAsRequired(string schema) => $"""
        NOT EXISTS (
                SELECT 1 FROM unnest(@require_keys::text[], @require_holders::text[]) AS q (lease_key, holder)
                WHERE CASE WHEN q.holder IS NULL
                    THEN EXISTS (SELECT 1 FROM "{schema}".leases AS l WHERE l.lease_key = q.lease_key AND l.retain_until > @now)
                    ELSE NOT EXISTS (SELECT 1 FROM "{schema}".leases AS l
                                     WHERE l.lease_key = q.lease_key AND l.retain_until > @now AND l.holder = q.holder) END)
        """;

    /// <summary>
    /// The statement that makes <see cref="StoreWrites"/> (leases set, leases released, each counter's newest live event
    /// removed: @set_keys/@set_holders/@set_until, @release_keys/@release_holders, @forget_keys, empty arrays for none)
    /// only if the CTE <c>won</c> (<paramref name="wonCte"/>) returns a row, and returns <paramref name="result"/> (that row by default). One statement is one
    /// transaction, so the writes and the flow's compare-and-set happen together or not at all. Every sub-statement
    /// reads one snapshot, which is why a step names each lease and counter once (<see cref="StoreWrites.ThrowIfInvalid"/>).
    /// </summary>
    private static string WithWrites(string schema, string wonCte, string result = "SELECT version FROM won") => $"""
        WITH {wonCte},
        set_leases AS (
            INSERT INTO "{schema}".leases (lease_key, holder, retain_until)
            SELECT w.lease_key, w.holder, w.retain_until
            FROM unnest(@set_keys::text[], @set_holders::text[], @set_until::timestamptz[]) AS w (lease_key, holder, retain_until)
            WHERE EXISTS (SELECT 1 FROM won)
            ON CONFLICT (lease_key) DO UPDATE SET holder = EXCLUDED.holder, retain_until = EXCLUDED.retain_until),
        released AS (
            DELETE FROM "{schema}".leases AS l
            USING unnest(@release_keys::text[], @release_holders::text[]) AS r (lease_key, holder)
            WHERE l.lease_key = r.lease_key AND (r.holder IS NULL OR l.holder = r.holder) AND EXISTS (SELECT 1 FROM won)),
        forgotten AS (
            DELETE FROM "{schema}".rate_events WHERE EXISTS (SELECT 1 FROM won) AND id IN (
                SELECT (SELECT e.id FROM "{schema}".rate_events AS e
                        WHERE e.counter_key = c.counter_key AND e.retain_until > @now
                        ORDER BY e.at DESC, e.id DESC LIMIT 1)
                FROM unnest(@forget_keys::text[]) AS c (counter_key)))
        {result}
        """;

    /// <summary>
    /// <see cref="FlowCensusRules"/> in SQL over the JSON state (camelCase names, enums as their names).
    /// A scan of the live rows, for metrics every half minute or so, never per request.
    /// </summary>
    public string CountFlows { get; } = $"""
        SELECT
            count(*) FILTER (WHERE state->>'stage' IN ('Identified', 'Challenged', 'Verified')
                AND (state->>'expiresAt')::timestamptz > @now),
            count(*) FILTER (WHERE state->>'stage' = 'Challenged'
                AND (state->>'expiresAt')::timestamptz > @now
                AND state->'push'->>'status' = 'Pending'
                AND (state->'push'->>'expiresAt')::timestamptz > @now)
        FROM "{schema}".flows WHERE retain_until > @now
        """;

    public string RemoveFlow { get; } = $"""
        DELETE FROM "{schema}".flows WHERE key = @key
        """;

    /// <summary>
    /// Held until the end of the transaction: one writer per counter at a time. The ids come sorted and unnest
    /// yields them in array order, so two writers of overlapping counters lock them in one order and never deadlock.
    /// </summary>
    public string LockCounters { get; } = "SELECT pg_advisory_xact_lock(lock_id) FROM unnest(@lock_ids::bigint[]) AS lock_id";

    /// <summary>
    /// Records one event under each counter (@counter_keys, kept until its @retain_until) unless some rule of some
    /// counter (rule_counters: the counter's position, 1-based) already has its fill: all or nothing, as one
    /// statement. Returns the first refusing counter's position, or NULL when every event was recorded.
    /// Every part reads one snapshot, so the insert cannot count its own rows.
    /// </summary>
    public string RecordEvents { get; } = $"""
        WITH {RecordEventsCtes(schema)}
        SELECT counter FROM refused
        """;

    /// <summary>
    /// <see cref="RecordEvents"/>, and when every event was recorded, <see cref="StoreWrites"/> in the same statement
    /// (<see cref="WithWrites"/>): a step's counters and what it writes once they all passed, all or nothing.
    /// </summary>
    public string RecordEventsWithWrites { get; } = WithWrites(schema, $"""
        {RecordEventsCtes(schema)},
        won AS (SELECT 1::bigint AS version WHERE (SELECT counter FROM refused) IS NULL)
        """, "SELECT counter FROM refused");

    private static string RecordEventsCtes(string schema) => $"""
        refused AS (
            SELECT min(rule.counter) AS counter
            FROM unnest(@rule_counters::integer[], @limits::integer[], @since::timestamptz[]) AS rule (counter, max_events, since)
            WHERE (SELECT count(*) FROM "{schema}".rate_events AS e
                   WHERE e.counter_key = (@counter_keys::text[])[rule.counter] AND e.at > rule.since AND e.retain_until > @now) >= rule.max_events),
        recorded AS (
            INSERT INTO "{schema}".rate_events (counter_key, at, retain_until)
            SELECT c.counter_key, @now, c.retain_until
            FROM unnest(@counter_keys::text[], @retain_until::timestamptz[]) AS c (counter_key, retain_until)
            WHERE (SELECT counter FROM refused) IS NULL)
        """;

    /// <summary>Removes each counter's newest live event.</summary>
    public string ForgetEvents { get; } = $"""
        DELETE FROM "{schema}".rate_events WHERE id IN (
            SELECT (SELECT e.id FROM "{schema}".rate_events AS e
                    WHERE e.counter_key = c.counter_key AND e.retain_until > @now
                    ORDER BY e.at DESC, e.id DESC LIMIT 1)
            FROM unnest(@counter_keys::text[]) AS c (counter_key))
        """;

    /// <summary>Takes a free or expired lease, or renews one's own.</summary>
    public string AcquireLease { get; } = $"""
        INSERT INTO "{schema}".leases AS l (lease_key, holder, retain_until)
        VALUES (@key, @holder, @retain_until)
        ON CONFLICT (lease_key) DO UPDATE SET holder = EXCLUDED.holder, retain_until = EXCLUDED.retain_until
        WHERE l.retain_until <= @now OR l.holder = @holder
        """;

    public string ReleaseLease { get; } = $"""
        DELETE FROM "{schema}".leases WHERE lease_key = @key AND holder = @holder
        """;

    public string SetLease { get; } = $"""
        INSERT INTO "{schema}".leases (lease_key, holder, retain_until)
        VALUES (@key, @holder, @retain_until)
        ON CONFLICT (lease_key) DO UPDATE SET holder = EXCLUDED.holder, retain_until = EXCLUDED.retain_until
        """;

    public string GetLeaseHolder { get; } = $"""
        SELECT holder FROM "{schema}".leases WHERE lease_key = @key AND retain_until > @now
        """;

    /// <summary>
    /// One batch of expired rows per table and statement; rows locked by a live writer are left for the next
    /// sweep. The batch is deleted by the row addresses its own locking read returned (a TID scan): matching
    /// the primary keys instead let the planner hash-join the whole table for every batch.
    /// </summary>
    public IReadOnlyList<string> DeleteExpired { get; } =
    [
        DeleteExpiredFrom(schema, "flows"),
        DeleteExpiredFrom(schema, "rate_events"),
        DeleteExpiredFrom(schema, "leases"),
    ];

    // A row's ctid cannot change while this statement holds its lock (FOR UPDATE), so the addresses stay valid.
    private static string DeleteExpiredFrom(string schema, string table) => $"""
        DELETE FROM "{schema}".{table} WHERE ctid = ANY (ARRAY(
            SELECT ctid FROM "{schema}".{table} WHERE retain_until <= @now
            LIMIT @batch_size FOR UPDATE SKIP LOCKED))
        """;

    /// <summary>
    /// An advisory-lock id for <paramref name="name"/> in <paramref name="schema"/>. Advisory locks share
    /// one space with everything else in the database, hence the hash; a collision only makes two
    /// holders wait for each other.
    /// </summary>
    public static long AdvisoryLockId(string schema, string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(schema + "\0" + name)));
}
