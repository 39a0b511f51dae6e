using System.Net;
using MfaReset.Web.Http;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>A portal with a help desk and a sign-in page configured.</summary>
public sealed class BrandedPortalApp : PortalApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Branding:SignInUrl"] = "https://example.okta.com/",
        ["Branding:HelpDeskPhone"] = "+1 (202) 555-0100",
        ["Branding:HelpDeskHours"] = "Monday to Friday, 8:00 to 18:00",
        ["Branding:HelpUrl"] = "https://help.example.com/password",
        ["Branding:HelpUrlText"] = "Open a help desk ticket",
    };
}

/// <summary>Progress on every flow page, a way out to the help desk, and the way back to sign in.</summary>
public sealed class WayOutTests(BrandedPortalApp app) : PortalTests<BrandedPortalApp>(app)
{
    private static string StepText(PortalBrowser browser) =>
        string.Join(' ', (browser.Page.QuerySelector(".step-indicator")?.TextContent ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task EveryFlowPageSaysWhichStepItIs()
    {
        const string Login = "tom.totp@example.com";
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        Assert.Equal("Step 1 of 3: your account", StepText(browser));
        await browser.StartAsync(Login);
        Assert.Equal("Step 2 of 3: confirm it's you", StepText(browser));
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "okta-code"));
        Assert.Equal("Step 2 of 3: confirm it's you", StepText(browser));
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        await browser.FollowAsync();
        Assert.Equal("Step 3 of 3: new password", StepText(browser));
        await browser.ChangePasswordAsync();
        await browser.FollowAsync();
        Assert.Equal("All 3 steps done", StepText(browser));
        Assert.Equal("https://example.okta.com/", browser.Page.QuerySelectorAll("a.button").Single(a => a.TextContent == "Sign in").GetAttribute("href"));

        using var push = App.NewBrowser();
        await push.ChooseAsync("pat.push@example.com", "push");
        Assert.Equal("Step 2 of 3: confirm it's you", StepText(push));
    }

    [Fact]
    public async Task FirstPageLeadsBackToSignIn()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");

        Assert.Equal("https://example.okta.com/", browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Back to sign in").GetAttribute("href"));
    }

    [Theory]
    [InlineData("nora.nofactors@example.com")]
    [InlineData("nobody.at.all@example.com")]
    [InlineData("max.multi@example.com")]
    public async Task TheMethodPageOffersTheSameWayOutToEveryUsername(string username)
    {
        using var browser = App.NewBrowser();
        await browser.StartAsync(username);

        var wayOut = browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "I can't use any of these");
        Assert.Equal("/help", wayOut.GetAttribute("href"));
        await browser.GetAsync("/help");

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("Get help from your help desk", browser.Heading);
        Assert.Equal("tel:+12025550100", browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "+1 (202) 555-0100").GetAttribute("href"));
        Assert.Contains("Monday to Friday, 8:00 to 18:00", browser.Html, StringComparison.Ordinal);
        Assert.Equal("https://help.example.com/password", browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Open a help desk ticket").GetAttribute("href"));
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("limit-reached")]
    [InlineData("push-rejected")]
    [InlineData("start-again")]
    [InlineData("superseded")]
    public async Task EveryProblemPageOffersTheWayOut(string reason)
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/reset/problem/" + reason);

        Assert.Equal("/help", browser.Page.QuerySelectorAll("a").Single(a => a.TextContent.StartsWith("I can't use any", StringComparison.Ordinal)).GetAttribute("href"));
    }

    /// <summary>Dirk's password is in Active Directory: after verification the page shows how to reach the help desk, and leads there.</summary>
    [Fact]
    public async Task AHelpDeskRefusalShowsTheContactAndLeadsToTheHelpDesk()
    {
        const string Dirk = "dirk.directory@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Dirk, "okta-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Dirk).Single().Code);
        Assert.Equal("/reset/problem/help-desk", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("Contact your help desk", browser.Heading);
        var contact = browser.Page.QuerySelector(".panel dl.help-desk")!;
        Assert.Equal("tel:+12025550100", contact.QuerySelector("a[href^='tel:']")!.GetAttribute("href"));
        Assert.Contains("Monday to Friday, 8:00 to 18:00", contact.TextContent, StringComparison.Ordinal);
        var main = Assert.Single(browser.Page.QuerySelectorAll("a.button"));
        Assert.Equal(("Open a help desk ticket", "https://help.example.com/password"), (main.TextContent, main.GetAttribute("href")));
        Assert.DoesNotContain(browser.Page.QuerySelectorAll("a"), a => a.TextContent == "Start again"); // it would end on this page again
    }

    [Theory]
    [InlineData("?start=unlock", "/unlock")]
    [InlineData("", "/")]
    [InlineData("?start=https://evil.example/", "/")]
    [InlineData("?start=/unlock", "/")]
    public async Task StartAgainOnAProblemPageIsOnlyEverTheResetOrTheUnlock(string query, string startPage)
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/reset/problem/expired" + query);

        Assert.Equal(startPage, browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Start again").GetAttribute("href"));
    }

    public static TheoryData<string> EveryProblem => [.. Enum.GetValues<MfaReset.Web.Reset.State.FlowProblem>()
        .Where(p => p != MfaReset.Web.Reset.State.FlowProblem.Completed)
        .Select(ProblemPages.SlugOf)];

    [Theory]
    [MemberData(nameof(EveryProblem))]
    public async Task EveryProblemPageCarriesAReferenceAndDoesNotRepeatItsHeading(string reason)
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/reset/problem/" + reason);

        Assert.Matches("^[0-9a-f]{32}$", browser.Page.QuerySelector(".panel .hint code")!.TextContent);
        Assert.DoesNotContain(browser.Heading, browser.Page.QuerySelector(".panel .lead")!.TextContent, StringComparison.OrdinalIgnoreCase);
    }
}
