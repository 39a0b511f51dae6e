using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The whole flow through the pages for each factor kind, against the sandbox over HTTP.</summary>
public sealed class ResetJourneyTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private async Task ChangePasswordAndFinishAsync(PortalBrowser browser, string login)
    {
        Assert.Equal("/reset/password", browser.Location);
        await browser.FollowAsync();
        Assert.Equal("Choose a new password", browser.Heading);
        await ChangePasswordWithOneConditionalSetAsync(browser, login);
        Assert.Equal("/reset/done", browser.Location);
        await browser.FollowAsync();
        Assert.Equal("Your password has been changed", browser.Heading);
        Assert.True(App.Okta.IsCurrentPassword(login, PortalBrowser.Password));
        Assert.NotNull(App.Okta.GetUser(login).SessionsRevoked);
        // Reset:RevokeOAuthTokens is on by default: a refresh token taken with the old password stops working.
        Assert.NotNull(App.Okta.GetUser(login).OAuthTokensRevoked);
    }

    /// <summary>The set names the start read's ETag (If-Match): one updateUser and no read of the user before it.</summary>
    private async Task ChangePasswordWithOneConditionalSetAsync(PortalBrowser browser, string login)
    {
        var (reads, sets) = (App.CallsFor(login, OktaOperations.GetUser), App.CallsFor(login, OktaOperations.UpdateUser));
        await browser.ChangePasswordAsync();
        Assert.Equal(reads, App.CallsFor(login, OktaOperations.GetUser));
        Assert.Equal(sets + 1, App.CallsFor(login, OktaOperations.UpdateUser));
    }

    [Theory]
    [InlineData("sam.sms@example.com", "sms", "Text message (SMS)", "Send code")]
    [InlineData("vera.voice@example.com", "call", "Voice call", "Call me")]
    public async Task CanResetPasswordWithAPhoneCode(string login, string choice, string label, string sendButton)
    {
        using var browser = App.NewBrowser();

        await browser.StartAsync(login);
        Assert.Contains(label, browser.Page.QuerySelectorAll("label").Select(l => l.TextContent.Trim()));
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", choice));
        Assert.Equal(sendButton, browser.Page.QuerySelector("form button")!.TextContent.Trim());
        Assert.Null(App.Okta.GetLatestMessage(login));
        await browser.SendCodeAsync();
        var code = App.Okta.GetLatestMessage(login)!.Code;
        Assert.Equal("one-time-code", browser.Page.QuerySelector("#Input_Code")!.GetAttribute("autocomplete"));
        await browser.EnterCodeAsync(code);

        await ChangePasswordAndFinishAsync(browser, login);
    }

    [Theory]
    [InlineData("tom.totp@example.com", "okta-code", SandboxFactorKind.OktaVerifyTotp, "Enter the code from Okta Verify")]
    [InlineData("gail.google@example.com", "google-code", SandboxFactorKind.GoogleAuthenticator, "Enter the code from Google Authenticator")]
    public async Task CanResetPasswordWithAnAuthenticatorCode(string login, string choice, SandboxFactorKind kind, string heading)
    {
        using var browser = App.NewBrowser();

        await browser.ChooseAsync(login, choice);
        Assert.Equal(heading, browser.Heading);
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(login).Single(c => c.Kind == kind).Code);

        await ChangePasswordAndFinishAsync(browser, login);
    }

    [Fact]
    public async Task CanResetPasswordWithANumberMatchedPush()
    {
        const string Login = "pat.push@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "push");
        Assert.Equal("Get a push notification", browser.Heading);

        await browser.SendPushAsync();
        Assert.Equal("Check your phone", browser.Heading);
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));
        Assert.Equal(push.CorrectAnswer.ToString(), browser.Page.QuerySelector("[data-push-number]")!.TextContent);
        Assert.Equal("pending", (await browser.PollAsync()).Body.GetProperty("state").GetString());
        Assert.Equal(PushAnswerOutcome.Approved, App.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer));
        App.Clock.Advance(TimeSpan.FromSeconds(4));
        var (status, body) = await browser.PollAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("approved", body.GetProperty("state").GetString());
        Assert.Equal("/reset/password", body.GetProperty("redirect").GetString());
        await browser.GetAsync("/reset/password");
        Assert.Equal("Choose a new password", browser.Heading);
        await ChangePasswordWithOneConditionalSetAsync(browser, Login);
        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
    }

    [Fact]
    public async Task CanResetPasswordWithAPushWithoutJavaScript()
    {
        const string Login = "max.multi@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "push");
        await browser.SendPushAsync();

        await browser.PostAsync("/reset/push/check");
        Assert.Equal("/reset/push?notice=waiting", browser.Location);
        await browser.FollowAsync();
        Assert.Contains("haven't had your approval yet", browser.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));
        App.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer);
        App.Clock.Advance(TimeSpan.FromSeconds(4));
        await browser.PostAsync("/reset/push/check");

        await ChangePasswordAndFinishAsync(browser, Login);
    }

    [Fact]
    public async Task LockedOutUserIsUnlockedAfterTheReset()
    {
        const string Login = "lou.locked@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");

        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        await ChangePasswordAndFinishAsync(browser, Login);

        Assert.Equal("ACTIVE", App.Okta.GetUser(Login).Status);
    }

    [Fact]
    public async Task UserWithSeveralPhonesGetsTheFirstActiveOne()
    {
        const string Login = "max.multi@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");

        await browser.SendCodeAsync();

        Assert.Equal("+12025550103", App.Okta.GetLatestMessage(Login)!.PhoneNumber);
    }
}
