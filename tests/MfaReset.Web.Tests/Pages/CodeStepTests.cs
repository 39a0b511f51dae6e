using System.Globalization;
using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The code page: format checks before Okta, wrong codes to the limit, the resend cooldown.</summary>
public sealed class CodeStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private string WrongTotp(string login)
    {
        var current = int.Parse(App.Okta.GetTotpCodes(login).Single().Code, CultureInfo.InvariantCulture);
        return ((current + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task WrongCodesUpToTheLimitEndTheFlowWithoutFurtherOktaCalls()
    {
        const string Login = "tom.totp@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");

        await browser.EnterCodeAsync(WrongTotp(Login));
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal(["That code didn't work. Check it and try again: you have 2 tries left."], browser.Errors);
        Assert.Equal("#Input_Code", browser.Page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Equal("true", browser.Page.QuerySelector("#Input_Code")!.GetAttribute("aria-invalid"));
        await browser.EnterCodeAsync(WrongTotp(Login));
        Assert.Equal(["That code didn't work. Check it and try again: you have 1 try left."], browser.Errors);
        await browser.EnterCodeAsync(WrongTotp(Login));
        Assert.Equal("/reset/problem/limit-reached", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("Too many attempts", browser.Heading);

        await browser.GetAsync("/reset/code");
        Assert.Equal(3, App.CallsFor(Login, OktaOperations.VerifyFactor));
        Assert.Equal("/reset/problem/start-again", browser.Location);
    }

    [Theory]
    [InlineData("", "Enter the 6-digit code.")]
    [InlineData("12ab56", "Enter the 6-digit code, numbers only.")]
    [InlineData("12345", "Enter the 6-digit code, numbers only.")]
    public async Task MalformedCodeIsRefusedBeforeOkta(string code, string error)
    {
        const string Login = "sam.sms@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");
        await browser.SendCodeAsync();

        await browser.EnterCodeAsync(code);

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal([error], browser.Errors);
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.VerifyFactor)); // the SMS challenge only
        Assert.Single(App.Okta.GetMessages(Login));
    }

    [Fact]
    public async Task SendAgainWaitsThirtySeconds()
    {
        const string Login = "sam.sms@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");
        await browser.SendCodeAsync();

        var resend = browser.Page.QuerySelector("form.resend button")!;
        Assert.Equal("Send a new code", resend.TextContent.Trim());
        Assert.True(resend.HasAttribute("disabled"));
        Assert.Equal("30", browser.Page.QuerySelector("[data-countdown-seconds]")!.TextContent);

        await browser.PostAsync("/reset/code/send");
        Assert.Equal("/reset/code?notice=wait", browser.Location);
        Assert.Single(App.Okta.GetMessages(Login));

        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await browser.GetAsync("/reset/code");
        Assert.False(browser.Page.QuerySelector("form.resend button")!.HasAttribute("disabled"));
        await browser.SendCodeAsync();

        Assert.Equal(2, App.Okta.GetMessages(Login).Count);
        await browser.EnterCodeAsync(App.Okta.GetLatestMessage(Login)!.Code);
        Assert.Equal("/reset/password", browser.Location);
    }

    [Fact]
    public async Task CodePageWithoutAFlowAsksToStartAgain()
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync("/reset/code");
        Assert.Equal("/reset/problem/start-again", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.BadRequest, browser.Response.StatusCode);
        Assert.Equal("Please start again", browser.Heading);
    }
}
