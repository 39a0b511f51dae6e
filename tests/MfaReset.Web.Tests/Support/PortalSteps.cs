using System.Net;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// The verification steps page tests share, named for what the person does; the sandbox's phone and authenticator
/// apps supply the codes. Each ends on the answer to the code (not followed), so a test reads where it leads.
/// </summary>
public static class PortalSteps
{
    /// <summary>A new browser that chose SMS for <paramref name="login"/>, was sent a code and entered it.</summary>
    public static async Task<PortalBrowser> VerifiedWithSmsAsync(this PortalApp app, string login)
    {
        ArgumentNullException.ThrowIfNull(app);
        var browser = app.NewBrowser();
        await app.VerifyWithSmsAsync(browser, login);
        return browser;
    }

    /// <summary><paramref name="browser"/> starts for <paramref name="login"/>, chooses SMS, is sent a code and enters it.</summary>
    public static async Task VerifyWithSmsAsync(this PortalApp app, PortalBrowser browser, string login)
    {
        ArgumentNullException.ThrowIfNull(browser);
        await browser.ChooseAsync(login, "sms");
        await app.SendAndEnterSmsCodeAsync(browser, login);
    }

    /// <summary>On SMS's code page: sends the code and enters the one <paramref name="login"/>'s phone got.</summary>
    public static async Task SendAndEnterSmsCodeAsync(this PortalApp app, PortalBrowser browser, string login)
    {
        ArgumentNullException.ThrowIfNull(browser);
        await browser.SendCodeAsync();
        await app.EnterTextedCodeAsync(browser, login);
    }

    /// <summary>Enters the code last texted to <paramref name="login"/>.</summary>
    public static Task<HttpResponseMessage> EnterTextedCodeAsync(this PortalApp app, PortalBrowser browser, string login)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(browser);
        return browser.EnterCodeAsync(app.Okta.GetLatestMessage(login)!.Code);
    }

    /// <summary>
    /// A new browser that chose an authenticator app's code (<paramref name="choice"/>: okta-code or google-code) for
    /// <paramref name="login"/>, a person with one such app, and entered what the app shows now.
    /// </summary>
    public static async Task<PortalBrowser> VerifiedWithAppCodeAsync(this PortalApp app, string login, string choice)
    {
        ArgumentNullException.ThrowIfNull(app);
        var browser = app.NewBrowser();
        await browser.ChooseAsync(login, choice);
        await browser.EnterCodeAsync(app.Okta.GetTotpCodes(login).Single().Code);
        return browser;
    }

    /// <summary>Enters the code <paramref name="login"/>'s authenticator app of <paramref name="kind"/> shows now.</summary>
    public static Task<HttpResponseMessage> EnterAppCodeAsync(this PortalApp app, PortalBrowser browser, string login, SandboxFactorKind kind)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(browser);
        return browser.EnterCodeAsync(app.Okta.GetTotpCodes(login).Single(c => c.Kind == kind).Code);
    }

    /// <summary>
    /// The last answer leads to the problem page <paramref name="location"/>, which says <paramref name="heading"/> with
    /// 403: what a verified person is shown when the org's rule (or its method) does not let them go on.
    /// </summary>
    public static async Task FollowsToRefusalAsync(this PortalBrowser browser, string location, string heading)
    {
        ArgumentNullException.ThrowIfNull(browser);
        Assert.Equal(location, browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal(heading, browser.Heading);
    }
}
