using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>What Okta really answers, through the pages: its call throttle, and a code Okta already took.</summary>
public sealed class OktaAnswerStepTests(OktaAnswerStepTests.SlowPhonePortal app) : PortalTests<OktaAnswerStepTests.SlowPhonePortal>(app)
{
    [Fact]
    public async Task CallResendHittingOktasThrottleSaysWaitOrTryAnotherMethod()
    {
        const string Login = "vera.voice@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "call");
        await browser.SendCodeAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(31)); // past the portal's cooldown, not Okta's minute

        await browser.PostAsync("/reset/code/send");

        Assert.Equal("/reset/code?notice=phone-busy", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Contains("Okta can't call your phone right now", browser.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(browser.Page.QuerySelector("a[href='/reset/method']"));
        Assert.Equal("30", browser.Page.QuerySelector("[data-countdown]")!.GetAttribute("data-countdown"));
        Assert.Equal(2, App.CallsFor(Login, OktaOperations.VerifyFactor));
        Assert.Single(App.Okta.GetMessages(Login));

        // The first call's code still works: the flow was never ended.
        await App.EnterTextedCodeAsync(browser, Login);
        Assert.Equal("/reset/password", browser.Location);
    }

    [Fact]
    public async Task CodeOktaAlreadyTookAsksForTheNextCodeAndCountsAsOktaDoes()
    {
        const string Login = "tom.totp@example.com";
        var code = App.Okta.GetTotpCodes(Login).Single().Code;
        await UseCodeAtOktaAsync(Login, code); // as when the person signed in elsewhere with it
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");

        await browser.EnterCodeAsync(code);

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal(["This code was already used. Wait for the next code, then enter it."], browser.Errors);
        Assert.Equal(2, App.CallsFor(Login, OktaOperations.VerifyFactor));
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        Assert.Equal("/reset/password", browser.Location);
    }

    private async Task UseCodeAtOktaAsync(string login, string code)
    {
        var user = App.Okta.GetUser(login);
        using var http = new HttpClient { BaseAddress = App.Sandbox.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", App.Sandbox.ApiToken);
        using var response = await http.PostAsJsonAsync($"api/v1/users/{user.Id}/factors/{user.Factors.Single().Id}/verify", new { passCode = code });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Okta's call and SMS throttle set to a minute, longer than the portal's 30-second cooldown.</summary>
    public sealed class SlowPhonePortal : PortalApp
    {
        protected override void ConfigureSandbox(SandboxOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.ResendCooldown = TimeSpan.FromMinutes(1);
        }
    }
}
