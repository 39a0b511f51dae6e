using System.Net;
using MfaReset.Okta;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Liveness and readiness: what each probe asks, and that no probe calls Okta.</summary>
public sealed class HealthTests(HealthTests.ProbedPortal app) : PortalTests<HealthTests.ProbedPortal>(app)
{
    /// <summary>The portal with Okta's health and quota readings set by the test.</summary>
    public sealed class ProbedPortal : PortalApp
    {
        public FakeOktaHealth OktaHealth { get; } = new();

        public FakeQuotaMonitor Quota { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services
                .AddSingleton<IOktaHealth>(OktaHealth)
                .AddSingleton<IOktaQuotaMonitor>(Quota));
        }
    }

    public sealed class FakeOktaHealth : IOktaHealth
    {
        public bool CircuitOpen { get; set; }
    }

    private async Task<(HttpStatusCode Status, string Body)> ProbeAsync(string path)
    {
        using var browser = App.NewBrowser();
        var response = await browser.GetAsync(path);
        return (response.StatusCode, browser.Html);
    }

    private void Healthy()
    {
        App.OktaHealth.CircuitOpen = false;
        App.Quota.IsLow = false;
    }

    [Fact]
    public async Task ReadinessIsHealthyWhenTheStoreAnswersAndOktaIsUsable()
    {
        Healthy();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ProbeAsync("/readyz"));
    }

    [Fact]
    public async Task AnOpenCircuitTakesTheInstanceOutOfRotationButLeavesItAlive()
    {
        Healthy();
        App.OktaHealth.CircuitOpen = true;

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await ProbeAsync("/readyz"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ProbeAsync("/healthz"));
    }

    [Fact]
    public async Task ALowOktaQuotaMakesTheInstanceNotReady()
    {
        Healthy();
        App.Quota.IsLow = true;

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Degraded"), await ProbeAsync("/readyz"));
    }

    [Fact]
    public async Task ProbesNeverCallOkta()
    {
        Healthy();
        App.Okta.ResetCallCounts();

        for (var probe = 0; probe < 5; probe++)
        {
            await ProbeAsync("/healthz");
            await ProbeAsync("/readyz");
        }

        // The org's list of administrators is read in the background on its own clock, never by a probe.
        Assert.Equal(0, App.RequestOktaCalls);
    }

    [Fact]
    public async Task TheBusyPageAsksToRetryWhenOktasLowWindowResets()
    {
        Healthy();
        App.Quota.IsLow = true;
        App.Quota.LowUntil = App.Clock.GetUtcNow() + TimeSpan.FromSeconds(42.3);
        using var browser = App.NewBrowser();

        await browser.GetAsync("/reset/problem/busy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        Assert.Equal("43", browser.Response.Headers.RetryAfter!.ToString());
        Assert.Contains("Please try again in 43 seconds.", browser.Page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
    }
}
