using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace MfaReset.LoadTest.Measurement;

/// <summary>
/// What another process's resident memory is made of: the kernel's split of it (<c>/proc/PID/status</c>: anonymous
/// memory, pages mapped from files) and, inside the anonymous part, what the GC has committed for its heaps and what
/// they hold, from the runtime's own counters (<c>System.Runtime</c>, as <c>dotnet-counters</c> reads them).
/// </summary>
/// <param name="Resident">VmRSS: the working set.</param>
/// <param name="Anonymous">RssAnon: heaps, stacks and every native allocation; the GC's committed memory is in it.</param>
/// <param name="FileBacked">RssFile: the runtime, the framework's and the portal's assemblies and native libraries, mapped from disk.</param>
/// <param name="Shared">
/// RssShmem: shared memory, which in a .NET process is its executable memory: JIT-compiled code and stubs are mapped twice
/// (writable and executable, never both: the runtime's W^X) through a shared-memory file.
/// </param>
/// <param name="GcCommitted">The GC's committed memory (<c>gc-committed</c>): its heaps and the free space it keeps for the next allocations.</param>
/// <param name="GcHeapSize">The GC heaps' size (<c>gc-heap-size</c>): objects live or not yet collected.</param>
/// <param name="PinnedHeapSize">The pinned object heap's size (<c>poh-size</c>): where Kestrel's memory pool keeps its blocks.</param>
/// <param name="MethodsJitted">Methods compiled by the JIT so far (<c>methods-jitted-count</c>), each tier's compilation counted.</param>
/// <param name="Mappings">The same resident memory by what is mapped (<c>/proc/PID/smaps</c>).</param>
internal sealed record MemoryBreakdown(
    long Resident, long Anonymous, long FileBacked, long Shared, long GcCommitted, long GcHeapSize, long PinnedHeapSize, long MethodsJitted, Mappings Mappings)
{
    /// <summary>Anonymous memory outside the GC's: the runtime's own data, thread stacks, native buffers.</summary>
    public long AnonymousBesidesGc => Math.Max(0, Anonymous - GcCommitted);
}

internal static class ProcessMemory
{
    private const string RuntimeCounters = "System.Runtime";
    private const double Megabyte = 1024 * 1024;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    /// <summary>The breakdown now, or null where <c>/proc</c> does not exist (not Linux).</summary>
    public static async Task<MemoryBreakdown?> ReadAsync(int processId, CancellationToken ct)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var counters = await CountersAsync(processId, ["gc-committed", "gc-heap-size", "poh-size", "methods-jitted-count"], ct).ConfigureAwait(false);
        var kernel = ParseStatus(await File.ReadAllLinesAsync(status, ct).ConfigureAwait(false));
        var mappings = Mappings.Parse(await File.ReadAllLinesAsync($"/proc/{processId}/smaps", ct).ConfigureAwait(false));
        return new MemoryBreakdown(
            kernel.GetValueOrDefault("VmRSS"), kernel.GetValueOrDefault("RssAnon"), kernel.GetValueOrDefault("RssFile"), kernel.GetValueOrDefault("RssShmem"),
            (long)(counters["gc-committed"] * Megabyte), (long)(counters["gc-heap-size"] * Megabyte), (long)counters["poh-size"],
            (long)counters["methods-jitted-count"], mappings);
    }

    /// <summary>The <c>VmRSS</c>, <c>RssAnon</c>, <c>RssFile</c>… lines of <c>/proc/PID/status</c>, in bytes (the kernel writes kB).</summary>
    public static Dictionary<string, long> ParseStatus(IEnumerable<string> lines) =>
        lines.Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
            .ToDictionary(
                parts => parts[0],
                parts => long.Parse(parts[1].Trim()[..^3].Trim(), CultureInfo.InvariantCulture) * 1024,
                StringComparer.Ordinal);

    // The runtime's EventCounters, published once a second while a session asks for them: the first value of each name.
    private static async Task<Dictionary<string, double>> CountersAsync(int processId, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var provider = new EventPipeProvider(RuntimeCounters, EventLevel.Informational, long.MaxValue,
            new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
        var client = new DiagnosticsClient(processId);
        using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 16, ct).ConfigureAwait(false);
        using var source = new EventPipeEventSource(session.EventStream);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var complete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Dynamic.All += data =>
        {
            if (data.EventName != "EventCounters" || data.PayloadValue(0) is not IDictionary<string, object> outer
                || outer["Payload"] is not IDictionary<string, object> counter || counter["Name"] is not string name || !names.Contains(name))
            {
                return;
            }

            // A mean for a gauge, an increment for a rate; the GC's sizes are gauges.
            values.TryAdd(name, Convert.ToDouble(counter.TryGetValue("Mean", out var mean) ? mean : counter["Increment"], CultureInfo.InvariantCulture));
            if (values.Count == names.Count)
            {
                complete.TrySetResult();
            }
        };
        var reading = Task.Run(source.Process, CancellationToken.None);
        try
        {
            await complete.Task.WaitAsync(GiveUpAfter, ct).ConfigureAwait(false);
            return values;
        }
        finally
        {
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }
}
