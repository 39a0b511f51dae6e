using MfaReset.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MfaReset.Okta.Tests;

/// <summary>
/// The portal's own allowance per Okta bucket (<see cref="OktaOptions.PortalBucketShare"/>): a share of the
/// limit Okta reported, per one-minute window, so waiting people's verifies and polls never drain the org's bucket.
/// </summary>
public sealed class PortalAllowanceTests
{
    private const int Limit = 40; // a quarter of it: 10 calls a minute

    private readonly TestClock _clock = new();
    private readonly OktaQuotaMonitor _monitor;

    public PortalAllowanceTests() => _monitor = new OktaQuotaMonitor(new OktaOptions(), _clock, NullLogger.Instance);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private DateTimeOffset NextMinute => new(((Now.UtcTicks / TimeSpan.TicksPerMinute) + 1) * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    [Fact]
    public void ABucketOktaHasNotReportedYetIsNotHeldBack()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.Null(_monitor.TryTakeAllowance(OktaQuotaBucket.PushPoll));
        }

        Assert.Null(_monitor.AllowanceSpentUntil);
    }

    [Theory]
    [InlineData(OktaQuotaBucket.FactorVerify)]
    [InlineData(OktaQuotaBucket.PushPoll)]
    public void TheDefaultShareIsAQuarterOfTheReportedLimitPerMinuteThenNothingUntilTheMinuteEnds(OktaQuotaBucket bucket)
    {
        Observe(bucket, remaining: Limit - 1);
        _clock.Advance(TimeSpan.FromSeconds(5));

        for (var i = 0; i < Limit / 4; i++)
        {
            Assert.Null(_monitor.TryTakeAllowance(bucket));
        }

        Assert.Equal(NextMinute, _monitor.TryTakeAllowance(bucket));
        Assert.Equal(NextMinute, _monitor.AllowanceSpentUntil);
        _clock.Advance(NextMinute - Now);
        Assert.Null(_monitor.AllowanceSpentUntil);
        Assert.Null(_monitor.TryTakeAllowance(bucket));
    }

    [Fact]
    public void EachBucketHasItsOwnAllowance()
    {
        Observe(OktaQuotaBucket.PushPoll, remaining: Limit);
        Observe(OktaQuotaBucket.FactorVerify, remaining: Limit);
        while (_monitor.TryTakeAllowance(OktaQuotaBucket.PushPoll) is null)
        {
        }

        Assert.Null(_monitor.TryTakeAllowance(OktaQuotaBucket.FactorVerify));
    }

    [Fact]
    public void TheLimitIsRememberedAfterOktasWindowEnds()
    {
        Observe(OktaQuotaBucket.PushPoll, remaining: Limit);
        _clock.Advance(TimeSpan.FromMinutes(5)); // Okta's window long over, no answer since

        var taken = 0;
        while (_monitor.TryTakeAllowance(OktaQuotaBucket.PushPoll) is null)
        {
            taken++;
        }

        Assert.Equal(Limit / 4, taken);
    }

    [Fact]
    public void ATinyBucketStillAllowsOneCallAMinute()
    {
        _monitor.Observe(OktaQuotaBucket.FactorVerify, new RateLimitInfo(2, 2, Now.AddSeconds(60)), Now);

        Assert.Null(_monitor.TryTakeAllowance(OktaQuotaBucket.FactorVerify));
        Assert.NotNull(_monitor.TryTakeAllowance(OktaQuotaBucket.FactorVerify));
    }

    private void Observe(OktaQuotaBucket bucket, int remaining) =>
        _monitor.Observe(bucket, new RateLimitInfo(Limit, remaining, Now.AddSeconds(60)), Now);
}
