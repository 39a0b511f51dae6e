using System.Globalization;
using System.Net;
using MfaReset.Okta.Sandbox.Control;
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
    public async Task SendAgainSaysWhenItIsAvailableAndAnEarlyPressSendsAndSpendsNothing()
    {
        const string Login = "sam.sms@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");
        await browser.SendCodeAsync();
        Assert.Null(browser.Page.QuerySelector(".notice")); // the lead says it once: no "We sent you a code." twice
        Assert.Single(browser.Page.QuerySelectorAll("p"), p => p.TextContent.Contains("we sent", StringComparison.OrdinalIgnoreCase));

        // Without JavaScript the button works (the script disables it and counts down); the page says when.
        var resend = browser.Page.QuerySelector("form.resend button")!;
        Assert.Equal("Send a new code", resend.TextContent.Trim());
        Assert.False(resend.HasAttribute("disabled"));
        Assert.Equal("30", resend.GetAttribute("data-enable-after"));
        Assert.Equal("You can ask for a code in 30 seconds.", browser.Page.QuerySelector("#resend-countdown")!.TextContent.Trim());

        for (var press = 0; press < 4; press++)
        {
            await browser.PostAsync("/reset/code/send");
            Assert.Equal("/reset/code?notice=wait", browser.Location);
        }

        await browser.FollowAsync();
        Assert.StartsWith("We didn't send a code", browser.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Single(App.Okta.GetMessages(Login));

        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await browser.GetAsync("/reset/code");
        Assert.Equal("0", browser.Page.QuerySelector("form.resend button")!.GetAttribute("data-enable-after"));
        await browser.SendCodeAsync();
        Assert.Equal("We sent a new code. Only the newest code works.", browser.Page.QuerySelector(".notice")!.TextContent.Trim());

        Assert.Equal(2, App.Okta.GetMessages(Login).Count);
        await App.EnterTextedCodeAsync(browser, Login);
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
