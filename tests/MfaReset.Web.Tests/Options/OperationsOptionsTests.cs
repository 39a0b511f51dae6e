using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Tests.Options;

/// <summary>Metrics and proxy settings are checked when the portal starts, and a mistake names its key.</summary>
public sealed class OperationsOptionsTests
{
    [Theory]
    [InlineData("Metrics:PrometheusPath", "metrics", "Metrics:PrometheusPath")]
    [InlineData("Metrics:PrometheusPort", "70000", "PrometheusPort")]
    [InlineData("OpenTelemetry:Endpoint", "ftp://collector:4317", "OpenTelemetry:Endpoint")]
    [InlineData("Concurrency:MaxConcurrentRequests", "0", "Concurrency.MaxConcurrentRequests")]
    [InlineData("Concurrency:QueueLimit", "-1", "Concurrency.QueueLimit")]
    public async Task PortalRefusesToStartWithAMetricsMistake(string key, string value, string named)
    {
        await using var app = new MisconfiguredPortal(key, value);
        await app.InitializeAsync();

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortalRefusesAPrometheusScrapeWithoutItsOwnPortOutsideDevelopment()
    {
        await using var app = new MisconfiguredPortal("Metrics:PrometheusPort", null);
        await app.InitializeAsync();

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Metrics:Prometheus needs Metrics:PrometheusPort outside Development", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortalRefusesToStartWithAProxyThatIsNotAnAddressAndNamesIt()
    {
        await using var app = new MisconfiguredPortal("ReverseProxy:KnownProxies:1", "proxy.internal");

        await app.InitializeAsync();
        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("ReverseProxy:KnownProxies:1 (\"proxy.internal\") is not an IP address", error.Message, StringComparison.Ordinal);
    }

    private sealed class MisconfiguredPortal(string key, string? value) : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Metrics:Prometheus"] = "true",
            ["Metrics:PrometheusPort"] = "9464",
            ["ReverseProxy:KnownProxies:0"] = "10.0.0.5",
            [key] = value,
        };
    }
}
