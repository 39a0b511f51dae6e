using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.OAuth;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.HelpDesk;

/// <summary>
/// The portal with the help-desk console on, its agents signing in at the test's sandbox (OpenID Connect over
/// real HTTP), on a fake clock started at the real time (the sign-in's correlation cookies expire on it).
/// </summary>
public sealed partial class HelpDeskPortal : PortalApp
{
    public const string Group = "Help Desk";

    private readonly string _clientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public HelpDeskPortal() => Clock.SetUtcNow(DateTimeOffset.UtcNow);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["HelpDesk:Enabled"] = "true",
        ["HelpDesk:ClientId"] = "0oasandboxhelpdesk0id",
        ["HelpDesk:ClientSecret"] = _clientSecret,
        ["HelpDesk:AgentGroup"] = Group,
    };

    protected override void ConfigureSandbox(SandboxOptions options)
    {
        options.SignInApp.ClientSecret = _clientSecret;
        options.SignInApp.RedirectUris = [new Uri(PortalBrowser.BaseAddress, "/helpdesk/signin-oidc").ToString()];
    }

    /// <summary>A day later (<see cref="PortalApp.FreshStart"/>), with no log records of earlier tests.</summary>
    public void Fresh()
    {
        FreshStart();
        Logs.Clear();
    }

    /// <summary>
    /// Opens the console in <paramref name="browser"/> and signs in at the sandbox as <paramref name="agent"/>;
    /// the browser is left on the answer to Okta's return (the landing page, or the refusal).
    /// </summary>
    public async Task SignInAsync(PortalBrowser browser, DemoAgent agent)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(agent);
        await browser.GetAsync("/helpdesk");
        Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
        var authorize = new Uri(browser.Location!);
        Assert.StartsWith(Sandbox.BaseUrl.GetLeftPart(UriPartial.Authority) + "/oauth2/v1/authorize?", authorize.ToString(), StringComparison.Ordinal);

        using var okta = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var signInPage = await okta.GetStringAsync(authorize);
        var request = RequestField().Match(signInPage).Groups[1].Value;
        using var form = new FormUrlEncodedContent([new("request", WebUtility.HtmlDecode(request)), new("login", agent.Login)]);
        using var answer = await okta.PostAsync(new Uri(Sandbox.BaseUrl, "/oauth2/v1/authorize"), form);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var back = answer.Headers.Location!;
        Assert.Equal(PortalBrowser.BaseAddress.Authority, back.Authority);
        await browser.GetAsync(back.PathAndQuery);
    }

    /// <summary>Signs <see cref="DemoAgents.Hana"/> in and opens the console's start page.</summary>
    public async Task<PortalBrowser> NewAgentAsync()
    {
        var browser = NewBrowser();
        await SignInAsync(browser, DemoAgents.Hana);
        Assert.Equal("/helpdesk/signed-in", browser.Location);
        await browser.GetAsync("/helpdesk");
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        return browser;
    }

    /// <summary>Looks <paramref name="login"/> up and picks the method whose label starts with <paramref name="label"/>.</summary>
    public static async Task SendAsync(PortalBrowser agent, string login, string label)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await agent.PostAsync("/helpdesk", ("Input.Username", login));
        Assert.Equal("/helpdesk/verify", agent.Location);
        await agent.FollowAsync();
        var choice = agent.Page.QuerySelectorAll(".choice").First(c => c.QuerySelector("label")!.TextContent.StartsWith(label, StringComparison.Ordinal));
        await agent.PostAsync("/helpdesk/verify", ("Choice", choice.QuerySelector("input")!.GetAttribute("value")!));
    }

    [GeneratedRegex("name=\"request\" value=\"([^\"]+)\"")]
    private static partial Regex RequestField();
}
