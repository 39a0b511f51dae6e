using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

public sealed class CodeVerificationTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public CodeVerificationTests()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms, FactorKind.OktaVerifyTotp]);
    }

    [Fact]
    public async Task SmsCodeCannotBeCheckedBeforeItWasSent()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        var callsBefore = _h.Okta.Calls.Count;

        var result = await _h.Flow.VerifyCodeAsync(secret, "123456", _ct);

        Assert.IsType<VerifyCodeResult.NotSent>(result);
        Assert.Equal(callsBefore, _h.Okta.Calls.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345")]
    [InlineData("123456789")]
    [InlineData("12a456")]
    public async Task MalformedCodesNeverReachOkta(string? code)
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        await _h.Flow.SendCodeAsync(secret, _ct);
        var callsBefore = _h.Okta.Calls.Count;

        var result = await _h.Flow.VerifyCodeAsync(secret, code, _ct);

        Assert.IsType<VerifyCodeResult.Malformed>(result);
        Assert.Equal(callsBefore, _h.Okta.Calls.Count);
    }

    [Fact]
    public async Task CodeWithSpacesIsAccepted()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);

        var result = await _h.Flow.VerifyCodeAsync(secret, " 123 456 ", _ct);

        Assert.IsType<VerifyCodeResult.Verified>(result);
    }

    [Fact]
    public async Task ResendWaitsForTheCooldownAndIsLimitedPerFlow()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);

        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(secret, _ct));
        var tooSoon = Assert.IsType<SendCodeResult.TooSoon>(await _h.Flow.SendCodeAsync(secret, _ct));
        Assert.Equal(_h.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), tooSoon.AvailableAt);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));

        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(secret, _ct));
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(secret, _ct));
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        var fourth = await _h.Flow.SendCodeAsync(secret, _ct);

        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<SendCodeResult.Failed>(fourth).Problem);
        Assert.Equal(3, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task CodeStepShowsWhenSendAgainBecomesAvailable()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        var before = Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step;
        await _h.Flow.SendCodeAsync(secret, _ct);

        var after = Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step;

        Assert.False(before.CodeSent);
        Assert.True(after.CodeSent);
        Assert.Equal(_h.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), after.SendAgainAt);
    }

    /// <summary>
    /// Every way Okta says "not now" to an SMS or a call (resend throttles, whichever code the sources
    /// give for a call resend, the telephony limits, a plain 429): wait or use another method, never
    /// "limit reached"; nothing was sent, so the page shows its send step again, and no send is tried
    /// before the countdown ends.
    /// </summary>
    [Theory]
    [InlineData(FactorKind.Sms, 429, "E0000109")]
    [InlineData(FactorKind.Call, 429, "E0000133")]
    [InlineData(FactorKind.Call, 429, "E0000047")]
    [InlineData(FactorKind.Sms, 429, "E0000146")]
    [InlineData(FactorKind.Call, 429, "E0000147")]
    [InlineData(FactorKind.Sms, 429, "E0000204")]
    [InlineData(FactorKind.Call, 429, "E0000205")]
    [InlineData(FactorKind.Sms, 403, "E0000150")]
    public async Task OktaRefusingToSendForNowIsAWaitNotALimit(FactorKind kind, int status, string code)
    {
        _h.Okta.AddUser("carl@example.com", kinds: [kind]);
        var secret = await _h.ChooseAsync("carl@example.com", kind);
        _h.Okta.NextChallenge.Enqueue(status == 429
            ? new FactorVerifyResult.Throttled(FakeOktaClient.Error(status, code))
            : new FactorVerifyResult.Failed(FakeOktaClient.Error(status, code)));

        var result = await _h.Flow.SendCodeAsync(secret, _ct);
        var step = Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step;
        var again = await _h.Flow.SendCodeAsync(secret, _ct);

        Assert.Equal(_h.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), Assert.IsType<SendCodeResult.PhoneBusy>(result).AvailableAt);
        Assert.False(step.CodeSent);
        Assert.Equal(_h.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), step.SendAgainAt);
        Assert.IsNotType<SendCodeResult.Failed>(again);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
        Assert.IsType<MenuResult.Menu>(await _h.Flow.GetMenuAsync(secret, _ct));
    }

    [Fact]
    public async Task TelephonyLimitCountsDownToOktasResetTimeWhenItGivesOne()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        var resetAt = _h.Clock.GetUtcNow() + TimeSpan.FromMinutes(4);
        _h.Okta.NextChallenge.Enqueue(new FactorVerifyResult.Throttled(FakeOktaClient.Error(429, "E0000204") with { RateLimit = new RateLimitInfo(20, 0, resetAt) }));

        var result = await _h.Flow.SendCodeAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        var tooEarly = await _h.Flow.SendCodeAsync(secret, _ct);
        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        var afterwards = await _h.Flow.SendCodeAsync(secret, _ct);

        Assert.Equal(resetAt, Assert.IsType<SendCodeResult.PhoneBusy>(result).AvailableAt);
        Assert.Equal(resetAt, Assert.IsType<SendCodeResult.PhoneBusy>(tooEarly).AvailableAt);
        Assert.IsType<SendCodeResult.Sent>(afterwards);
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task ThreeWrongCodesEndTheFlowAndTheFourthNeverReachesOkta()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);

        Assert.Equal(2, Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, "000001", _ct)).AttemptsLeft);
        Assert.Equal(1, Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, "000002", _ct)).AttemptsLeft);
        var third = await _h.Flow.VerifyCodeAsync(secret, "000003", _ct);
        var fourth = await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<VerifyCodeResult.Failed>(third).Problem);
        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<VerifyCodeResult.Failed>(fourth).Problem);
        Assert.Equal(3, _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
    }

    [Fact]
    public async Task WrongCodesAreLimitedPerPersonAcrossFlowsBelowOktasLockout()
    {
        var first = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        for (var i = 0; i < 3; i++)
        {
            await _h.Flow.VerifyCodeAsync(first, "000000", _ct);
        }

        var second = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        var fourthOverall = await _h.Flow.VerifyCodeAsync(second, "000000", _ct);
        var fifthOverall = await _h.Flow.VerifyCodeAsync(second, FakeOktaClient.ValidCode, _ct);

        Assert.IsType<VerifyCodeResult.WrongCode>(fourthOverall);
        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(fifthOverall).Problem);
        Assert.Equal(4, _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
    }

    [Fact]
    public async Task PerPersonLimitResetsAfterTheWindow()
    {
        var first = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        for (var i = 0; i < 3; i++)
        {
            await _h.Flow.VerifyCodeAsync(first, "000000", _ct);
        }

        _h.Clock.Advance(TimeSpan.FromMinutes(15));
        var later = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);

        Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(later, FakeOktaClient.ValidCode, _ct));
    }

    [Fact]
    public async Task CorrectCodeVerifiesAndRotatesTheFlowId()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        await _h.Flow.SendCodeAsync(secret, _ct);

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));

        Assert.NotEqual(secret, verified.Credentials.FlowSecret);
        Assert.True(FlowSecrets.IsWellFormed(verified.Credentials.ResetToken));
        Assert.IsType<CodeStepResult.Failed>(await _h.Flow.GetCodeStepAsync(secret, _ct));
        Assert.IsType<PasswordStepResult.Ready>(await _h.Flow.GetPasswordStepAsync(verified.Credentials.FlowSecret, verified.Credentials.ResetToken, _ct));
    }

    [Fact]
    public async Task ACodeThatVerifiedOnceNeverVerifiesAnotherFlow()
    {
        await _h.VerifiedAsync("ann@example.com");
        var second = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        var callsBefore = _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync));

        var replay = await _h.Flow.VerifyCodeAsync(second, FakeOktaClient.ValidCode, _ct);

        var used = Assert.IsType<VerifyCodeResult.CodeAlreadyUsed>(replay);
        Assert.Equal((CodeReuse.Replayed, 3), (used.Reason, used.AttemptsLeft));
        Assert.Equal(callsBefore, _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
    }

    /// <summary>
    /// Okta answers a reused or drifted code either as a 200 factorResult or as a 403 error (the sources
    /// disagree). Both say "wait for the next code"; only the 403, which Okta counts toward its lockout (as
    /// the sandbox emulates), spends one of the flow's attempts.
    /// </summary>
    [Theory]
    [InlineData(CodeReuse.Replayed, null, 3)]
    [InlineData(CodeReuse.TimeWindowExceeded, null, 3)]
    [InlineData(CodeReuse.Replayed, "E0000082", 2)]
    [InlineData(CodeReuse.TimeWindowExceeded, "E0000083", 2)]
    public async Task OktaSayingTheCodeWasUsedAsksForTheNextCode(CodeReuse reason, string? errorCode, int attemptsLeft)
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.CodeReused(reason, errorCode is null ? null : FakeOktaClient.Error(403, errorCode)));

        var used = Assert.IsType<VerifyCodeResult.CodeAlreadyUsed>(await _h.Flow.VerifyCodeAsync(secret, "654321", _ct));

        Assert.Equal((reason, attemptsLeft), (used.Reason, used.AttemptsLeft));
        Assert.Equal(attemptsLeft, Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step.AttemptsLeft);
    }

    [Fact]
    public async Task OktaLockingTheUserEndsTheFlow()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.Failed(FakeOktaClient.Error(403, "E0000069")));

        var result = await _h.Flow.VerifyCodeAsync(secret, "654321", _ct);

        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.IsType<CodeStepResult.Failed>(await _h.Flow.GetCodeStepAsync(secret, _ct));
    }

    [Fact]
    public async Task OktaOutageDuringVerifyKeepsTheFlow()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.Unavailable(new OktaUnavailable(OktaUnavailableKind.ServerError, true, 500)));

        var result = await _h.Flow.VerifyCodeAsync(secret, "654321", _ct);

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));
    }

    [Fact]
    public async Task UnknownUsersCodesNeverMatchAndNothingIsSent()
    {
        var secret = await _h.ChooseAsync("nobody@example.com", FactorKind.Sms);

        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(secret, _ct));
        Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));
        Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));
        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<VerifyCodeResult.Failed>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct)).Problem);
        Assert.Equal([nameof(IOktaClient.GetUserAsync)], _h.Okta.Calls);
    }

    [Fact]
    public async Task RealUserWithoutTheChosenFactorIsTreatedLikeAnUnknownOne()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Call);

        Assert.IsType<SendCodeResult.Sent>(await _h.Flow.SendCodeAsync(secret, _ct));
        Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)) + _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
    }

    [Fact]
    public async Task InactiveFactorIsNeverUsed()
    {
        var user = _h.Okta.AddUser("ina@example.com");
        _h.Okta.Factors[user.Id] = [FakeOktaClient.Factor(FactorKind.OktaVerifyTotp, "ost-inactive", OktaFactorStatus.PendingActivation)];
        var secret = await _h.ChooseAsync("ina@example.com", FactorKind.OktaVerifyTotp);

        Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
    }

    [Fact]
    public async Task ConcurrentWrongCodesNeverExceedTheFlowLimit()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => _h.Flow.VerifyCodeAsync(secret, $"00000{i}", _ct))));

        Assert.Equal(2, results.Count(r => r is VerifyCodeResult.WrongCode));
        Assert.True(_h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)) <= 3);
    }
}
