using MfaReset.Okta;
using MfaReset.Web.Flow;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Flow;

/// <summary>
/// The hold on pushes to one person across resets (issue 26.1): released by an approval; after a denial, a wrong
/// number or a timeout the gap stays, its true end is named, and a send held back holds nothing.
/// </summary>
public sealed class PushHoldTests
{
    private const string Pat = "pat@example.com";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = CancellationToken.None;

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
}
