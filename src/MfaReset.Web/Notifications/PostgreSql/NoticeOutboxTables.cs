using Npgsql;

namespace MfaReset.Web.Notifications.PostgreSql;

/// <summary>
/// The notices' tables, versioned on their own (<c>notice_schema_version</c>) so the flow store's steps stay
/// untouched. Idempotent and safe when several instances start at once: one transaction under an advisory lock.
/// </summary>
public sealed class NoticeOutboxTables(NpgsqlDataSource dataSource, string schema)
{
    /// <summary>Each step once, in order; append, never edit.</summary>
    private static readonly Func<string, string>[] Steps =
    [
        s => $"""
            CREATE TABLE IF NOT EXISTS "{s}".notice_outbox (
                id text PRIMARY KEY,
                kind smallint NOT NULL,
                okta_user_id text NOT NULL,
                culture text NOT NULL,
                changed_at timestamptz NOT NULL,
                client_address text NOT NULL,
                browser text NOT NULL,
                method smallint NOT NULL,
                method_mask text,
                status smallint NOT NULL,
                attempts integer NOT NULL,
                next_attempt_at timestamptz NOT NULL,
                last_error text);
            CREATE INDEX IF NOT EXISTS notice_outbox_due ON "{s}".notice_outbox (next_attempt_at) WHERE status = 0;

            CREATE TABLE IF NOT EXISTS "{s}".wasnt_me_links (
                token_hash text PRIMARY KEY,
                notice_id text NOT NULL,
                okta_user_id text NOT NULL,
                kind smallint NOT NULL,
                changed_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                used boolean NOT NULL);

            CREATE TABLE IF NOT EXISTS "{s}".wasnt_me_reports (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                okta_user_id text NOT NULL,
                notice_id text NOT NULL,
                kind smallint NOT NULL,
                changed_at timestamptz NOT NULL,
                reported_at timestamptz NOT NULL,
                client_address text NOT NULL,
                sessions_ended boolean NOT NULL);
            CREATE INDEX IF NOT EXISTS wasnt_me_reports_user ON "{s}".wasnt_me_reports (okta_user_id, reported_at);
            """,
    ];

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"""
            SELECT pg_advisory_xact_lock(hashtext('{schema}.notice_schema'));
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE IF NOT EXISTS "{schema}".notice_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """, cancellationToken).ConfigureAwait(false);
        await using var current = new NpgsqlCommand($"""SELECT coalesce(max(version), 0) FROM "{schema}".notice_schema_version""", connection);
        var found = (int)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        for (var version = found + 1; version <= Steps.Length; version++)
        {
            await ExecuteAsync(connection, Steps[version - 1](schema) + $"""; INSERT INTO "{schema}".notice_schema_version (version) VALUES ({version});""", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
