using System.Net;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static MfaReset.Okta.Tests.Support.OktaAnswers;

namespace MfaReset.Okta.Tests;

/// <summary>
/// The quota monitor (security.md item 75): Okta's <c>X-Rate-Limit-*</c> headers tell the portal when
/// to stop starting new flows, per bucket, until the bucket's reset passes on the test clock.
/// </summary>
public sealed class QuotaMonitorTests
{
    private const int Limit = 600;

    private readonly TestClock _clock = new();
    private readonly OktaQuotaMonitor _monitor;

    public QuotaMonitorTests() => _monitor = Monitor(new OktaOptions());

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Theory]
    [InlineData(OktaQuotaBucket.UserLookup, 59, true)]
    [InlineData(OktaQuotaBucket.UserLookup, 60, false)]
    [InlineData(OktaQuotaBucket.Factors, 0, true)]
    [InlineData(OktaQuotaBucket.Factors, 61, false)]
    public void AFlowStartBucketBelowTenPercentOfItsLimitIsLow(OktaQuotaBucket bucket, int remaining, bool low)
    {
        Observe(bucket, Limit, remaining, Now.AddSeconds(60));

        Assert.Equal(low, _monitor.IsLow);
    }

    [Theory]
    [InlineData(OktaQuotaBucket.FactorVerify)]
    [InlineData(OktaQuotaBucket.PushPoll)]
    [InlineData(OktaQuotaBucket.PasswordUpdate)]
    [InlineData(OktaQuotaBucket.Sessions)]
    public void BucketsANewFlowDoesNotStartWithAreReportedButDoNotStopNewFlows(OktaQuotaBucket bucket)
    {
        Observe(bucket, Limit, 0, Now.AddSeconds(60));

        Assert.False(_monitor.IsLow);
        Assert.Equal(new OktaQuotaReading(bucket, Limit, 0, Now.AddSeconds(61)), Assert.Single(_monitor.Readings));
    }

    [Fact]
    public void LowQuotaLastsUntilTheResetPassesAndNoLonger()
    {
        Observe(OktaQuotaBucket.UserLookup, Limit, 10, Now.AddSeconds(30));
        var resetsAt = Now.AddSeconds(31); // Okta's reset plus the second its SDK guidance adds

        Assert.Equal(resetsAt, _monitor.LowUntil);
        _clock.Advance(TimeSpan.FromSeconds(31) - TimeSpan.FromMilliseconds(1));
        Assert.True(_monitor.IsLow);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(_monitor.IsLow);
        Assert.Null(_monitor.LowUntil);
        Assert.Empty(_monitor.Readings);
    }

    [Fact]
    public void TheResetIsMeasuredOnOktasClock()
    {
        var oktaNow = Now.AddHours(-1);

        _monitor.Observe(OktaQuotaBucket.UserLookup, new RateLimitInfo(Limit, 5, oktaNow.AddSeconds(20)), oktaNow);

        Assert.Equal(Now.AddSeconds(21), _monitor.LowUntil);
    }

    [Fact]
    public void LowUntilIsTheLastResetAmongTheLowFlowStartBuckets()
    {
        Observe(OktaQuotaBucket.UserLookup, Limit, 1, Now.AddSeconds(10));
        Observe(OktaQuotaBucket.Factors, Limit, 1, Now.AddSeconds(40));

        Assert.Equal(Now.AddSeconds(41), _monitor.LowUntil);
    }

    [Fact]
    public void ConcurrencyHeadersWithLimitZeroLeaveTheBucketsReadingAsItWas()
    {
        Observe(OktaQuotaBucket.UserLookup, Limit, 500, Now.AddSeconds(60));

        Observe(OktaQuotaBucket.UserLookup, 0, 0, Now.AddSeconds(5));
        Observe(OktaQuotaBucket.Factors, 0, 0, Now.AddSeconds(5));

        Assert.False(_monitor.IsLow);
        Assert.Equal([new OktaQuotaReading(OktaQuotaBucket.UserLookup, Limit, 500, Now.AddSeconds(61))], _monitor.Readings);
    }

    [Fact]
    public void WithinOneWindowTheLowestRemainingWinsWhateverOrderAnswersArriveIn()
    {
        var window = Now.AddSeconds(60);
        Observe(OktaQuotaBucket.UserLookup, Limit, 40, window);

        Observe(OktaQuotaBucket.UserLookup, Limit, 80, window);

        Assert.True(_monitor.IsLow);
        Assert.Equal(40, Assert.Single(_monitor.Readings).Remaining);
    }

    [Fact]
    public void ANewWindowReplacesTheOldOneAndALateAnswerFromTheOldOneIsIgnored()
    {
        Observe(OktaQuotaBucket.Factors, Limit, 3, Now.AddSeconds(10));

        Observe(OktaQuotaBucket.Factors, Limit, 590, Now.AddSeconds(70));
        Observe(OktaQuotaBucket.Factors, Limit, 2, Now.AddSeconds(10));

        Assert.False(_monitor.IsLow);
        Assert.Equal(590, Assert.Single(_monitor.Readings).Remaining);
    }

    [Fact]
    public void AnswersWithoutCompleteHeadersChangeNothing()
    {
        _monitor.Observe(OktaQuotaBucket.UserLookup, null, Now);
        _monitor.Observe(OktaQuotaBucket.UserLookup, new RateLimitInfo(Limit, 0, null), Now);
        _monitor.Observe(OktaQuotaBucket.UserLookup, new RateLimitInfo(null, 0, Now.AddSeconds(60)), Now);

        Assert.False(_monitor.IsLow);
        Assert.Empty(_monitor.Readings);
    }

    [Fact]
    public void AZeroFractionTurnsTheCheckOff()
    {
        var monitor = Monitor(new OktaOptions { LowQuotaFraction = 0 });

        monitor.Observe(OktaQuotaBucket.UserLookup, new RateLimitInfo(Limit, 0, Now.AddSeconds(60)), Now);

        Assert.False(monitor.IsLow);
    }

    [Fact]
    public async Task EveryOktaAnswerTheClientGetsFeedsTheRegisteredMonitorIncludingRetriedOnes()
    {
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri("https://example.okta.com"), _clock, okta);
        var reset = Now.AddSeconds(45);

        var user = host.Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await okta.NextRequestAsync()).Respond(HttpStatusCode.ServiceUnavailable, ServerErrorJson, RateLimitHeaders(Limit, 30, reset, Now));
        var backoff = await _clock.NextTimerAsync(due => due <= TimeSpan.FromSeconds(4));
        Assert.Equal(30, Assert.Single(host.Quota.Readings).Remaining); // seen before the retry, from the failed attempt
        _clock.Advance(backoff);
        (await okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson, RateLimitHeaders(Limit, 29, reset, Now));
        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(user));
        var factors = host.Client.ListFactorsAsync("00u1", TestContext.Current.CancellationToken);
        (await okta.NextRequestAsync()).Respond(HttpStatusCode.OK, "[]", RateLimitHeaders(1200, 1100, reset, Now));
        await Settled(factors);

        Assert.True(host.Quota.IsLow);
        Assert.Equal(
            [new OktaQuotaReading(OktaQuotaBucket.UserLookup, Limit, 29, reset.AddSeconds(1)), new OktaQuotaReading(OktaQuotaBucket.Factors, 1200, 1100, reset.AddSeconds(1))],
            host.Quota.Readings);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 1111 && e.GetStructuredStateValue("Bucket") == "UserLookup");
    }

    [Fact]
    public async Task AConcurrencyRateLimitAnswerDoesNotStopNewFlows()
    {
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri("https://example.okta.com"), _clock, okta);

        var user = host.Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await okta.NextRequestAsync()).Respond(HttpStatusCode.TooManyRequests, RateLimitJson, RateLimitHeaders(0, 0, Now.AddSeconds(60), Now));

        Assert.IsType<OktaResult<OktaUser>.Throttled>(await Settled(user));
        Assert.False(host.Quota.IsLow);
    }

    private OktaQuotaMonitor Monitor(OktaOptions options) => new(options, _clock, NullLogger.Instance);

    /// <summary>Headers as Okta sends them, with Okta's clock agreeing with ours.</summary>
    private void Observe(OktaQuotaBucket bucket, int limit, int remaining, DateTimeOffset reset) =>
        _monitor.Observe(bucket, new RateLimitInfo(limit, remaining, reset), Now);
}
