using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// The portal's own cap on Okta requests in flight (one here, refused at once) is not an Okta outage: a
/// request it refuses gets the busy page, and the next person is not shown the outage page.
/// </summary>
public sealed class InFlightCapPageTests(InFlightCapPageTests.OneSlotPortal app) : PortalTests<InFlightCapPageTests.OneSlotPortal>(app)
{
    private const string Login = "sam.sms@example.com";

    public sealed class OneSlotPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Okta:MaxInFlightRequests"] = "1",
            ["Okta:InFlightQueueTimeout"] = "00:00:00",
            // The org's administrators listed in the background would take the one slot at start.
            ["Reset:AdminCheck"] = "PerReset",
        };

        protected override void ConfigureSandbox(SandboxOptions options) => options.Faults.SlowCallDelay = TimeSpan.FromSeconds(2);
    }

    [Fact]
    public async Task AStartTheInFlightCapRefusesShowsBusyAndTheNextStartIsNotShownTheOutagePage()
    {
        var (slow, stalled) = await App.StartStalledAtOktaAsync(Login); // its lookup holds the only slot
        using var _ = slow;

        using var refused = App.NewBrowser();
        await refused.GetAsync("/");
        await refused.PostAndFollowAsync("/", ("Input.Username", "nobody@example.com"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Response.StatusCode);
        Assert.Equal("The service is busy", refused.Heading);
        Assert.NotNull(refused.Response.Headers.RetryAfter);

        App.Clock.Advance(TimeSpan.FromSeconds(2));
        await stalled;
        Assert.Equal("/reset/method", slow.Location);
        using var next = App.NewBrowser();
        await next.StartAsync("nobody@example.com"); // the factor choice, not the outage page
    }
}
