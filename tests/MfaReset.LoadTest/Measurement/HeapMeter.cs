using System.Runtime;

namespace MfaReset.LoadTest.Measurement;

/// <summary>Managed memory of this process (the in-process portal and the driver alike).</summary>
internal static class HeapMeter
{
    /// <summary>
    /// Bytes held by live managed objects, after full blocking compacting collections (twice, so objects
    /// kept alive only by finalizers are gone too).
    /// </summary>
    public static long LiveBytes()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Memory the GC has committed from the OS after the last collection: what the heap really costs.</summary>
    public static long CommittedBytes() => GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;

    /// <summary>The process's resident set, managed or not.</summary>
    public static long WorkingSetBytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
