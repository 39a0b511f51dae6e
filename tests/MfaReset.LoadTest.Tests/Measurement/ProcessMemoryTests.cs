using MfaReset.LoadTest.Measurement;

namespace MfaReset.LoadTest.Tests.Measurement;

public sealed class ProcessMemoryTests
{
    [Fact]
    public void TheKernelsStatusLinesAreReadInBytes()
    {
        var status = ProcessMemory.ParseStatus(["Name:\tdotnet", "VmRSS:\t  183000 kB", "RssAnon:\t   90000 kB", "RssFile:\t   63000 kB", "RssShmem:\t   30000 kB", "Threads:\t24"]);

        Assert.Equal(183_000L * 1024, status["VmRSS"]);
        Assert.Equal(90_000L * 1024, status["RssAnon"]);
        Assert.Equal(63_000L * 1024, status["RssFile"]);
        Assert.Equal(30_000L * 1024, status["RssShmem"]);
        Assert.False(status.ContainsKey("Threads"));
    }

    [Fact]
    public async Task ThisProcesssMemoryIsSplitIntoTheGcsPartAndTheRest()
    {
        // gc-committed is as of the last collection: none may have run yet in a fresh test process (the portal's have).
        GC.Collect();
        var memory = await ProcessMemory.ReadAsync(Environment.ProcessId, TestContext.Current.CancellationToken);

        Assert.NotNull(memory);
        Assert.True(memory.GcCommitted > 0 && memory.GcHeapSize > 0, $"GC committed {memory.GcCommitted}, heap {memory.GcHeapSize}");
        Assert.True(memory.Resident >= memory.FileBacked + memory.Shared && memory.Anonymous > 0 && memory.Shared > 0, $"{memory}");
    }
}
