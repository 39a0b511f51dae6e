using System.Net;
using MfaReset.Okta.Sandbox.OAuth;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.HelpDesk;

/// <summary>Agents sign in with the org's Okta; only the help-desk group gets a console; a signed-out agent reaches nothing.</summary>
public sealed class ConsoleSignInTests(HelpDeskPortal app) : IClassFixture<HelpDeskPortal>
{
    /// <summary>Every console page and endpoint, with the method it answers.</summary>
    public static TheoryData<string, string> ConsoleEndpoints => new()
    {
        { "GET", "/helpdesk" },
        { "GET", "/helpdesk/verify" },
        { "GET", "/helpdesk/code" },
        { "GET", "/helpdesk/push" },
        { "GET", "/helpdesk/person" },
        { "GET", "/helpdesk/confirm/unlock" },
        { "GET", "/helpdesk/reference?reference=x" },
        { "POST", "/helpdesk" },
        { "POST", "/helpdesk?handler=SignOut" },
        { "POST", "/helpdesk/verify" },
        { "POST", "/helpdesk/code" },
        { "POST", "/helpdesk/push/check" },
        { "POST", "/helpdesk/push/status" },
        { "POST", "/helpdesk/person/act" },
    };

    [Fact]
    public async Task AgentInTheHelpDeskGroupSignsInWithOktaAndGetsTheConsole()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();

        Assert.Equal("Help desk console", agent.Heading);
        Assert.Contains("Signed in as hana.agent@example.com.", agent.Html, StringComparison.Ordinal);
        Assert.NotNull(agent.Cookie("__Host-MfaReset-HelpDesk"));
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2400 && r.Message.Contains(DemoAgents.Hana.UserId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("de", "Helpdesk-Konsole")]
    [InlineData("es", "Consola del servicio de asistencia")]
    [InlineData("fr", "Console du support informatique")]
    public async Task ConsoleSpeaksTheAgentsLanguage(string language, string heading)
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        agent.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        await agent.GetAsync("/helpdesk");

        Assert.Equal(heading, agent.Heading);
        Assert.Equal(language, agent.Page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task AgentOutsideTheGroupIsRefusedAndGetsNoConsoleSession()
    {
        app.Fresh();
        using var outsider = app.NewBrowser();

        await app.SignInAsync(outsider, DemoAgents.Olaf);
        Assert.Equal("/helpdesk/refused", outsider.Location);
        await outsider.FollowAsync();

        Assert.Equal(HttpStatusCode.Forbidden, outsider.Response.StatusCode);
        Assert.Equal("You can't use the help desk console", outsider.Heading);
        Assert.Null(outsider.Cookie("__Host-MfaReset-HelpDesk"));
        await outsider.GetAsync("/helpdesk");
        Assert.Equal(HttpStatusCode.Redirect, outsider.Response.StatusCode); // back to Okta, not into the console
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2401 && r.Message.Contains("not-in-agent-group", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ConsoleEndpoints))]
    public async Task WithoutASessionNoConsolePageOrEndpointAnswers(string method, string path)
    {
        using var stranger = app.NewBrowser();
        await stranger.GetAsync("/");
        var token = stranger.AntiforgeryToken;

        var response = await Send(stranger, method, path, token);

        if (method == "GET")
        {
            // A page starts the sign-in at Okta.
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(app.Sandbox.BaseUrl.GetLeftPart(UriPartial.Authority) + "/oauth2/v1/authorize?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        else if (path.EndsWith("/status", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode); // the push page's script reloads the page
        }
        else
        {
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            Assert.Equal("/helpdesk/signed-out", response.Headers.Location!.OriginalString);
        }

        Assert.Equal(0, app.Okta.GetCallCounts().ByUser.GetValueOrDefault("sam.sms@example.com")?.Values.Sum() ?? 0);
    }

    [Fact]
    public async Task SignedOutSessionIsRefusedEvenWithItsOldCookie()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        using var thief = app.NewBrowser();
        agent.CopyCookiesTo(thief); // the session's cookie as it was before sign-out

        await agent.PostAsync("/helpdesk?handler=SignOut");
        Assert.Equal("/helpdesk/signed-out", agent.Location);
        await thief.GetAsync("/helpdesk");

        Assert.Equal(HttpStatusCode.Redirect, thief.Response.StatusCode);
        Assert.StartsWith(app.Sandbox.BaseUrl.GetLeftPart(UriPartial.Authority), thief.Location, StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2408 && r.Message.Contains("session-signed-out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SessionEndsAtItsAbsoluteLifetimeHoweverActive()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        for (var i = 0; i < 9 * 6; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(10)); // within the idle timeout each time
            await agent.GetAsync("/helpdesk");
            if (agent.Response.StatusCode != HttpStatusCode.OK)
            {
                break;
            }
        }

        Assert.Equal(HttpStatusCode.Redirect, agent.Response.StatusCode);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2408 && r.Message.Contains("session-lifetime-over", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> Send(PortalBrowser browser, string method, string path, string token)
    {
        if (method == "GET")
        {
            return await browser.Client.GetAsync(new Uri(path, UriKind.Relative));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("action", "Unlock"), new("Input.Username", "sam.sms@example.com")]) };
        request.Headers.Add("RequestVerificationToken", token);
        return await browser.Client.SendAsync(request);
    }
}
