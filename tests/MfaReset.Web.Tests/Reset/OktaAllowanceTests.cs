using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// The portal's own allowance of Okta's verify and poll buckets (Okta:PortalBucketShare): when it is spent
/// no verify or poll is sent, the person's budgets are untouched, and an unknown username is treated alike.
/// </summary>
public sealed class OktaAllowanceTests
{
    private const string Totp = "tess@example.com";
    private const string Push = "pat@example.com";
    private const string Sms = "sam@example.com";
    private const string Unknown = "nobody@example.com";

    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public OktaAllowanceTests()
    {
        _h.Okta.AddUser(Totp, kinds: [FactorKind.OktaVerifyTotp]);
        _h.Okta.AddUser(Push, kinds: [FactorKind.OktaVerifyPush]);
        _h.Okta.AddUser(Sms, kinds: [FactorKind.Sms]);
    }

    private void SpendVerifies() => _h.Quota.AllowanceLeft[OktaQuotaBucket.FactorVerify] = 0;

    private void RenewVerifies() => _h.Quota.AllowanceLeft.Remove(OktaQuotaBucket.FactorVerify);

    [Theory]
    [InlineData(Totp)]
    [InlineData(Unknown)]
    public async Task ASpentVerifyAllowanceShowsBusyForEveryUsernameAndSpendsNoCodeAttempt(string username)
    {
        var secret = await _h.ChooseAsync(username, FactorKind.OktaVerifyTotp);
        SpendVerifies();

        for (var i = 0; i < _h.Options.Limits.CodeAttemptsPerFlow + 2; i++)
        {
            Assert.Equal(new VerifyCodeResult.Failed(FlowProblem.Busy), await _h.Flow.VerifyCodeAsync(secret, "000000", _ct));
        }

        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
        RenewVerifies();
        // Every attempt of the flow is still there: the wrong code is counted as the first.
        Assert.Equal(new VerifyCodeResult.WrongCode(_h.Options.Limits.CodeAttemptsPerFlow - 1), await _h.Flow.VerifyCodeAsync(secret, "000000", _ct));
    }

    [Fact]
    public async Task AfterTheAllowanceRenewsTheCodeVerifies()
    {
        var secret = await _h.ChooseAsync(Totp, FactorKind.OktaVerifyTotp);
        SpendVerifies();
        await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        RenewVerifies();

        Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));
    }

    [Theory]
    [InlineData(Sms)]
    [InlineData(Unknown)]
    public async Task ASpentVerifyAllowanceSendsNoCodeAndSpendsNoneOfTheFlowsSends(string username)
    {
        var secret = await _h.ChooseAsync(username, FactorKind.Sms);
        SpendVerifies();

        for (var i = 0; i < _h.Options.Limits.SendsPerFlow + 2; i++)
        {
            Assert.Equal(new SendCodeResult.Failed(FlowProblem.Busy), await _h.Flow.SendCodeAsync(secret, _ct));
        }

        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
        RenewVerifies();
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(secret, _ct));
    }

    [Theory]
    [InlineData(Push)]
    [InlineData(Unknown)]
    public async Task ASpentVerifyAllowanceSendsNoPushAndSpendsNoneOfTheFlowsPushes(string username)
    {
        var secret = await _h.ChooseAsync(username, FactorKind.OktaVerifyPush);
        SpendVerifies();

        for (var i = 0; i < _h.Options.Limits.PushesPerFlow + 2; i++)
        {
            Assert.Equal(new SendPushResult.Failed(FlowProblem.Busy), await _h.Flow.SendPushAsync(secret, _ct));
        }

        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
        RenewVerifies();
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
    }

    [Fact]
    public async Task ASpentPollAllowanceSendsNoPollAndARealAndADecoyPushWaitAlikeUntilItRenews()
    {
        var real = await _h.ChooseAsync(Push, FactorKind.OktaVerifyPush);
        await _h.Flow.SendPushAsync(real, _ct);
        var decoy = await _h.ChooseAsync(Unknown, FactorKind.OktaVerifyPush);
        await _h.Flow.SendPushAsync(decoy, _ct);
        _h.Quota.AllowanceLeft[OktaQuotaBucket.PushPoll] = 0;
        _h.Quota.AllowanceSpentUntil = _h.Clock.GetUtcNow() + TimeSpan.FromSeconds(45);
        _h.Clock.Advance(_h.Options.PushPollInterval);

        var realStatus = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(real, _ct));
        var decoyStatus = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(decoy, _ct));

        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        Assert.Equal(PushStatus.Pending, realStatus.State);
        Assert.Equal(TimeSpan.FromSeconds(45) - _h.Options.PushPollInterval, realStatus.NextPoll);
        Assert.Equal(realStatus.NextPoll, decoyStatus.NextPoll);

        // Polls before the allowance renews are answered from the flow; the first after it asks Okta.
        _h.Quota.AllowanceLeft.Remove(OktaQuotaBucket.PushPoll);
        _h.Clock.Advance(realStatus.NextPoll - TimeSpan.FromSeconds(1));
        await _h.Flow.PollPushAsync(real, _ct);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.Flow.PollPushAsync(real, _ct);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.PollPushAsync)));
    }
}
