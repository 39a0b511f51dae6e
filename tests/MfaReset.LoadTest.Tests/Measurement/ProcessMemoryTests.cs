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
    public void EachMappingsResidentPagesCountUnderWhatItHolds()
    {
        var mappings = Mappings.Parse([
            "7f6e9ce40000-7f6e9ce41000 r-xs 00000000 00:01 2398497                    /memfd:doublemapper (deleted)",
            "Size:                  4 kB",
            "Rss:                   4 kB",
            "Pss:                   4 kB",
            "7f2df0000000-7f2df0002000 rw-s 02ab8000 00:01 2398497                    /memfd:doublemapper (deleted)",
            "Rss:                   8 kB",
            "VmFlags: rd wr sh mr mw me ms sd",
            "7f6e95edb000-7f6e95edd000 r--p 00000000 08:01 131                        /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/System.Private.CoreLib.dll",
            "Rss:                  16 kB",
            "7f6e95edd000-7f6e95ede000 r-xp 00000000 08:01 132                        /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libcoreclr.so",
            "Rss:                  32 kB",
            "55d0c0000000-55d0c0100000 rw-p 00000000 00:00 0                          [heap]",
            "Rss:                  64 kB",
            "7f2000000000-7f2000400000 rw-p 00000000 00:00 0 ",
            "Rss:                 128 kB",
            "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]",
            "Rss:                 256 kB",
            "7ffd00100000-7ffd00102000 r--p 00000000 00:00 0                          [vvar]",
            "Rss:                 512 kB",
        ]);

        Assert.Equal(new Mappings(ExecutableCode: 4 * 1024, RuntimeWritable: 8 * 1024, Assemblies: 16 * 1024, NativeLibraries: 32 * 1024,
            NativeHeap: 64 * 1024, OtherAnonymous: (128 + 256) * 1024), mappings);
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
        // By mapping: this process runs JIT-compiled code out of the runtime's executable-memory file and maps its assemblies.
        var mappings = memory.Mappings;
        Assert.True(mappings.ExecutableCode > 0 && mappings.RuntimeWritable > 0 && mappings.Assemblies > 0 && mappings.NativeLibraries > 0, $"{mappings}");
        Assert.True(mappings.ExecutableCode + mappings.RuntimeWritable <= memory.Shared + memory.Anonymous, $"{memory}");
        Assert.True(memory.MethodsJitted > 0, $"{memory.MethodsJitted} methods jitted");
    }
}
