using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

public sealed class ExpiryTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public ExpiryTests()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
    }

    [Fact]
    public async Task IdleFlowExpiresAfterTheIdleTimeout()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        _h.Clock.Advance(TimeSpan.FromMinutes(4));
        var alive = await _h.Flow.GetCodeStepAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));

        var expired = await _h.Flow.SendCodeAsync(secret, _ct);

        Assert.IsType<CodeStepResult.Ready>(alive);
        Assert.Equal(FlowProblem.Expired, Assert.IsType<SendCodeResult.Failed>(expired).Problem);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task ActiveFlowStillEndsAtItsAbsoluteLifetime()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        for (var i = 0; i < 4; i++)
        {
            _h.Clock.Advance(TimeSpan.FromMinutes(3));
            await _h.Flow.ChooseAsync(secret, "sms", _ct); // activity
        }

        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        var result = await _h.Flow.ChooseAsync(secret, "sms", _ct);

        Assert.Equal(FlowProblem.Expired, Assert.IsType<ChooseResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task ExpiredFlowSaysExpiredUntilItsTombstoneIsGone()
    {
        var secret = await _h.StartAsync("ann@example.com");
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        var expired = await _h.Flow.GetMenuAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromMinutes(15));

        var forgotten = await _h.Flow.GetMenuAsync(secret, _ct);

        Assert.Equal(FlowProblem.Expired, Assert.IsType<MenuResult.Failed>(expired).Problem);
        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<MenuResult.Failed>(forgotten).Problem);
    }

    [Fact]
    public async Task StepsOutOfOrderMeanStartAgainWithoutOktaCalls()
    {
        var secret = await _h.StartAsync("ann@example.com");
        var callsBefore = _h.Okta.Calls.Count;

        Assert.IsType<SendCodeResult.Failed>(await _h.Flow.SendCodeAsync(secret, _ct));
        Assert.IsType<VerifyCodeResult.Failed>(await _h.Flow.VerifyCodeAsync(secret, "123456", _ct));
        Assert.IsType<SendPushResult.Failed>(await _h.Flow.SendPushAsync(secret, _ct));
        Assert.IsType<PollResult.NoPush>(await _h.Flow.PollPushAsync(secret, _ct));
        Assert.IsType<ChangePasswordResult.Failed>(await _h.Flow.ChangePasswordAsync(secret, null, "Whatever-123", _ct));
        Assert.Equal(callsBefore, _h.Okta.Calls.Count);
    }
}
