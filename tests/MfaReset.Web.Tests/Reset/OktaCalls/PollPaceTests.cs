using MfaReset.Okta;
using MfaReset.Web.Reset.OktaCalls;

namespace MfaReset.Web.Tests.Reset.OktaCalls;

/// <summary>Issue 22 item 10: pushes are polled at Okta's widget pace, slower as the <c>/api/v1</c> bucket runs low.</summary>
public sealed class PollPaceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Widget = TimeSpan.FromSeconds(4);

    private static OktaQuotaReading Reading(OktaQuotaBucket bucket, int remaining, int limit = 1200, double resetsInSeconds = 30) =>
        new(bucket, limit, remaining, Now.AddSeconds(resetsInSeconds));

    [Theory]
    [InlineData(1200, 4)]
    [InlineData(600, 4)]
    [InlineData(599, 8)]
    [InlineData(300, 8)]
    [InlineData(299, 16)]
    [InlineData(120, 16)]
    [InlineData(119, 30)]
    [InlineData(0, 30)]
    public void ThePaceSlowsInGradesAsTheBucketRunsLow(int remaining, int seconds)
    {
        var pace = PollPace.Of(Widget, [Reading(OktaQuotaBucket.PushPoll, remaining)], Now);

        Assert.Equal(TimeSpan.FromSeconds(seconds), pace);
    }

    [Fact]
    public void WithoutAReadingThePaceIsTheWidgets()
    {
        Assert.Equal(Widget, PollPace.Of(Widget, [], Now));
    }

    [Fact]
    public void VerifyCallsRunningLowSlowThePollsThatShareTheirBucket()
    {
        var readings = new[] { Reading(OktaQuotaBucket.PushPoll, 1100), Reading(OktaQuotaBucket.FactorVerify, 200) };

        Assert.Equal(TimeSpan.FromSeconds(16), PollPace.Of(Widget, readings, Now));
    }

    [Fact]
    public void ABucketOutsideApiV1OrAWindowThatEndedSaysNothing()
    {
        var readings = new[] { Reading(OktaQuotaBucket.UserLookup, 0), Reading(OktaQuotaBucket.PushPoll, 0, resetsInSeconds: -1) };

        Assert.Equal(Widget, PollPace.Of(Widget, readings, Now));
    }
}
