using System.Text.Json;

namespace MfaReset.Web.Tests.Hosting;

/// <summary>The GC the portal's build asks the runtime for: a measured choice (docs/operations.md, memory), not a default left to chance.</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void ThePortalRunsServerGcThatAdaptsToItsSizeDatas()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "MfaReset.Web.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(file));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(1, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
        Assert.False(properties.TryGetProperty("System.GC.ConserveMemory", out _));
    }
}
