using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// Every log event of a test host, rendered with its structured values, to search for secrets. A test
/// host's portal logs through Serilog, so this is registered there as a sink (Serilog reads sinks from
/// the host's services); classes built by hand log to it as an <see cref="ILoggerProvider"/>. Both
/// render one line: <c>Level Category [EventId] message name=value ... exception</c>.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The events that came through Serilog, with their structured values.</summary>
    public IReadOnlyList<LogEvent> Events => [.. _events];

    public string AllText => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <summary>A logger of category <typeparamref name="T"/> without a logger factory, for classes built by hand.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(typeof(T).FullName!, _lines);

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        _events.Enqueue(logEvent);
        var category = logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string name } ? name : "";
        var eventId = logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue structure
            ? structure.Properties.FirstOrDefault(p => p.Name == "Id")?.Value.ToString() ?? "0"
            : "0";
        var values = string.Join(' ', logEvent.Properties
            .Where(p => p.Key is not ("SourceContext" or "EventId"))
            .Select(p => $"{p.Key}={(p.Value is ScalarValue { Value: var raw } ? raw : p.Value)}"));
        _lines.Enqueue($"{ToLogLevel(logEvent.Level)} {category} [{eventId}] {Render(logEvent)} {values} {logEvent.Exception}");
    }

    /// <summary>The message as the portal's code wrote it: string values as they are (Serilog's own rendering quotes them).</summary>
    private static string Render(LogEvent logEvent)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value) && value is ScalarValue { Value: string literal })
            {
                text.Write(literal);
            }
            else
            {
                token.Render(logEvent.Properties, text, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return text.ToString();
    }

    public void Dispose()
    {
    }

    private static LogLevel ToLogLevel(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => LogLevel.Trace,
        LogEventLevel.Debug => LogLevel.Debug,
        LogEventLevel.Information => LogLevel.Information,
        LogEventLevel.Warning => LogLevel.Warning,
        LogEventLevel.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private sealed class Logger<T>(string category, ConcurrentQueue<string> lines) : Logger(category, lines), ILogger<T>;

    private class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} {values} {exception}");
        }
    }
}
