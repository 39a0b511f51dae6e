using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>Refused requests spend nothing, the budgets count failures, and the flow remembers what it did for the done page.</summary>
public sealed class HonestOutcomeTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public HonestOutcomeTests()
    {
        _h.Okta.AddUser("pat@example.com", kinds: [FactorKind.OktaVerifyPush]);
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms, FactorKind.OktaVerifyTotp]);
        _h.Okta.AddUser("lou@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.OktaVerifyTotp]);
    }

    [Fact]
    public async Task PushHeldBackByAnotherFlowsPauseIsNotSpentHoweverOftenItIsPressed()
    {
        var first = await _h.ChooseAsync("pat@example.com", FactorKind.OktaVerifyPush);
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(first, _ct));
        var second = await _h.ChooseAsync("pat@example.com", FactorKind.OktaVerifyPush);

        for (var press = 0; press < 5; press++)
        {
            Assert.IsType<SendPushResult.TooSoon>(await _h.Flow.SendPushAsync(second, _ct));
        }

        var step = Assert.IsType<PushStepResult.Ready>(await _h.Flow.GetPushStepAsync(second, _ct)).Step;
        Assert.Null(step.Status); // still the send step: nothing was sent
        Assert.Equal(_h.Clock.GetUtcNow() + _h.Options.PushLifetime, step.SendAgainAt); // when the other flow's open push ends at the latest
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task CodeHeldBackByAnotherFlowsCooldownSendsNothingAndTheCodeThatFlowSentWorksHere()
    {
        var first = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(first, _ct));
        var second = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);

        // The normal "sent" page, as for any account (threat model: a held lease must not tell accounts apart);
        // pressing again is this flow's own cooldown. Okta sent one code, to the person's phone.
        Assert.Equal(new SendCodeResult.Sent(false), await _h.Flow.SendCodeAsync(second, _ct));
        Assert.IsType<SendCodeResult.TooSoon>(await _h.Flow.SendCodeAsync(second, _ct));

        Assert.True(Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(second, _ct)).Step.CodeSent);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
        Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(second, FakeOktaClient.ValidCode, _ct));
    }

    [Fact]
    public async Task OktasOwnSmsThrottleIsNotShownAsASentCode()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        _h.Okta.NextChallenge.Enqueue(new FactorVerifyResult.Throttled(FakeOktaClient.Error(429, "E0000109")));

        Assert.IsType<SendCodeResult.PhoneBusy>(await _h.Flow.SendCodeAsync(secret, _ct));

        var step = Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step;
        Assert.False(step.CodeSent);
        Assert.IsType<VerifyCodeResult.NotSent>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));
    }

    [Fact]
    public async Task SuccessfulCodeChecksDoNotSpendTheFailureBudget()
    {
        for (var reset = 0; reset < 3; reset++)
        {
            var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
            _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.Success());
            Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(secret, "11111" + reset, _ct));
        }

        var typo = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(typo, "999999", _ct));
        Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(typo, FakeOktaClient.ValidCode, _ct));
    }

    [Fact]
    public async Task FailedCodeChecksStillSpendThePersonsBudgetAcrossFlows()
    {
        for (var flow = 0; flow < 2; flow++)
        {
            var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
            Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, "999999", _ct));
            Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, "999998", _ct));
        }

        var last = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await _h.Flow.VerifyCodeAsync(last, FakeOktaClient.ValidCode, _ct)).Problem);
    }

    [Fact]
    public async Task DoneIsOnlyForAFlowThatChangedThePasswordAndSaysWhatElseWasDone()
    {
        Assert.IsType<DoneResult.Failed>(await _h.Flow.GetDoneAsync(null, _ct));
        var credentials = await _h.VerifiedAsync("lou@example.com");
        Assert.IsType<DoneResult.Failed>(await _h.Flow.GetDoneAsync(credentials.FlowSecret, _ct));

        Assert.IsType<ChangePasswordResult.Changed>(await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, "Fresh-Start-2026", _ct));

        var done = Assert.IsType<DoneResult.Done>(await _h.Flow.GetDoneAsync(credentials.FlowSecret, _ct));
        Assert.True(done.AccountUnlocked);
        Assert.True(done.SessionsRevoked);
        Assert.Equal(FlowProblem.Completed, Assert.IsType<PasswordStepResult.Failed>(await _h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct)).Problem);
    }

    [Fact]
    public async Task DoneDoesNotClaimAnUnlockForAnAccountThatWasNotLocked()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, "Fresh-Start-2026", _ct);

        var done = Assert.IsType<DoneResult.Done>(await _h.Flow.GetDoneAsync(credentials.FlowSecret, _ct));
        Assert.False(done.AccountUnlocked);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task AFlowKeepsItsPublicIdThroughVerification()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        var id = await _h.Flow.PublicIdOfAsync(secret, _ct);

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));

        Assert.NotNull(id);
        Assert.Equal(id, await _h.Flow.PublicIdOfAsync(verified.Credentials.FlowSecret, _ct));
        Assert.NotEqual(id, await _h.Flow.PublicIdOfAsync(await _h.StartAsync("ann@example.com"), _ct));
    }
}
