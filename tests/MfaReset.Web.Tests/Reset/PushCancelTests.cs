using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>A push nobody waits for any more is cancelled at Okta, so the phone stops showing it.</summary>
public sealed class PushCancelTests
{
    // A one-minute push, so a push can expire well inside the flow's idle timeout.
    private readonly FlowHarness _h = new(o => o.PushLifetime = TimeSpan.FromMinutes(1));
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public PushCancelTests()
    {
        _h.Okta.AddUser("max@example.com", kinds: [FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp]);
    }

    private async Task<string> PushSentAsync(string login = "max@example.com")
    {
        var secret = await _h.ChooseAsync(login, FactorKind.OktaVerifyPush);
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        return secret;
    }

    private async Task ChooseAsync(string secret, FactorKind kind)
    {
        var menu = Assert.IsType<MenuResult.Menu>(await _h.Flow.GetMenuAsync(secret, _ct));
        await _h.Flow.ChooseAsync(secret, menu.Options.Single(o => o.Kind == kind).Key, _ct);
    }

    [Fact]
    public async Task PickingAnotherMethodCancelsTheWaitingPush()
    {
        var secret = await PushSentAsync();

        await ChooseAsync(secret, FactorKind.OktaVerifyTotp);

        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.CancelPushAsync)));
        Assert.IsType<PollResult.NoPush>(await _h.Flow.PollPushAsync(secret, _ct));
        Assert.Contains(_h.Logs.OfEvent(1005), r => r.Value("Outcome") == "cancelled");
    }

    [Fact]
    public async Task PickingPushAgainKeepsTheWaitingPush()
    {
        var secret = await PushSentAsync();

        await ChooseAsync(secret, FactorKind.OktaVerifyPush);

        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.CancelPushAsync)));
        Assert.Equal(PushStatus.Pending, Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct)).State);
    }

    [Fact]
    public async Task StartingOverCancelsTheWaitingPush()
    {
        var secret = await PushSentAsync();

        await _h.Flow.StartAsync("max@example.com", secret, _ct);

        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.CancelPushAsync)));
    }

    [Fact]
    public async Task AnAnsweredOrExpiredPushIsNotCancelled()
    {
        var secret = await PushSentAsync();
        _h.Clock.Advance(_h.Options.PushLifetime);

        await ChooseAsync(secret, FactorKind.OktaVerifyTotp);

        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.CancelPushAsync)));
    }

    [Fact]
    public async Task AnUnknownUsersPushIsNeverCancelledAtOkta()
    {
        var secret = await PushSentAsync("nobody@example.com");

        await ChooseAsync(secret, FactorKind.OktaVerifyTotp);

        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.CancelPushAsync)));
        Assert.Contains(_h.Logs.OfEvent(1005), r => r.Value("Outcome") == "cancelled-decoy");
    }
}
