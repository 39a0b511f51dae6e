using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Testing;

/// <summary>
/// Reading the log records a test host or harness wrote to its <see cref="FakeLogCollector"/>. The portal
/// logs through Serilog, which hands every event to the host's logging providers (<c>writeToProviders</c>),
/// so a record carries Serilog's properties (request-log ones included) as its structured state.
/// </summary>
public static class LogText
{
    /// <summary>The records since the first <paramref name="skip"/>, e.g. since a count taken before the request.</summary>
    public static IReadOnlyList<FakeLogRecord> Since(this FakeLogCollector logs, int skip) => [.. logs.GetSnapshot().Skip(skip)];

    /// <summary>The records of event <paramref name="eventId"/>.</summary>
    public static IReadOnlyList<FakeLogRecord> OfEvent(this FakeLogCollector logs, int eventId) => [.. logs.GetSnapshot().Where(r => r.Id.Id == eventId)];

    /// <summary>A structured value of the record, by name; null when it has none.</summary>
    public static string? Value(this FakeLogRecord record, string name) => record.GetStructuredStateValue(name);

    /// <summary>What a sink stores of a record apart from the exception: the message and each <c>name=value</c>.</summary>
    public static IEnumerable<string> Texts(this FakeLogRecord record) =>
        [record.Message, .. (record.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}")];

    /// <summary>Everything a sink could store of a record, exception included, to search for secrets.</summary>
    public static string AllText(this FakeLogRecord record) => string.Join(" | ", [.. record.Texts(), record.Exception?.ToString()]);

    /// <summary>Everything a sink could store of every record, to search for secrets.</summary>
    public static string AllText(this FakeLogCollector logs) => string.Join('\n', logs.GetSnapshot().Select(AllText));
}
