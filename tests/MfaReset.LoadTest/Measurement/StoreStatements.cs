using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using MfaReset.Web.Storage.PostgreSql;

namespace MfaReset.LoadTest.Measurement;

/// <summary>One round trip to PostgreSQL: a command, or a batch of several statements sent together.</summary>
/// <param name="Page">The page whose request was being answered ("POST /reset/code"), or null outside any request.</param>
/// <param name="Operation">The store member that sent it (<c>TryRecordEvents</c>), or "other" for a statement the store does not own.</param>
/// <param name="Statements">Each statement as "FlowStoreSql member: first words of its SQL".</param>
internal sealed record RoundTrip(string? Page, string Operation, IReadOnlyList<string> Statements)
{
    public override string ToString() => $"{Operation} [{string.Join("; ", Statements)}]";
}

/// <summary>
/// Every statement the PostgreSQL flow store sends from this process, seen through Npgsql's activity
/// source (one activity per command or batch; a batch's text is its statements joined by ";" and a line
/// break). The portal runs in this process, so nothing it sends escapes; pages are marked by the HTTP
/// client (<see cref="PageMarker"/>), which is exact only while one request runs at a time.
/// </summary>
internal sealed partial class StoreStatements : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<RoundTrip> _seen = new();
    private readonly Dictionary<string, string> _names;
    private readonly string _schemaPrefix;
    private volatile string? _page;

    public StoreStatements(string schema)
    {
        var sql = new FlowStoreSql(schema);
        _names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Normalize(sql.AddFlow)] = nameof(sql.AddFlow),
            [Normalize(sql.GetFlow)] = nameof(sql.GetFlow),
            [Normalize(sql.ReplaceFlow)] = nameof(sql.ReplaceFlow),
            [Normalize(sql.MoveFlow)] = nameof(sql.MoveFlow),
            [Normalize(sql.ReplaceFlowWithWrites)] = nameof(sql.ReplaceFlowWithWrites),
            [Normalize(sql.MoveFlowWithWrites)] = nameof(sql.MoveFlowWithWrites),
            [Normalize(sql.ApplyWrites)] = nameof(sql.ApplyWrites),
            [Normalize(sql.CountFlows)] = nameof(sql.CountFlows),
            [Normalize(sql.RemoveFlow)] = nameof(sql.RemoveFlow),
            [Normalize(sql.LockCounters)] = nameof(sql.LockCounters),
            [Normalize(sql.RecordEvents)] = nameof(sql.RecordEvents),
            [Normalize(sql.RecordEventsWithWrites)] = nameof(sql.RecordEventsWithWrites),
            [Normalize(sql.ForgetEvents)] = nameof(sql.ForgetEvents),
            [Normalize(sql.AcquireLease)] = nameof(sql.AcquireLease),
            [Normalize(sql.ReleaseLease)] = nameof(sql.ReleaseLease),
            [Normalize(sql.SetLease)] = nameof(sql.SetLease),
            [Normalize(sql.GetLeaseHolder)] = nameof(sql.GetLeaseHolder),
        };
        foreach (var delete in sql.DeleteExpired)
        {
            _names[Normalize(delete)] = nameof(sql.DeleteExpired);
        }

        _schemaPrefix = $"\"{schema}\".";
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Store statements that run on a timer, not for a request: the sweep and the metrics census.</summary>
    public static bool IsBackground(RoundTrip trip) => trip.Operation is "DeleteExpired" or "Count";

    /// <summary>Marks the requests of an HTTP client with their page, for <see cref="RoundTrip.Page"/>.</summary>
    public DelegatingHandler PageMarker(HttpMessageHandler inner) => new Marker(this) { InnerHandler = inner };

    /// <summary>Every round trip since the last call, in the order they ended.</summary>
    public List<RoundTrip> Take()
    {
        var taken = new List<RoundTrip>();
        while (_seen.TryDequeue(out var trip))
        {
            taken.Add(trip);
        }

        return taken;
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        // Physical connection opens are activities too, without a query: not a statement of the store.
        if (activity.GetTagItem("db.query.text") is not string text)
        {
            return;
        }

        var names = text.Split(";\n", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(statement => (Name: _names.GetValueOrDefault(Normalize(statement)), Words: FirstWords(statement)))
            .ToList();
        var statements = names.Select(s => $"{s.Name ?? "other"}: {s.Words}").ToList();
        _seen.Enqueue(new RoundTrip(_page, Operation(names.Select(s => s.Name).ToList()), statements));
    }

    // The IFlowStore member each statement (or batch) belongs to; the counter lock is batched with its user.
    private static string Operation(List<string?> names) => names switch
    {
        [nameof(FlowStoreSql.LockCounters), nameof(FlowStoreSql.RecordEvents)] => "TryRecordEvents",
        [nameof(FlowStoreSql.LockCounters), nameof(FlowStoreSql.ForgetEvents)] => "ForgetEvents",
        [nameof(FlowStoreSql.LockCounters), nameof(FlowStoreSql.RecordEvents), nameof(FlowStoreSql.GetFlow)] => "TryRecordEventAndGet",
        [nameof(FlowStoreSql.LockCounters), nameof(FlowStoreSql.RecordEventsWithWrites)] => "TryRecordEvents with writes",
        [nameof(FlowStoreSql.ReplaceFlowWithWrites)] or [nameof(FlowStoreSql.LockCounters), nameof(FlowStoreSql.ReplaceFlowWithWrites)] => "TryReplace with writes",
        [nameof(FlowStoreSql.MoveFlowWithWrites)] or [nameof(FlowStoreSql.LockCounters), nameof(FlowStoreSql.MoveFlowWithWrites)] => "TryReplace (new key) with writes",
        [nameof(FlowStoreSql.ApplyWrites)] or [nameof(FlowStoreSql.LockCounters), nameof(FlowStoreSql.ApplyWrites)] => "Apply",
        [nameof(FlowStoreSql.AddFlow)] => "TryAdd",
        [nameof(FlowStoreSql.GetFlow)] => "Get",
        [nameof(FlowStoreSql.ReplaceFlow)] => "TryReplace",
        [nameof(FlowStoreSql.MoveFlow)] => "TryReplace (new key)",
        [nameof(FlowStoreSql.RemoveFlow)] => "Remove",
        [nameof(FlowStoreSql.CountFlows)] => "Count",
        [nameof(FlowStoreSql.AcquireLease)] => "TryAcquireLease",
        [nameof(FlowStoreSql.ReleaseLease)] => "ReleaseLease",
        [nameof(FlowStoreSql.SetLease)] => "SetLease",
        [nameof(FlowStoreSql.GetLeaseHolder)] => "GetLeaseHolder",
        [nameof(FlowStoreSql.DeleteExpired)] => "DeleteExpired",
        _ => "other",
    };

    // "SELECT version, state FROM flows WHERE key …": enough to recognise the statement, without the schema.
    private string FirstWords(string statement)
    {
        var words = Normalize(statement).Replace(_schemaPrefix, string.Empty, StringComparison.Ordinal).Split(' ');
        return words.Length <= 7 ? string.Join(' ', words) : string.Join(' ', words.Take(7)) + " …";
    }

    private static string Normalize(string sql) => Whitespace().Replace(sql.Trim(), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed class Marker(StoreStatements statements) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            statements._page = Browser.BrowserSession.PageKey(request.Method, request.RequestUri!);
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                statements._page = null;
            }
        }
    }
}
