using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Okta.Tests.Infrastructure;

/// <summary>The text the secret-leak assertions search: everything a log sink could store of a record.</summary>
public static class LogText
{
    /// <summary>Every record's message, structured values and exception text.</summary>
    public static string AllText(this FakeLogCollector logs) => string.Join("\n", logs.GetSnapshot().Select(AllText));

    public static string AllText(this FakeLogRecord record) =>
        $"{record.Message} | {string.Join(" | ", (record.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"))} | {record.Exception}";
}
