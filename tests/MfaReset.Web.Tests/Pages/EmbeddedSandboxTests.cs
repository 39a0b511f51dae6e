using System.Net;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace MfaReset.Web.Tests.Pages;

/// <summary>With no Okta org configured the portal runs the sandbox itself, on loopback, and says so.</summary>
public sealed class EmbeddedSandboxTests : IClassFixture<EmbeddedSandboxTests.UnconfiguredPortal>
{
    private readonly UnconfiguredPortal _app;

    public EmbeddedSandboxTests(UnconfiguredPortal app) => _app = app;

    [Fact]
    public async Task PortalWithoutAnOrgShowsTheSandboxBannerAndWorks()
    {
        var cookies = new CookieContainer();
        using var browser = new PortalBrowser(_app.CreateDefaultClient(PortalBrowser.BaseAddress, new CookieContainerHandler(cookies)), cookies);
        await browser.GetAsync("/");

        var link = browser.Page.QuerySelector(".sandbox-banner a")!;
        Assert.Equal("Open the phone simulator", link.TextContent);
        Assert.StartsWith("http://127.0.0.1:", link.GetAttribute("href"), StringComparison.Ordinal);
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        Assert.Equal("/reset/method", browser.Location);
    }

    [Fact]
    public async Task SandboxAnswersOnLoopback()
    {
        using var browser = new PortalBrowser(_app.CreateDefaultClient(PortalBrowser.BaseAddress), new CookieContainer());
        await browser.GetAsync("/");
        var simulator = new Uri(browser.Page.QuerySelector(".sandbox-banner a")!.GetAttribute("href")!);
        using var http = new HttpClient();

        using var response = await http.GetAsync(simulator);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public sealed class UnconfiguredPortal : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Development");
    }
}
