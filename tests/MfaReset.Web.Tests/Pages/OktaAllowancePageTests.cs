using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// The portal's own share of Okta's verify bucket, end to end: Okta reports an 8-a-minute bucket, the portal
/// spends a quarter of it (2 verifies a minute), and the next verify gets the busy page without reaching Okta.
/// </summary>
public sealed class OktaAllowancePageTests(OktaAllowancePageTests.SmallBucketPortal app) : PortalTests<OktaAllowancePageTests.SmallBucketPortal>(app)
{
    private const string Login = "sam.sms@example.com";

    public sealed class SmallBucketPortal : PortalApp
    {
        protected override void ConfigureSandbox(SandboxOptions options) => options.RateLimits.OtherPerMinute = 8;
    }

    [Fact]
    public async Task VerifiesBeyondThePortalsShareOfTheBucketGetTheBusyPageUntilTheMinuteEndsAndReachNoOkta()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");
        await browser.SendCodeAsync(); // the first verify: Okta reports the bucket
        await browser.EnterCodeAsync("000000"); // the second, the last of the portal's 2
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        var callsBefore = App.RequestOktaCalls;

        await App.EnterTextedCodeAsync(browser, Login);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        Assert.Equal("The service is busy", browser.Heading);
        Assert.Equal("60", browser.Response.Headers.RetryAfter!.ToString());
        Assert.Equal(callsBefore, App.RequestOktaCalls);

        // The next minute the same code is checked, with the flow's attempts as they were.
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.GetAsync("/reset/code");
        await App.EnterTextedCodeAsync(browser, Login);
        Assert.Equal("/reset/password", browser.Location);
    }
}
