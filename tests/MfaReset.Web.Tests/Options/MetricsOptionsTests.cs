using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Tests.Options;

/// <summary>Metrics settings are checked when the portal starts, and a mistake names its key.</summary>
public sealed class MetricsOptionsTests
{
    [Theory]
    [InlineData("Metrics:PrometheusPath", "metrics", "Metrics:PrometheusPath")]
    [InlineData("Metrics:PrometheusPort", "70000", "PrometheusPort")]
    [InlineData("OpenTelemetry:Endpoint", "ftp://collector:4317", "OpenTelemetry:Endpoint")]
    public async Task PortalRefusesToStartWithAMetricsMistake(string key, string value, string named)
    {
        await using var app = new MisconfiguredPortal(key, value);
        await app.InitializeAsync();

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private sealed class MisconfiguredPortal(string key, string value) : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Metrics:Prometheus"] = "true",
            [key] = value,
        };
    }
}
