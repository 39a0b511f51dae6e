using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace MfaReset.LoadTest.Measurement;

/// <summary>
/// The live managed heap of another .NET process, read over EventPipe as <c>dotnet-gcdump</c> does: a session
/// with the runtime's GC and GCHeapCollect keywords makes the target run a full blocking collection, and the
/// heap statistics it reports at the end of that collection give the bytes that survived it. Nothing is added
/// to the target; it needs only the diagnostics port every .NET process opens.
/// </summary>
internal static class ProcessHeap
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Bytes held by live objects in <paramref name="processId"/> (gen0, gen1, gen2, large and pinned object
    /// heaps): what survived a full blocking collection; collected twice and the second read, so objects kept
    /// only for their finalizers are gone too.
    /// </summary>
    public static async Task<long> LiveBytesAsync(int processId, CancellationToken ct)
    {
        await CollectAsync(processId, ct).ConfigureAwait(false);
        return await CollectAsync(processId, ct).ConfigureAwait(false);
    }

    private static async Task<long> CollectAsync(int processId, CancellationToken ct)
    {
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        var client = new DiagnosticsClient(processId);
        using var session = await client.StartEventPipeSessionAsync(
            [new EventPipeProvider(RuntimeProvider, EventLevel.Informational, keywords)], requestRundown: false, circularBufferMB: 64, ct).ConfigureAwait(false);
        using var source = new EventPipeEventSource(session.EventStream);
        var live = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var induced = false;
        source.Clr.GCStart += gc =>
        {
            // The session's collection: full and blocking. Others (a background one already running) are not it.
            induced |= gc.Depth == 2 && gc.Type != GCType.BackgroundGC;
        };
        source.Clr.GCHeapStats += stats =>
        {
            // Reported as that collection ends: the first statistics after its start are its own.
            if (induced)
            {
                // A full collection condemns every generation, so what each one promoted is what survived: the live
                // objects, without the free space a generation's size also holds.
                live.TrySetResult(stats.TotalPromotedSize0 + stats.TotalPromotedSize1 + stats.TotalPromotedSize2 + stats.TotalPromotedSize3 + stats.TotalPromotedSize4);
            }
        };
        var reading = Task.Run(source.Process, CancellationToken.None);
        try
        {
            return await live.Task.WaitAsync(GiveUpAfter, ct).ConfigureAwait(false);
        }
        finally
        {
            // Stopped from here, not from an event handler: the stream must keep being read while the session ends.
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }
}
