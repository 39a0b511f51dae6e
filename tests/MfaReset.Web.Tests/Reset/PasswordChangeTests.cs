using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

public sealed class PasswordChangeTests
{
    private const string NewPassword = "Correct-Horse-42";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public PasswordChangeTests()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
    }

    private Task<ChangePasswordResult> ChangeAsync(VerifiedCredentials c, string password = NewPassword) =>
        _h.Flow.ChangePasswordAsync(c.FlowSecret, c.ResetToken, password, _ct);

    [Fact]
    public async Task VerifiedFlowChangesThePasswordAndRevokesSessions()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        Assert.True(_h.Okta.LastRevokeOAuthTokens);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task OAuthTokensAreKeptWhenTheOrgTurnsThatOff()
    {
        var h = new FlowHarness(o => o.RevokeOAuthTokens = false);
        h.Okta.AddUser("bob@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await h.VerifiedAsync("bob@example.com");

        Assert.IsType<ChangePasswordResult.Changed>(await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, NewPassword, _ct));

        Assert.False(h.Okta.LastRevokeOAuthTokens);
    }

    /// <summary>Issue 22 item 11: <c>forgetDevices</c> is always sent, as <c>Reset:ForgetDevices</c> says (true by default), never left to Okta's engine-dependent default.</summary>
    [Theory]
    [InlineData(null, true)]
    [InlineData(false, false)]
    public async Task RememberedDevicesAreForgottenAsTheSettingSaysAndTheChoiceIsAlwaysSent(bool? setting, bool sent)
    {
        var h = new FlowHarness(o => o.ForgetDevices = setting ?? o.ForgetDevices);
        h.Okta.AddUser("bob@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await h.VerifiedAsync("bob@example.com");

        Assert.IsType<ChangePasswordResult.Changed>(await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, NewPassword, _ct));

        Assert.Equal(sent, h.Okta.LastForgetDevices);
    }

    [Fact]
    public async Task LockedOutUserIsUnlockedAfterTheChange()
    {
        _h.Okta.AddUser("lou@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await _h.VerifiedAsync("lou@example.com");

        await ChangeAsync(credentials);

        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task ASecondSubmitAfterTheChangeSetsNothingAndSaysThePasswordWasChangedInAnotherTab()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        await ChangeAsync(credentials);

        var again = await ChangeAsync(credentials, "Another-Horse-77");

        Assert.Equal(FlowProblem.ChangedInAnotherTab, Assert.IsType<ChangePasswordResult.Failed>(again).Problem);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
        // Reading the password page again (Back, reload) still leads to the done page: that is what this browser did.
        Assert.Equal(FlowProblem.Completed, Assert.IsType<PasswordStepResult.Failed>(await _h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct)).Problem);
    }

    [Fact]
    public async Task ASubmitAfterAnUnlockIsNotToldAPasswordWasChanged()
    {
        _h.Okta.AddUser("lou@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.OktaVerifyTotp]);
        var started = Assert.IsType<StartResult.Started>(await _h.Flow.StartAsync("lou@example.com", null, FlowPurpose.Unlock, _ct));
        var menu = (MenuResult.Menu)await _h.Flow.GetMenuAsync(started.FlowSecret, _ct);
        await _h.Flow.ChooseAsync(started.FlowSecret, menu.Options.Single(o => o.Kind == FactorKind.OktaVerifyTotp).Key, _ct);
        var unlocked = Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(started.FlowSecret, FakeOktaClient.ValidCode, _ct)).Credentials;

        var submit = await _h.Flow.ChangePasswordAsync(unlocked.FlowSecret, null, NewPassword, _ct);

        Assert.Equal(FlowProblem.Completed, Assert.IsType<ChangePasswordResult.Failed>(submit).Problem);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task TokenWithoutItsFlowOrFromAnotherFlowIsRefused()
    {
        _h.Okta.AddUser("bob@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await _h.VerifiedAsync("ann@example.com");
        var other = await _h.VerifiedAsync("bob@example.com");

        Assert.IsType<ChangePasswordResult.Failed>(await _h.Flow.ChangePasswordAsync(null, credentials.ResetToken, NewPassword, _ct));
        Assert.IsType<ChangePasswordResult.Failed>(await _h.Flow.ChangePasswordAsync(other.FlowSecret, credentials.ResetToken, NewPassword, _ct));
        Assert.IsType<ChangePasswordResult.Failed>(await _h.Flow.ChangePasswordAsync(other.FlowSecret, null, NewPassword, _ct));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task ExpiredTokenIsRefusedWithoutAnOktaCall()
    {
        var h = new FlowHarness(o => o.TokenLifetime = TimeSpan.FromMinutes(2));
        h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await h.VerifiedAsync("ann@example.com");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var stillValid = await h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct);
        h.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, NewPassword, _ct);

        Assert.IsType<PasswordStepResult.Ready>(stillValid);
        Assert.Equal(FlowProblem.Expired, Assert.IsType<ChangePasswordResult.Failed>(result).Problem);
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task PolicyRejectionKeepsTheTokenForAnotherTry()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.NextSetPassword.Enqueue(new SetPasswordResult.Rejected(["Password requirements were not met."], FakeOktaClient.Error(400, "E0000001")));

        var rejected = Assert.IsType<ChangePasswordResult.Rejected>(await ChangeAsync(credentials, "Quartz-Zebra-Violin-8"));
        var retried = await ChangeAsync(credentials);

        Assert.Equal(["Password requirements were not met."], rejected.Reasons);
        Assert.Equal(4, rejected.AttemptsLeft);
        Assert.IsType<ChangePasswordResult.Changed>(retried);
    }

    [Fact]
    public async Task TooManyRejectedPasswordsUseUpTheToken()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        for (var i = 0; i < 5; i++)
        {
            _h.Okta.NextSetPassword.Enqueue(new SetPasswordResult.Rejected(["Too short."], FakeOktaClient.Error(400, "E0000001")));
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.IsType<ChangePasswordResult.Rejected>(await ChangeAsync(credentials, "Quartz-Zebra-Violin-8"));
        }

        var fifth = await ChangeAsync(credentials, "Quartz-Zebra-Violin-8");

        Assert.Equal(FlowProblem.LimitReached, Assert.IsType<ChangePasswordResult.Failed>(fifth).Problem);
        Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(credentials));
        Assert.Equal(5, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task OfTwoConcurrentSubmitsExactlyOneReachesOkta()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.SetPasswordGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = Task.Run(() => ChangeAsync(credentials));
        var second = Task.Run(() => ChangeAsync(credentials));
        var loser = await Task.WhenAny(first, second);
        _h.Okta.SetPasswordGate.SetResult();
        var results = await Task.WhenAll(first, second);

        Assert.Equal(FlowProblem.AlreadyUsed, Assert.IsType<ChangePasswordResult.Failed>(await loser).Problem);
        Assert.Single(results, r => r is ChangePasswordResult.Changed);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    public static TheoryData<OktaUnavailable> LostAnswers => new()
    {
        new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true),
        new OktaUnavailable(OktaUnavailableKind.ServerError, RequestMayHaveReachedOkta: true, 500),
        new OktaUnavailable(OktaUnavailableKind.ConnectionFailed, RequestMayHaveReachedOkta: true),
    };

    private void LoseTheNextAnswer(OktaUnavailable reason) =>
        _h.Okta.NextSetPassword.Enqueue(new SetPasswordResult.Unavailable(reason));

    [Theory]
    [MemberData(nameof(LostAnswers))]
    public async Task LostAnswerToAChangeOktaAppliedIsConfirmedByReadingTheUserBack(OktaUnavailable reason)
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        LoseTheNextAnswer(reason);
        _h.Okta.OnSetPassword = userId => _h.Okta.SetPasswordChanged(userId, _h.Clock.GetUtcNow());

        var result = await ChangeAsync(credentials);

        Assert.IsType<ChangePasswordResult.Changed>(result);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync))); // the start, then the read-back (the set was conditional, no read before it)
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        Assert.Equal(FlowProblem.ChangedInAnotherTab, Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(credentials)).Problem);
    }

    /// <summary>Okta sends <c>passwordChanged: null</c> for users who never set a password in Okta (federated, social, provisioned).</summary>
    private void NeverSetAPassword(string login) => _h.Okta.Users[login] = _h.Okta.Users[login] with { PasswordChanged = null };

    [Fact]
    public async Task UserWhoNeverSetAPasswordInOktaChangesItLikeAnyone()
    {
        NeverSetAPassword("ann@example.com");
        var credentials = await _h.VerifiedAsync("ann@example.com");

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task LostAnswerForAUserWhoNeverSetAPasswordIsConfirmedByTheFirstStamp()
    {
        NeverSetAPassword("ann@example.com");
        var credentials = await _h.VerifiedAsync("ann@example.com");
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));
        _h.Okta.OnSetPassword = userId => _h.Okta.SetPasswordChanged(userId, _h.Clock.GetUtcNow());

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
    }

    [Fact]
    public async Task LostAnswerForAUserWhoStillHasNoPasswordMeansNotChanged()
    {
        NeverSetAPassword("ann@example.com");
        var credentials = await _h.VerifiedAsync("ann@example.com");
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));

        Assert.IsType<ChangePasswordResult.NotChanged>(await ChangeAsync(credentials));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
    }

    [Fact]
    public async Task LostAnswerOfALockedOutUsersChangeStillUnlocksThem()
    {
        _h.Okta.AddUser("lou@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await _h.VerifiedAsync("lou@example.com");
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));
        _h.Okta.OnSetPassword = userId => _h.Okta.SetPasswordChanged(userId, _h.Clock.GetUtcNow());

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task ChangeStampedByAnOktaClockBehindOursWithinTheAllowanceCounts()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));
        _h.Okta.OnSetPassword = userId => _h.Okta.SetPasswordChanged(userId, _h.Clock.GetUtcNow() - _h.Options.OktaClockSkew);

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(credentials));
    }

    [Fact]
    public async Task LostAnswerToAChangeOktaNeverAppliedLeavesTheTokenForAnotherSubmit()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));

        var lost = await ChangeAsync(credentials);
        var (sets, revokes) = (_h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)), _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        var step = await _h.Flow.GetPasswordStepAsync(credentials.FlowSecret, credentials.ResetToken, _ct);
        var again = await ChangeAsync(credentials);

        Assert.IsType<ChangePasswordResult.NotChanged>(lost);
        Assert.Equal((1, 0), (sets, revokes)); // never re-sent by the portal itself, nothing done as if changed
        Assert.IsType<PasswordStepResult.Ready>(step);
        Assert.IsType<ChangePasswordResult.Changed>(again);
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task PasswordChangedStillAtTheValueReadAtTheStartMeansNotChangedWhateverTheClocks()
    {
        var recent = _h.Clock.GetUtcNow() - TimeSpan.FromSeconds(10); // well inside the clock allowance
        _h.Okta.SetPasswordChanged(_h.Okta.Users["ann@example.com"].Id, recent);
        var credentials = await _h.VerifiedAsync("ann@example.com");
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));

        Assert.IsType<ChangePasswordResult.NotChanged>(await ChangeAsync(credentials));
    }

    [Fact]
    public async Task ChangeStampedBeforeTheSendByMoreThanTheAllowanceWasSomeoneElses()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));
        var beforeTheSend = _h.Clock.GetUtcNow() - _h.Options.OktaClockSkew - TimeSpan.FromSeconds(1);
        _h.Okta.OnSetPassword = userId => _h.Okta.SetPasswordChanged(userId, beforeTheSend);

        Assert.IsType<ChangePasswordResult.NotChanged>(await ChangeAsync(credentials));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
    }

    public static TheoryData<OktaResult<OktaUser>> FailedReads => new()
    {
        new OktaResult<OktaUser>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)),
        new OktaResult<OktaUser>.Throttled(FakeOktaClient.Error(429, "E0000047")),
        new OktaResult<OktaUser>.Failed(FakeOktaClient.Error(403, "E0000006")),
    };

    [Theory]
    [MemberData(nameof(FailedReads))]
    public async Task LostAnswerThatCannotBeCheckedEndsTheTokenUnconfirmedAndIsNeverResent(OktaResult<OktaUser> read)
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        LoseTheNextAnswer(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));
        _h.Okta.OnSetPassword = _ => _h.Okta.NextGetUser.Enqueue(read); // the read-back

        var unknown = await ChangeAsync(credentials);
        var again = await ChangeAsync(credentials);

        Assert.Equal(FlowProblem.NotConfirmed, Assert.IsType<ChangePasswordResult.Failed>(unknown).Problem);
        Assert.IsType<ChangePasswordResult.Failed>(again);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync))); // the start, then the read-back
    }

    [Fact]
    public async Task OutageBeforeOktaGotTheRequestKeepsTheToken()
    {
        var credentials = await _h.VerifiedAsync("ann@example.com");
        _h.Okta.NextSetPassword.Enqueue(new SetPasswordResult.Unavailable(new OktaUnavailable(OktaUnavailableKind.ConnectionFailed, RequestMayHaveReachedOkta: false)));

        var down = await ChangeAsync(credentials);
        var retried = await ChangeAsync(credentials);

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<ChangePasswordResult.Failed>(down).Problem);
        Assert.IsType<ChangePasswordResult.Changed>(retried);
    }

    [Fact]
    public async Task ANewerVerificationForTheSamePersonSupersedesTheOlderToken()
    {
        var older = await _h.VerifiedAsync("ann@example.com");
        _h.Clock.Advance(TimeSpan.FromSeconds(31)); // the next TOTP window
        var newer = await _h.Flow.VerifyCodeAsync(await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp), "654321", _ct);
        _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.Success());
        var newest = Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp), "654321", _ct));

        Assert.IsType<VerifyCodeResult.WrongCode>(newer);
        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<ChangePasswordResult.Failed>(await ChangeAsync(older)).Problem);
        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(newest.Credentials));
    }

    [Fact]
    public async Task PasswordStepBeforeVerificationMeansStartAgain()
    {
        var secret = await _h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);

        var step = await _h.Flow.GetPasswordStepAsync(secret, null, _ct);

        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<PasswordStepResult.Failed>(step).Problem);
    }
}
