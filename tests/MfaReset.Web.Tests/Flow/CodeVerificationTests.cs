using MfaReset.Okta;
using MfaReset.Web.Flow;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Flow;

public sealed class CodeVerificationTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = CancellationToken.None;

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

    [Fact]
    public async Task OktasSmsThrottleShowsACountdownInsteadOfRetrying()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.Sms);
        _h.Okta.NextChallenge.Enqueue(new FactorVerifyResult.Throttled(FakeOktaClient.Error(429, "E0000109")));

        var result = await _h.Flow.SendCodeAsync(secret, _ct);

        Assert.IsType<SendCodeResult.TooSoon>(result);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
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
        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<VerifyCodeResult.Failed>(fifthOverall).Problem);
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

        Assert.IsType<VerifyCodeResult.WrongCode>(replay);
        Assert.Equal(callsBefore, _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
    }

    [Fact]
    public async Task OktasPasscodeReplayedCountsAsAWrongCode()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);
        _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.Other("PASSCODE_REPLAYED"));

        Assert.IsType<VerifyCodeResult.WrongCode>(await _h.Flow.VerifyCodeAsync(secret, "654321", _ct));
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
