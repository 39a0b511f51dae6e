using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// The verification pause over HTTP against the sandbox, which locks an account at its fifth failed check in a
/// row as Okta does: a stranger's wrong codes pause code checks one short of the lockout, the person still
/// finishes with a push, and an unknown username's pause page is the same page.
/// </summary>
public sealed class VerificationPauseStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Login = "max.multi@example.com";

    [Fact]
    public async Task AStrangersWrongCodesFromManyAddressesStopOneShortOfOktasLockoutOnAPageThatSaysWhatStillWorks()
    {
        await StrangerPausesAsync(Login);

        using var browser = await CodeCheckFromAsync("192.0.2.44", Login);
        Assert.Equal("/reset/problem/verification-paused", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("Codes are paused for your account", browser.Heading);
        var text = browser.Page.QuerySelector(".lead")!.TextContent;
        Assert.Contains("Okta Verify push notification", text, StringComparison.Ordinal);
        Assert.Contains("within 1 hour", text, StringComparison.Ordinal);
        Assert.Contains("help desk can also lift the pause", text, StringComparison.Ordinal);
        Assert.Equal(4, App.CallsFor(Login, OktaOperations.VerifyFactor));
        Assert.Equal("ACTIVE", App.Okta.GetUser(Login).Status);
    }

    [Fact]
    public async Task ThePersonFinishesWithAnApprovedPushWhileCodesArePaused()
    {
        await StrangerPausesAsync(Login);

        using var browser = await App.NewBrowserWithPushSentAsync(Login);
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));
        App.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer);
        var (_, body) = await browser.PollAsync();
        Assert.Equal("/reset/password", body.GetProperty("redirect").GetString());
        await browser.GetAsync("/reset/password");
        await browser.ChangePasswordAsync();

        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
        Assert.Equal("ACTIVE", App.Okta.GetUser(Login).Status);
    }

    [Fact]
    public async Task AnUnknownUsernamesPauseIsTheSamePage()
    {
        const string Unknown = "max.multi@example.org";
        await StrangerPausesAsync(Login);
        await StrangerPausesAsync(Unknown);

        using var real = await CodeCheckFromAsync("192.0.2.45", Login);
        using var unknown = await CodeCheckFromAsync("192.0.2.46", Unknown);
        Assert.Equal(real.Location, unknown.Location);
        await real.FollowAsync();
        await unknown.FollowAsync();

        Assert.Equal(real.Response.StatusCode, unknown.Response.StatusCode);
        Assert.Equal(real.HtmlWithoutRequestTokens, unknown.HtmlWithoutRequestTokens);
    }

    [Fact]
    public async Task AClientOverItsHourlyFailuresGetsTheNetworkPageWithRetryAfterAndNoOktaCall()
    {
        const string Peer = "203.0.113.99";
        for (var i = 0; i < 5; i++)
        {
            using var each = await CodeCheckFromAsync(Peer, $"someone{i}@example.com");
            Assert.Equal(HttpStatusCode.OK, each.Response.StatusCode);
        }

        using var browser = await CodeCheckFromAsync(Peer, Login);
        Assert.Equal("/reset/problem/network-paused", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("3600", browser.Response.Headers.RetryAfter!.ToString());
        Assert.Equal("Too many wrong codes from your network", browser.Heading);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.VerifyFactor));
    }

    /// <summary>A stranger's four wrong codes for <paramref name="login"/> from two addresses, past the per-person window.</summary>
    private async Task StrangerPausesAsync(string login)
    {
        for (var i = 0; i < 3; i++)
        {
            using var each = await CodeCheckFromAsync($"198.51.100.{10 + i}", login);
            Assert.Equal(HttpStatusCode.OK, each.Response.StatusCode);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(16));
        using var fourth = await CodeCheckFromAsync("198.51.100.20", login);
        Assert.Equal(HttpStatusCode.OK, fourth.Response.StatusCode);
    }

    /// <summary>A browser at <paramref name="peer"/> that typed one wrong authenticator-app code for <paramref name="login"/>.</summary>
    private async Task<PortalBrowser> CodeCheckFromAsync(string peer, string login)
    {
        var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, peer);
        await browser.ChooseAsync(login, "okta-code");
        await browser.EnterCodeAsync(App.WrongTotp(login));
        return browser;
    }
}
