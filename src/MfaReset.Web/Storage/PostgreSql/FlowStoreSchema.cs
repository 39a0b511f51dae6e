using MfaReset.Web.Reset.State;
using Npgsql;

namespace MfaReset.Web.Storage.PostgreSql;

/// <summary>
/// The store's tables and their versions. <see cref="EnsureAsync"/> is idempotent and safe when several
/// instances start at once: it runs in one transaction under an advisory lock and records each applied
/// step in <c>schema_version</c>; with every step recorded it changes nothing, so a role without
/// CREATE rights works against a schema a DBA prepared.
/// </summary>
public sealed class FlowStoreSchema(NpgsqlDataSource dataSource, string schema, TimeProvider timeProvider)
{
    /// <summary>
    /// Each step once, in order; append, never edit. Each also tolerates objects that already exist
    /// (a hand-made schema). Flow state is JSON, so a new optional <see cref="FlowState"/> field needs no step here.
    /// </summary>
    private static readonly Func<string, string>[] Steps =
    [
        s => $"""
            CREATE TABLE IF NOT EXISTS "{s}".flows (
                key text PRIMARY KEY,
                version bigint NOT NULL,
                state jsonb NOT NULL,
                retain_until timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS flows_retain_until ON "{s}".flows (retain_until);

            CREATE TABLE IF NOT EXISTS "{s}".rate_events (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                counter_key text NOT NULL,
                at timestamptz NOT NULL,
                retain_until timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS rate_events_counter_key_at ON "{s}".rate_events (counter_key, at);
            CREATE INDEX IF NOT EXISTS rate_events_retain_until ON "{s}".rate_events (retain_until);

            CREATE TABLE IF NOT EXISTS "{s}".leases (
                lease_key text PRIMARY KEY,
                holder text NOT NULL,
                retain_until timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS leases_retain_until ON "{s}".leases (retain_until);
            """,
        s => $"""
            CREATE TABLE IF NOT EXISTS "{s}".data_protection_keys (
                name text PRIMARY KEY,
                xml text NOT NULL,
                created_at timestamptz NOT NULL);
            """,
    ];

    /// <summary>The version this build creates.</summary>
    public static int LatestVersion => Steps.Length;

    /// <summary>Brings the schema to <see cref="LatestVersion"/>; returns the version found before.</summary>
    public async Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@lock_id)", cancellationToken,
            new NpgsqlParameter<long>("lock_id", FlowStoreSql.AdvisoryLockId(schema, "schema"))).ConfigureAwait(false);

        if (!await ExistsAsync(connection, "to_regnamespace", $"\"{schema}\"", cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(connection, $"CREATE SCHEMA \"{schema}\"", cancellationToken).ConfigureAwait(false);
        }

        if (!await ExistsAsync(connection, "to_regclass", $"\"{schema}\".schema_version", cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(connection, $"CREATE TABLE \"{schema}\".schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)", cancellationToken).ConfigureAwait(false);
        }

        await using var current = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM \"{schema}\".schema_version", connection);
        var found = (int)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        for (var version = found + 1; version <= LatestVersion; version++)
        {
            await ExecuteAsync(connection, Steps[version - 1](schema), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"INSERT INTO \"{schema}\".schema_version (version, applied_at) VALUES (@version, @now)", cancellationToken,
                new NpgsqlParameter<int>("version", version), new NpgsqlParameter<DateTimeOffset>("now", timeProvider.GetUtcNow())).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    // Looked up rather than CREATE ... IF NOT EXISTS, which needs the CREATE right even when nothing is missing.
    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string lookup, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {lookup}(@name) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
