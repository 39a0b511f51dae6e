using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// The hold on pushes to one person across resets (issue 26.1): released by an approval; after a denial, a wrong
/// number or a timeout the gap stays, its true end is named, and a send held back holds nothing.
/// </summary>
public sealed class PushHoldTests
{
    private const string Pat = "pat@example.com";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public PushHoldTests()
    {
        _h.Okta.AddUser(Pat, kinds: [FactorKind.OktaVerifyPush]);
    }

    private async Task<string> ResetAsync() => await _h.ChooseAsync(Pat, FactorKind.OktaVerifyPush);

    /// <summary>A reset whose push was sent and then answered with <paramref name="answer"/>.</summary>
    private async Task AnsweredAsync(FactorVerifyResult answer)
    {
        var secret = await ResetAsync();
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        _h.Okta.NextPoll.Enqueue(answer);
        await _h.Flow.PollPushAsync(secret, _ct);
    }

    [Fact]
    public async Task AfterAnApprovalThePersonsNextResetSendsAPushAtOnce()
    {
        await AnsweredAsync(new FactorVerifyResult.Success());
        _h.Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(await ResetAsync(), _ct));
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task AfterADenialTheNextResetIsToldTheTrueEndOfTheGapAndSendsThen()
    {
        var sentAt = _h.Clock.GetUtcNow();
        await AnsweredAsync(new FactorVerifyResult.Rejected());
        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        var next = await ResetAsync();

        var held = Assert.IsType<SendPushResult.TooSoon>(await _h.Flow.SendPushAsync(next, _ct));
        var shown = Assert.IsType<PushStepResult.Ready>(await _h.Flow.GetPushStepAsync(next, _ct)).Step;

        Assert.Equal(sentAt + _h.Options.Limits.PushCooldown, held.AvailableAt);
        Assert.False(held.OtherPushOpen);
        Assert.Equal(held.AvailableAt, shown.SendAgainAt);
        _h.Clock.Advance(held.AvailableAt - _h.Clock.GetUtcNow());
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(next, _ct));
    }

    [Fact]
    public async Task ASendHeldBackForTheGapHoldsNothingSoAFreshResetSendsWhenTheGapEnds()
    {
        var sentAt = _h.Clock.GetUtcNow();
        await AnsweredAsync(new FactorVerifyResult.Rejected());
        Assert.IsType<SendPushResult.TooSoon>(await _h.Flow.SendPushAsync(await ResetAsync(), _ct)); // then abandoned

        _h.Clock.Advance(sentAt + _h.Options.Limits.PushCooldown - _h.Clock.GetUtcNow());

        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(await ResetAsync(), _ct));
    }

    [Fact]
    public async Task ASendHeldBackByAnotherResetsOpenPushNamesThatPushsExpiry()
    {
        var first = await ResetAsync();
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(first, _ct));
        var open = Assert.IsType<PushStepResult.Ready>(await _h.Flow.GetPushStepAsync(first, _ct)).Step;

        var held = Assert.IsType<SendPushResult.TooSoon>(await _h.Flow.SendPushAsync(await ResetAsync(), _ct));

        Assert.True(held.OtherPushOpen);
        Assert.Equal(open.PushExpiresAt, held.AvailableAt);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task AResetHeldBackByAnotherResetsOpenPushSendsAsSoonAsThatPushIsApproved()
    {
        var first = await ResetAsync();
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(first, _ct));
        var second = await ResetAsync();
        Assert.IsType<SendPushResult.TooSoon>(await _h.Flow.SendPushAsync(second, _ct));

        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Success());
        await _h.Flow.PollPushAsync(first, _ct);

        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(second, _ct));
    }

    // ---- Without JavaScript: "I've approved it" (issue 26.8) ----------------------------------------

    [Fact]
    public async Task IveApprovedItPressedMomentsAfterAnEarlierPressAsksOktaOnceTheIntervalAllowsAndSeesTheApproval()
    {
        var secret = await ResetAsync();
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        Assert.Equal(PushStatus.Pending, Assert.IsType<PollResult.Status>(await _h.Flow.CheckPushAsync(secret, _ct)).State);
        _h.Clock.Advance(TimeSpan.FromSeconds(1)); // the person approves on the phone and presses again
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Success());

        var press = _h.Flow.CheckPushAsync(secret, _ct);
        Assert.False(press.IsCompleted); // waits for the interval: Okta is asked once per interval, never more
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        _h.Clock.Advance(_h.Options.PushPollInterval - TimeSpan.FromSeconds(1));
        var answer = Assert.IsType<PollResult.Status>(await press);

        Assert.Equal(PushStatus.Approved, answer.State);
        Assert.NotNull(answer.Verified);
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
    }

    [Fact]
    public async Task IveApprovedItPressedWhenTheIntervalAllowsAsksOktaAtOnce()
    {
        var secret = await ResetAsync();
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Success());

        var press = _h.Flow.CheckPushAsync(secret, _ct);

        Assert.True(press.IsCompleted);
        Assert.Equal(PushStatus.Approved, Assert.IsType<PollResult.Status>(await press).State);
    }

    // ---- The code-send pause across resets (issue 26.8: the page names the real wait) ----------------

    [Fact]
    public async Task ACodeHeldBackByAnotherResetsPauseShowsTheSentPageAndAnEarlyPressNamesTheRealWaitNeverOktasRefusal()
    {
        _h.Okta.AddUser("sam@example.com", kinds: [FactorKind.Sms]);
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(await _h.ChooseAsync("sam@example.com", FactorKind.Sms), _ct));
        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        var next = await _h.ChooseAsync("sam@example.com", FactorKind.Sms);
        var heldAt = _h.Clock.GetUtcNow();

        // Held by the first reset's pause: the normal "sent" page (that reset's code works here), nothing sent.
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(next, _ct));
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        var early = Assert.IsType<SendCodeResult.TooSoon>(await _h.Flow.SendCodeAsync(next, _ct));
        var shown = Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(next, _ct)).Step;

        Assert.Equal(heldAt + _h.Options.Limits.ResendCooldown, early.AvailableAt);
        Assert.Equal(heldAt + _h.Options.Limits.ResendCooldown, shown.SendAgainAt);
        _h.Clock.Advance(early.AvailableAt - _h.Clock.GetUtcNow());
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(next, _ct));
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }
}
