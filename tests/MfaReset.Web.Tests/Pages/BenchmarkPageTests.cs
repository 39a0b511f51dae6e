using System.Net;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The load driver's baseline page and poll yardsticks exist only where the benchmark switches them on.</summary>
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
        Assert.Equal(0, benchmark.RequestOktaCalls);
    }

    [Theory]
    [InlineData("/_bench/poll")]
    [InlineData("/_bench/poll-without-antiforgery")]
    public async Task PollYardsticksAreNotServedByDefault(string path)
    {
        using var browser = plain.NewBrowser();
        await browser.GetAsync("/");

        await browser.PostAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, browser.Response.StatusCode);
    }

    [Fact]
    public async Task ThePollYardstickChecksAntiforgeryLikeThePollAndAnswersItsShapeWithoutOkta()
    {
        using var browser = benchmark.NewBrowser();
        await browser.GetAsync("/");

        await browser.PostAsync("/_bench/poll");
        var answer = await browser.Response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var withoutToken = await browser.Client.PostAsync(new Uri("/_bench/poll", UriKind.Relative), new StringContent(""), TestContext.Current.CancellationToken);
        using var open = await browser.Client.PostAsync(new Uri("/_bench/poll-without-antiforgery", UriKind.Relative), new StringContent(""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("""{"state":"pending","next":3000}""", answer);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(0, benchmark.RequestOktaCalls);
    }

    public sealed class BenchmarkPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings =>
            new Dictionary<string, string?> { ["Benchmark:BaselinePage"] = "true" };
    }
}
