using MfaReset.Web.Reset.Audit;
using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MfaReset.Web.Tests.Reset;

public sealed class PushTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public PushTests()
    {
        _h.Okta.AddUser("pat@example.com", kinds: [FactorKind.OktaVerifyPush]);
    }

    private async Task<string> SentAsync(string username = "pat@example.com")
    {
        var secret = await _h.ChooseAsync(username, FactorKind.OktaVerifyPush);
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        return secret;
    }

    /// <summary>Polls once a minute (a page left open) until the push's lifetime has passed; returns the Okta polls made.</summary>
    private async Task<int> WaitOutThePushAsync(string secret)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < _h.Options.PushLifetime; elapsed += TimeSpan.FromMinutes(1))
        {
            _h.Clock.Advance(TimeSpan.FromMinutes(1));
            await _h.Flow.PollPushAsync(secret, _ct);
        }

        return _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync));
    }

    [Fact]
    public async Task PushAsksForNumberMatchingWithTheBrowsersContextAndShowsTheNumber()
    {
        var secret = await SentAsync();

        var step = Assert.IsType<PushStepResult.Ready>(await _h.Flow.GetPushStepAsync(secret, _ct)).Step;

        Assert.Equal(PushStatus.Pending, step.Status);
        Assert.Equal(42, step.Number);
        Assert.Equal(FlowHarness.Browser with { UseNumberMatching = true }, _h.Okta.LastPushContext);
    }

    [Fact]
    public async Task NumberMatchingCanBeSwitchedOff()
    {
        var h = new FlowHarness(o => o.NumberMatching = false);
        h.Okta.AddUser("pat@example.com", kinds: [FactorKind.OktaVerifyPush]);
        var secret = await h.ChooseAsync("pat@example.com", FactorKind.OktaVerifyPush);

        await h.Flow.SendPushAsync(secret, _ct);

        Assert.False(h.Okta.LastPushContext!.UseNumberMatching);
    }

    [Fact]
    public async Task PollsAreCoalescedToOneOktaCallPerInterval()
    {
        var secret = await SentAsync();

        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _h.Flow.PollPushAsync(secret, _ct))));
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        _h.Clock.Advance(TimeSpan.FromSeconds(3));
        await _h.Flow.PollPushAsync(secret, _ct);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        Assert.All(first, r => Assert.Equal(PushStatus.Pending, Assert.IsType<PollResult.Status>(r).State));
    }

    [Fact]
    public async Task PollBetweenIntervalsIsAnsweredFromTheFlowWithoutAnOktaCallOrAStoreWrite()
    {
        var secret = await SentAsync();
        await _h.Flow.PollPushAsync(secret, _ct); // due: asks Okta and stamps the poll clock
        using var operations = new MetricCollector<long>(_h.Meters, PortalMetrics.MeterName, "mfareset.flow_store.operations");

        _h.Clock.Advance(_h.Options.PushPollInterval - TimeSpan.FromSeconds(1));
        var between = await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal(PushStatus.Pending, Assert.IsType<PollResult.Status>(between).State);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        // The flow's part; the per-client limit writes nothing for a poll either (PushStepTests' page-level test).
        Assert.Equal(["get"], operations.GetMeasurementSnapshot().Select(m => m.Tags["operation"]));

        // The next interval's poll asks Okta again and writes its poll time.
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        operations.Clear();
        await _h.Flow.PollPushAsync(secret, _ct);
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        Assert.Contains("replace", operations.GetMeasurementSnapshot().Select(m => m.Tags["operation"]));
    }

    [Fact]
    public async Task ApprovedPushVerifiesOnceAndHandsOutTheCredentialsOnce()
    {
        var secret = await SentAsync();
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Success());

        var approved = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));
        var again = await _h.Flow.PollPushAsync(approved.Verified!.FlowSecret, _ct);

        Assert.Equal(PushStatus.Approved, approved.State);
        Assert.NotNull(approved.Verified);
        Assert.Equal(PushStatus.Approved, Assert.IsType<PollResult.Status>(again).State);
        Assert.Null(((PollResult.Status)again).Verified);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        Assert.IsType<PollResult.NoPush>(await _h.Flow.PollPushAsync(secret, _ct));
    }

    [Fact]
    public async Task RejectedPushEndsTheFlow()
    {
        var secret = await SentAsync();
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Rejected());

        var rejected = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));
        _h.Clock.Advance(TimeSpan.FromSeconds(5));
        var after = await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal(PushStatus.Rejected, rejected.State);
        Assert.Equal(FlowProblem.PushRejected, Assert.IsType<PollResult.Failed>(after).Problem);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
    }

    [Fact]
    public async Task TimedOutPushOffersAnotherAfterTheCooldown()
    {
        var secret = await SentAsync();
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.TimedOut());

        var timedOut = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));
        var tooSoon = await _h.Flow.SendPushAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromSeconds(60));
        var again = await _h.Flow.SendPushAsync(secret, _ct);

        Assert.Equal(PushStatus.Expired, timedOut.State);
        Assert.IsType<SendPushResult.TooSoon>(tooSoon);
        Assert.IsType<SendPushResult.Sent>(again);
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task PushesArePerFlowLimited()
    {
        var secret = await SentAsync();
        for (var i = 0; i < 2; i++)
        {
            _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.TimedOut());
            await _h.Flow.PollPushAsync(secret, _ct);
            _h.Clock.Advance(TimeSpan.FromSeconds(60));
            Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        }

        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.TimedOut());
        await _h.Flow.PollPushAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromSeconds(60));
        var fourth = await _h.Flow.SendPushAsync(secret, _ct);

        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<SendPushResult.Failed>(fourth).Problem);
        Assert.Equal(3, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task OnlyOnePushPerPersonIsOpenAtATime()
    {
        await SentAsync();
        var other = await _h.ChooseAsync("pat@example.com", FactorKind.OktaVerifyPush);

        var refused = await _h.Flow.SendPushAsync(other, _ct);

        Assert.IsType<SendPushResult.TooSoon>(refused);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task PushWhileOneIsPendingShowsThePendingOne()
    {
        var secret = await SentAsync();

        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task UnansweredPushExpiresAfterItsLifetimeWithoutAskingOkta()
    {
        var secret = await SentAsync();
        var asked = await WaitOutThePushAsync(secret);

        var expired = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));

        Assert.Equal(PushStatus.Expired, expired.State);
        Assert.Equal(asked, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
    }

    [Fact]
    public async Task UnknownUsersPushShowsANumberAndTimesOutWithoutOktaCalls()
    {
        var secret = await SentAsync("nobody@example.com");

        var pending = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));
        await WaitOutThePushAsync(secret);
        var expired = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));

        Assert.Equal(PushStatus.Pending, pending.State);
        Assert.InRange(pending.Number!.Value, 10, 99);
        Assert.Equal(PushStatus.Expired, expired.State);
        Assert.Equal([nameof(IOktaClient.GetUserAsync)], _h.Okta.Calls);
    }

    [Fact]
    public async Task PollWithoutAPendingPushAsksNothing()
    {
        var chosen = await _h.ChooseAsync("pat@example.com", FactorKind.OktaVerifyPush);
        var callsBefore = _h.Okta.Calls.Count;

        Assert.IsType<PollResult.NoPush>(await _h.Flow.PollPushAsync(chosen, _ct));
        Assert.IsType<PollResult.NoPush>(await _h.Flow.PollPushAsync(null, _ct));
        Assert.Equal(callsBefore, _h.Okta.Calls.Count);
    }

    [Fact]
    public async Task OktaRateLimitOnPollBacksOff()
    {
        var secret = await SentAsync();
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Throttled(FakeOktaClient.Error(429, "E0000047")));

        var throttled = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));
        _h.Clock.Advance(TimeSpan.FromSeconds(7));
        await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal(PushStatus.Pending, throttled.State);
        Assert.Equal(2 * _h.Options.PushPollInterval, throttled.NextPoll);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
    }

    [Fact]
    public async Task RefusedPollLinkEndsTheFlow()
    {
        var secret = await SentAsync();
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Refused("poll link outside the org"));

        var result = await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<PollResult.Failed>(result).Problem);
    }
}

/// <summary>Issue 22 item 10: the flow's polls follow the pace, and a new poll link only when it is the org's own.</summary>
public sealed class PushPaceTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public PushPaceTests()
    {
        _h.Okta.AddUser("pat@example.com", kinds: [FactorKind.OktaVerifyPush]);
    }

    private async Task<string> SentAsync()
    {
        _h.Okta.NextPush.Enqueue(new FactorVerifyResult.Waiting(PushPollHandle.Deserialize(OrgTransaction("v2mst1")), 42, null));
        var secret = await _h.ChooseAsync("pat@example.com", FactorKind.OktaVerifyPush);
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        return secret;
    }

    /// <summary>The org's own transaction link for Pat's push factor.</summary>
    private string OrgTransaction(string id, string? userId = null)
    {
        var user = _h.Okta.Users["pat@example.com"].Id;
        return $"{FakeOktaClient.OrgUrl.AbsoluteUri.TrimEnd('/')}/api/v1/users/{userId ?? user}/factors/{user}-f0/transactions/{id}";
    }

    /// <summary>With room in the bucket, Okta's widget pace; with a sixth left, four times slower. The page is told the same.</summary>
    [Theory]
    [InlineData(1200, 4)]
    [InlineData(200, 16)]
    public async Task OktaIsAskedAtThePaceTheBucketAllowsAndThePageIsToldIt(int remaining, int paceSeconds)
    {
        var secret = await SentAsync();
        _h.Quota.Readings = [new OktaQuotaReading(OktaQuotaBucket.PushPoll, 1200, remaining, _h.Clock.GetUtcNow().AddMinutes(1))];

        var first = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));
        _h.Clock.Advance(TimeSpan.FromSeconds(paceSeconds - 1));
        await _h.Flow.PollPushAsync(secret, _ct);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal(TimeSpan.FromSeconds(paceSeconds), first.NextPoll);
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
    }

    [Fact]
    public async Task ANewPollLinkOnTheOrgsTransactionPathIsFollowed()
    {
        var secret = await SentAsync();
        var moved = PushPollHandle.Deserialize(OrgTransaction("v2mst2"));
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Waiting(moved, 42, null));

        await _h.Flow.PollPushAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromSeconds(4));
        await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal([OrgTransaction("v2mst1"), OrgTransaction("v2mst2")], _h.Okta.PolledLinks.Select(l => l.Serialize()));
    }

    [Theory]
    [InlineData("another host")]
    [InlineData("another user")]
    [InlineData("a query")]
    public async Task ANewPollLinkAnywhereElseIsNotFollowedAndTheCheckedLinkStays(string where)
    {
        var secret = await SentAsync();
        var link = where switch
        {
            "another host" => OrgTransaction("v2mst2").Replace(FakeOktaClient.OrgUrl.Host, "attacker.example", StringComparison.Ordinal),
            "another user" => OrgTransaction("v2mst2", userId: "00uOther"),
            _ => OrgTransaction("v2mst2") + "?next=https://attacker.example",
        };
        var elsewhere = PushPollHandle.Deserialize(link);
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Waiting(elsewhere, 42, null));

        await _h.Flow.PollPushAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromSeconds(4));
        await _h.Flow.PollPushAsync(secret, _ct);

        Assert.Equal([OrgTransaction("v2mst1"), OrgTransaction("v2mst1")], _h.Okta.PolledLinks.Select(l => l.Serialize()));
        Assert.Contains(_h.Logs.GetSnapshot(), r => r.Id.Id == 1040);
    }
}
