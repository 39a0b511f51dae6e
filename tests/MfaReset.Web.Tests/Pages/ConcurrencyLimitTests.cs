using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// The global concurrency limiter in front of the pages (one request at once and no queue here): a request
/// beyond it gets the busy page with Retry-After and costs nothing; health probes still answer.
/// </summary>
public sealed class ConcurrencyLimitTests(ConcurrencyLimitTests.OneAtATimePortal app) : PortalTests<ConcurrencyLimitTests.OneAtATimePortal>(app)
{
    private const string Login = "sam.sms@example.com";

    public sealed class OneAtATimePortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Concurrency:MaxConcurrentRequests"] = "1",
            ["Concurrency:QueueLimit"] = "0",
            ["Concurrency:RetryAfter"] = "00:00:07",
        };

        protected override void ConfigureSandbox(SandboxOptions options) => options.Faults.SlowCallDelay = TimeSpan.FromSeconds(2);
    }

    [Fact]
    public async Task ARequestBeyondTheLimitGetsTheBusyPageWithRetryAfterAndCostsNoOktaCall()
    {
        using var refused = App.NewBrowser();
        await refused.GetAsync("/");
        var (slow, stalled) = await App.StartStalledAtOktaAsync(Login); // it holds the only place
        using var _ = slow;
        var callsBefore = App.RequestOktaCalls;

        await refused.PostAsync("/", ("Input.Username", "nobody@example.com"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Response.StatusCode);
        Assert.Equal("7", refused.Response.Headers.RetryAfter!.ToString());
        Assert.Equal("The service is busy", refused.Heading);
        Assert.Contains("Please try again in 7 seconds.", refused.Html, StringComparison.Ordinal);
        Assert.Equal(callsBefore, App.RequestOktaCalls);
        using var probe = App.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/healthz")).StatusCode);

        App.Clock.Advance(TimeSpan.FromSeconds(2));
        await stalled;
        Assert.Equal("/reset/method", slow.Location);
        await refused.GetAsync("/");
        await refused.PostAsync("/", ("Input.Username", "nobody@example.com"));
        Assert.Equal("/reset/method", refused.Location);
    }
}
