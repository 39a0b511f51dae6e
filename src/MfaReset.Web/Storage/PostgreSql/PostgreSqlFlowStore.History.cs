using System.Text.Json;
using MfaReset.Web.HelpDesk;
using MfaReset.Web.Reset.State;
using Npgsql;

namespace MfaReset.Web.Storage.PostgreSql;

// The help desk's read-only questions, in statements of their own (not FlowStoreSql's, which are a reset's).
// The flows table holds minutes-to-hours of flows, so matching on the JSON state without an index is a short scan;
// rate_events is read by its (counter_key, at) index.
public sealed partial class PostgreSqlFlowStore : IFlowHistory
{
    public async Task<IReadOnlyList<FlowState>> FlowsOfAsync(string subjectKey, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subjectKey);
        await using var command = Command(
            $"""SELECT version, state FROM "{_sql.Schema}".flows WHERE state->>'subjectKey' = @subject AND retain_until > @now ORDER BY (state->>'createdAt')::timestamptz DESC LIMIT @max""",
            P("subject", subjectKey), P("now", Now), P("max", max));
        return await ReadFlowsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<FlowState?> FlowByPublicIdAsync(string publicId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicId);
        await using var command = Command(
            $"""SELECT version, state FROM "{_sql.Schema}".flows WHERE state->>'publicId' = @public_id AND retain_until > @now LIMIT 1""",
            P("public_id", publicId), P("now", Now));
        return await ReadFlowsAsync(command, cancellationToken).ConfigureAwait(false) is [var flow, ..] ? flow : null;
    }

    public async Task<IReadOnlyList<DateTimeOffset>> EventTimesAsync(string counterKey, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""SELECT at FROM "{_sql.Schema}".rate_events WHERE counter_key = @counter_key AND retain_until > @now ORDER BY at""",
            P("counter_key", counterKey), P("now", Now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var times = new List<DateTimeOffset>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            times.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return times;
    }

    private static async Task<IReadOnlyList<FlowState>> ReadFlowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var flows = new List<FlowState>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = JsonSerializer.Deserialize(reader.GetString(1), FlowStateJsonContext.Default.FlowState)
                ?? throw new JsonException("A stored flow is JSON null.");
            flows.Add(state with { Version = reader.GetInt64(0) });
        }

        return flows;
    }
}
