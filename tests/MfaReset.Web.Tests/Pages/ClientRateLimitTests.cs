using System.Diagnostics.Metrics;
using System.Net;
using MfaReset.Web.Reset.Audit;
using MfaReset.Okta;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// The per-client limits: on posts, counted in the store, 429 with Retry-After and a friendly page, no Okta
/// call; on the push poll, counted in the instance's memory, 429 with no store call at all.
/// </summary>
public sealed class ClientRateLimitTests(ClientRateLimitTests.LowLimitPortal app) : PortalTests<ClientRateLimitTests.LowLimitPortal>(app)
{
    [Fact]
    public async Task PostsBeyondTheLimitGetTooManyRequests()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        for (var i = 0; i < 10; i++)
        {
            await browser.PostAsync("/", ("Input.Username", $"nobody{i}@example.com"));
            Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
            await browser.GetAsync("/");
        }

        var callsBefore = App.RequestOktaCalls;
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("60", browser.Response.Headers.RetryAfter!.ToString());
        Assert.Equal("Too many requests", browser.Heading);
        Assert.Equal(callsBefore, App.RequestOktaCalls);

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.GetAsync("/");
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        Assert.Equal("/reset/method", browser.Location);
    }

    [Fact]
    public async Task AnIpv4ClientOnADualStackSocketIsCountedAsOneClient()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        for (var i = 0; i < 10; i++)
        {
            // The same client, written as IPv4 by one listener and IPv4-mapped IPv6 by another.
            browser.Client.DefaultRequestHeaders.Remove(PeerAddressFilter.Header);
            browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, i % 2 == 0 ? "198.51.100.7" : "::ffff:198.51.100.7");
            await browser.PostAsync("/", ("Input.Username", $"nobody{i}@example.com"));
            Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
            await browser.GetAsync("/");
        }

        browser.Client.DefaultRequestHeaders.Remove(PeerAddressFilter.Header);
        browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, "::ffff:198.51.100.7");
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
    }

    [Fact]
    public async Task EveryAddressOfOneIpv6Slash64SharesOneLimitAndAnotherSlash64HasItsOwn()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        for (var i = 0; i < 10; i++)
        {
            // A client with a /64 of its own takes a fresh address for every post.
            FromPeer(browser, $"2001:db8:5:6::{i + 1:x}");
            await browser.PostAsync("/", ("Input.Username", $"nobody{i}@example.com"));
            Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
            await browser.GetAsync("/");
        }

        var callsBefore = App.RequestOktaCalls;
        FromPeer(browser, "2001:db8:5:6:abcd:ef01:2345:6789");
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal(callsBefore, App.RequestOktaCalls);

        // The neighbouring /64 is another subscriber: not refused for this one's posts.
        FromPeer(browser, "2001:db8:5:7::1");
        await browser.GetAsync("/");
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        Assert.Equal("/reset/method", browser.Location);
    }

    [Fact]
    public async Task PollsFromEveryAddressOfOneIpv6Slash64ShareOnePollLimit()
    {
        using var browser = await PushSentAsync();
        for (var i = 0; i < 10; i++)
        {
            FromPeer(browser, $"2001:db8:9:9::{i + 1:x}");
            Assert.Equal(HttpStatusCode.OK, (await browser.PollAsync()).Status);
        }

        FromPeer(browser, "2001:db8:9:9::ffff");
        using var refused = await browser.PollAtAsync("/reset/push/status");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    private static void FromPeer(PortalBrowser browser, string address)
    {
        browser.Client.DefaultRequestHeaders.Remove(PeerAddressFilter.Header);
        browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, address);
    }

    private const string PushLogin = "pat.push@example.com";

    /// <summary>The event <c>ClientRateLimit</c> writes when it refuses a request.</summary>
    private const int ClientThrottledEvent = 1204;

    private MetricCollector<long> CollectStoreOperations() =>
        new(App.Services.GetRequiredService<IMeterFactory>(), PortalMetrics.MeterName, "mfareset.flow_store.operations");

    private Task<PortalBrowser> PushSentAsync() => App.NewBrowserWithPushSentAsync(PushLogin);

    /// <summary>Polls until the per-client poll limit (10) is used up in this minute.</summary>
    private static async Task UseUpThePollLimitAsync(PortalBrowser browser)
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.PollAsync()).Status);
        }
    }

    /// <summary>Whole seconds from now until the current minute (the poll limit's window) ends.</summary>
    private int SecondsToTheNextMinute()
    {
        var now = App.Clock.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        return (int)Math.Ceiling((minute.AddMinutes(1) - now).TotalSeconds);
    }

    [Fact]
    public async Task PollsBeyondTheLimitGetTooManyRequestsWithoutAnyStoreOrOktaCall()
    {
        using var browser = await PushSentAsync();
        await UseUpThePollLimitAsync(browser);
        var oktaCallsBefore = App.RequestOktaCalls;
        var refusalsBefore = App.Logs.OfEvent(ClientThrottledEvent).Count;
        using var operations = CollectStoreOperations();

        using var refused = await browser.PollAtAsync("/reset/push/status");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(SecondsToTheNextMinute().ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Headers.RetryAfter!.ToString());
        Assert.Empty(operations.GetMeasurementSnapshot());
        Assert.Equal(oktaCallsBefore, App.RequestOktaCalls);
        var refusal = Assert.Single(App.Logs.OfEvent(ClientThrottledEvent).Skip(refusalsBefore));
        Assert.Equal("10", refusal.Value("Limit"));

        // The next minute the count starts again.
        App.Clock.Advance(TimeSpan.FromSeconds(SecondsToTheNextMinute()));
        Assert.Equal("pending", (await browser.PollAsync()).Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task PollsAreNotCountedInTheStoreAndDoNotUseUpThePostLimit()
    {
        using var browser = await PushSentAsync();
        using var operations = CollectStoreOperations();

        await UseUpThePollLimitAsync(browser);

        string[] counted = ["record_event", "record_event_and_get"];
        Assert.DoesNotContain(operations.GetMeasurementSnapshot(), m => m.Tags["operation"] is string operation && counted.Contains(operation));
        // Form posts are still counted in the store, against their own limit, with the flow of their cookie read in the same step.
        operations.Clear();
        App.Clock.Advance(TimeSpan.FromSeconds(4)); // the polls asked Okta; the press would wait for the next interval
        await browser.PostAsync("/reset/push/check");
        Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
        Assert.Contains("record_event_and_get", operations.GetMeasurementSnapshot().Select(m => m.Tags["operation"]));
    }

    [Fact]
    public async Task AFormPostCountsItsClientAndReadsItsFlowInOneStoreCall()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("tom.totp@example.com", "okta-code");
        using var operations = CollectStoreOperations();

        await browser.EnterCodeAsync(App.Okta.GetTotpCodes("tom.totp@example.com").Single().Code);

        Assert.Equal("/reset/password", browser.Location);
        var called = operations.GetMeasurementSnapshot().Select(m => m.Tags["operation"] as string).ToList();
        Assert.Single(called, operation => operation == "record_event_and_get");
        Assert.DoesNotContain("get", called);
    }

    [Fact]
    public async Task FormPostsToThePushPageAreStillLimitedThroughTheStore()
    {
        using var browser = await PushSentAsync();
        var antiforgeryToken = browser.AntiforgeryToken;
        // Choosing and sending took 3 posts of the 10.
        for (var i = 0; i < 7; i++)
        {
            // A press within the poll interval waits for it (Okta is asked for each press): let it be due.
            App.Clock.Advance(TimeSpan.FromSeconds(4));
            await browser.PostAsync("/reset/push?handler=Check");
            Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
        }

        await browser.PostAsync("/reset/push/check");

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("60", browser.Response.Headers.RetryAfter!.ToString());
        // The poll has its own count, still free.
        Assert.Equal(HttpStatusCode.OK, (await browser.PollAsync(antiforgeryToken)).Status);
    }

    [Theory]
    [InlineData("/reset/push/Status")]
    [InlineData("/RESET/PUSH/STATUS")]
    [InlineData("/reset/push/status/")]
    [InlineData("/reset/push/%53tatus")]
    [InlineData("/reset/push?handler=status")]
    [InlineData("/Reset/Push?HANDLER=STATUS")]
    [InlineData("/reset/push/status?handler=check")]
    public async Task AnotherSpellingOfThePollIsCountedAsThePoll(string spelling)
    {
        using var browser = await PushSentAsync();
        await UseUpThePollLimitAsync(browser);
        var pollsBefore = App.CallsFor(PushLogin, OktaOperations.GetFactorTransactionStatus);

        using var response = await browser.PollAtAsync(spelling);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(pollsBefore, App.CallsFor(PushLogin, OktaOperations.GetFactorTransactionStatus));
    }

    [Fact]
    public async Task EverySpellingThatRunsThePollIsAnsweredAsThePoll()
    {
        // The other side of the spellings above: they do reach the poll when under the limit, so the limit
        // recognises exactly what Razor Pages runs.
        using var browser = await PushSentAsync();
        foreach (var spelling in new[] { "/RESET/PUSH/STATUS", "/reset/push/%53tatus", "/Reset/Push?HANDLER=STATUS", "/reset/push/status?handler=check" })
        {
            using var response = await browser.PollAtAsync(spelling);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    public sealed class LowLimitPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:Limits:PostsPerMinutePerClient"] = "10",
            ["Reset:Limits:PollsPerMinutePerClient"] = "10",
        };
    }
}
