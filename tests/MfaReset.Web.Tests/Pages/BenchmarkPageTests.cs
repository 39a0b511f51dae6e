using System.Net;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The load driver's baseline page exists only where the benchmark switches it on.</summary>
public sealed class BenchmarkPageTests(BenchmarkPageTests.BenchmarkPortal benchmark, PortalApp plain)
    : IClassFixture<BenchmarkPageTests.BenchmarkPortal>, IClassFixture<PortalApp>
{
    [Fact]
    public async Task BaselinePageIsNotServedByDefault()
    {
        using var browser = plain.NewBrowser();

        await browser.GetAsync("/_bench/baseline");

        Assert.Equal(HttpStatusCode.NotFound, browser.Response.StatusCode);
    }

    [Fact]
    public async Task BaselinePageHasThePortalLayoutAndNoFormOrCookie()
    {
        using var browser = benchmark.NewBrowser();

        await browser.GetAsync("/_bench/baseline");

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("Forgot your password?", browser.Heading);
        Assert.Null(browser.Page.QuerySelector("form"));
        Assert.False(browser.Response.Headers.Contains("Set-Cookie"));
        Assert.Equal(0, benchmark.Okta.GetCallCounts().Total);
    }

    public sealed class BenchmarkPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings =>
            new Dictionary<string, string?> { ["Benchmark:BaselinePage"] = "true" };
    }
}
