using System.Net;
using MfaReset.Testing.Hosting;
using MfaReset.Web.Hosting;
using MfaReset.Web.Tests.Storage.PostgreSql;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// The simulator's "Reset everything" clears the portal's holds only where they are the demo's own (in this
/// process's memory), embedded or standalone, never a shared store; and the simulator says which it did.
/// </summary>
public sealed class DemoResetTests(PostgreSqlServer postgres)
{
    [Fact]
    public async Task ResetEverythingLeavesASharedStoreAsItIsAndSaysOnlyTheOrgWasReset()
    {
        await using var database = new TestDatabase(postgres);
        await using var portal = new EmbeddingPortal(new()
        {
            ["FlowStore:Provider"] = "PostgreSql",
            ["FlowStore:ConnectionString"] = PostgreSqlServer.ConnectionString,
            ["FlowStore:Schema"] = database.Schema,
        });
        using var browser = portal.NewBrowser();
        await browser.ChooseAsync("sam.sms@example.com", "sms");
        await browser.SendCodeAsync();
        var flows = await database.CountAsync("flows");
        var events = await database.CountAsync("rate_events");

        var notice = await PressResetEverythingAsync(portal.Services.GetRequiredService<SandboxInfo>().PhoneSimulatorUrl!);

        Assert.Equal("reset-org-only", notice);
        Assert.Equal(flows, await database.CountAsync("flows"));
        Assert.Equal(events, await database.CountAsync("rate_events"));
        await browser.GetAsync("/reset/code");
        Assert.Equal("Enter the code we sent", browser.Heading); // the person's flow lives on
    }

    [Fact]
    public async Task ResetEverythingOnTheStandaloneSandboxClearsThePortalsHoldsAndSaysSo()
    {
        await using var portal = new StandalonePortal();
        await ((Xunit.IAsyncLifetime)portal).InitializeAsync();
        using var browser = portal.NewBrowser();
        await browser.GetAsync("/");
        Assert.Equal("/sandbox/phone", browser.Page.QuerySelector(".sandbox-banner a")?.GetAttribute("href"));
        await browser.GetAsync("/sandbox/phone");
        Assert.Equal(new Uri(portal.Sandbox.BaseUrl, "/simulator"), new Uri(browser.Location!));
        await portal.WaitUntilListeningAsync();
        using (var http = new HttpClient())
        {
            // The portal told the sandbox what it offers: Emma's email is flagged as not offered.
            Assert.Contains("Not offered by the portal: email.", await http.GetStringAsync(portal.Sandbox.PhoneSimulatorUrl, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        await browser.ChooseAsync("sam.sms@example.com", "sms");
        await browser.SendCodeAsync();
        Assert.Equal("Enter the code we sent", browser.Heading);

        var notice = await PressResetEverythingAsync(portal.Sandbox.PhoneSimulatorUrl);

        Assert.Equal("reset", notice);
        await browser.GetAsync("/reset/code");
        Assert.Equal("/reset/problem/start-again", browser.Location);
        await browser.ChooseAsync("sam.sms@example.com", "sms");
        await browser.SendCodeAsync();
        Assert.Equal("Enter the code we sent", browser.Heading); // no pause left over from before the reset
        Assert.Null(browser.Page.QuerySelector(".notice"));
    }

    [Fact]
    public async Task TheStartUpLineNamesTheOrgsHostAndEnvironmentButNeverTheToken()
    {
        await using var portal = new PortalApp();
        await ((Xunit.IAsyncLifetime)portal).InitializeAsync();
        using var browser = portal.NewBrowser();
        await browser.GetAsync("/healthz");

        var host = portal.Sandbox.BaseUrl.Authority;
        var line = Assert.Single(portal.Logs.GetSnapshot(), l => l.Message.StartsWith("Okta org: ", StringComparison.Ordinal));
        Assert.Equal($"Okta org: \"{host}\", \"an Okta org\"; environment: \"Production\"", line.Message); // Serilog quotes string values
        Assert.DoesNotContain(portal.Logs.GetSnapshot(), l => l.Message.Contains(portal.Sandbox.ApiToken, StringComparison.Ordinal));
        Assert.Null(portal.Services.GetService<DemoHolds>()); // with an org, nothing of the demo's reset exists
    }

    [Fact]
    public async Task OneDemoSwitchOffersEveryMethodEmailIncludedAndTheSimulatorStopsFlaggingIt()
    {
        await using var portal = new EmbeddingPortal(new() { ["Sandbox:AllMethods"] = "true" });
        using var browser = portal.NewBrowser();

        await browser.StartAsync("emma.email@example.com");

        Assert.Contains("Email me a code", browser.Page.QuerySelectorAll("label").Select(l => l.TextContent.Trim()));
        using var http = new HttpClient();
        var simulator = await http.GetStringAsync(portal.Services.GetRequiredService<SandboxInfo>().PhoneSimulatorUrl, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Not offered by the portal", simulator, StringComparison.Ordinal);
    }

    /// <summary>The simulator's form post, as Chromium sends it; returns the notice the page is sent back with.</summary>
    private static async Task<string?> PressResetEverythingAsync(Uri simulator)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var reset = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator, "/simulator/reset")) { Content = new FormUrlEncodedContent([]) };
        reset.Headers.Add("Origin", "null");
        reset.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var answer = await http.SendAsync(reset);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return System.Web.HttpUtility.ParseQueryString(new Uri(simulator, answer.Headers.Location!).Query)["done"];
    }

    private sealed class EmbeddingPortal(Dictionary<string, string?> settings) : PortalFactory<Program>
    {
        public PortalBrowser NewBrowser() => PortalBrowser.Open(this);

        protected override string? EnvironmentName => "Development";

        protected override IReadOnlyDictionary<string, string?> Settings =>
            new Dictionary<string, string?>([new("Okta:OrgUrl", ""), new("Sandbox:Port", "0"), .. settings]);
    }

    /// <summary>The portal in Production against a sandbox of its own process, told it is the standalone sandbox.</summary>
    private sealed class StandalonePortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sandbox:Enabled"] = "true" };

        /// <summary>Until the portal's listener has caught up with the sandbox: it reports clearing a reset.</summary>
        public async Task WaitUntilListeningAsync()
        {
            _ = Server;
            while (!await Okta.PortalClearedAsync(Okta.Reset(), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken))
            {
                await Task.Delay(50);
            }
        }
    }
}
