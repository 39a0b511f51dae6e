using System.Text.Json;

namespace MfaReset.Web.Tests.Hosting;

/// <summary>The GC the portal's build asks the runtime for: a measured choice (docs/operations.md, memory), not a default left to chance.</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void ThePortalRunsWorkstationGcWithBackgroundCollectionsAndDatasForServerGcIfTurnedOn()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "MfaReset.Web.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(file));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // Workstation GC: 100,000 pending pushes in 411 MB where server GC with DATAS took 497 MB (docs/performance.md, figure 4).
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        // Read only by server GC: an operator who sets DOTNET_gcServer=1 gets DATAS, not a heap per core.
        Assert.Equal(1, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
        // Measured and left out: conserve-memory compacts fragmented heaps, and this heap is short-lived garbage.
        Assert.False(properties.TryGetProperty("System.GC.ConserveMemory", out _));
    }
}
