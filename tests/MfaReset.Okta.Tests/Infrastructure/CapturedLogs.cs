using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MfaReset.Okta.Tests.Infrastructure;

/// <summary>Keeps every log event the client writes: the rendered message and each structured value.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Everything a log sink could store: messages, values and exception text.</summary>
    public string AllText => string.Join("\n", Entries.Select(e => e.AllText));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => $"{p.Key}={p.Value}").ToArray()
                : [];
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, IReadOnlyList<string> Values, string? Exception)
{
    public string AllText => $"{Message} | {string.Join(" | ", Values)} | {Exception}";
}
