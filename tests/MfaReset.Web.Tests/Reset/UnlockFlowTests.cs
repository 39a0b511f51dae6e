using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>The unlock flow on a fake clock: the reset's steps up to verification, then an unlock instead of a token.</summary>
public sealed class UnlockFlowTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public UnlockFlowTests()
    {
        _h.Okta.AddUser("locked@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.Sms, FactorKind.OktaVerifyTotp]);
        _h.Okta.AddUser("active@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        var admin = _h.Okta.AddUser("admin@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.OktaVerifyTotp]);
        _h.Okta.Roles[admin.Id] = [new OktaRole("SUPER_ADMIN", "ACTIVE", "USER")];
    }

    private async Task<string> ChooseUnlockAsync(string username, FactorKind kind)
    {
        var started = Assert.IsType<StartResult.Started>(await _h.Flow.StartAsync(username, null, FlowPurpose.Unlock, _ct));
        var menu = Assert.IsType<MenuResult.Menu>(await _h.Flow.GetMenuAsync(started.FlowSecret, _ct));
        await _h.Flow.ChooseAsync(started.FlowSecret, menu.Options.Single(o => o.Kind == kind).Key, _ct);
        return started.FlowSecret;
    }

    /// <summary>An unlock by Okta Verify code with the right code.</summary>
    private async Task<VerifyCodeResult> VerifyUnlockAsync(string username) =>
        await _h.Flow.VerifyCodeAsync(await ChooseUnlockAsync(username, FactorKind.OktaVerifyTotp), FakeOktaClient.ValidCode, _ct);

    [Fact]
    public async Task VerifiedLockedOutPersonIsUnlockedOnceAndGivenNoToken()
    {
        var verified = Assert.IsType<VerifyCodeResult.Verified>(await VerifyUnlockAsync("locked@example.com"));

        Assert.Null(verified.Credentials.ResetToken);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        Assert.Equal(new DoneResult.Unlocked(WasLocked: true), await _h.Flow.GetDoneAsync(verified.Credentials.FlowSecret, _ct));
        Assert.IsType<PasswordStepResult.Failed>(await _h.Flow.GetPasswordStepAsync(verified.Credentials.FlowSecret, "any", _ct));
        Assert.Contains(_h.Logs.OfEvent(1021), r => r.Value("Outcome") == "unlocked");
    }

    [Fact]
    public async Task VerifiedPersonWhoWasNotLockedIsToldSoAndNothingIsCalled()
    {
        var verified = Assert.IsType<VerifyCodeResult.Verified>(await VerifyUnlockAsync("active@example.com"));

        Assert.Equal(new DoneResult.Unlocked(WasLocked: false), await _h.Flow.GetDoneAsync(verified.Credentials.FlowSecret, _ct));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task UnlockThatOktaRefusesEndsOnTheOutagePageAndNeverSaysUnlocked()
    {
        _h.Okta.NextUnlock.Enqueue(new OktaResult<NoContent>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)));
        var result = await VerifyUnlockAsync("locked@example.com");

        Assert.Equal(new VerifyCodeResult.Failed(FlowProblem.Unavailable), result);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    /// <summary>The org's rule says <c>selfServiceUnlock: DENY</c> (while it allows reset): nothing is unlocked.</summary>
    [Fact]
    public async Task ARuleThatDeniesSelfServiceUnlockRefusesAfterVerificationAndNothingIsUnlocked()
    {
        _h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("No unlock", allowed: true, ["otp"], unlock: false));

        var result = await VerifyUnlockAsync("locked@example.com");

        Assert.Equal(new VerifyCodeResult.Failed(FlowProblem.UnlockNotAllowed), result);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ListPasswordPoliciesAsync)));
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task ARuleThatAllowsUnlockButNotTheMethodUsedRefusesAfterVerification()
    {
        _h.Options.ExtraRecoveryMethods.Clear();
        _h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Phones", allowed: true, ["sms"], unlock: true));

        var result = await VerifyUnlockAsync("locked@example.com");

        Assert.Equal(new VerifyCodeResult.Failed(FlowProblem.MethodNotAllowed), result);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task AdminIsRefusedAfterVerificationAsForAReset()
    {
        var result = await VerifyUnlockAsync("admin@example.com");

        Assert.Equal(new VerifyCodeResult.Failed(FlowProblem.AdminAccount), result);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task WrongCodesOfAnUnlockSpendTheSamePerPersonBudgetAsAReset()
    {
        var unlock = await ChooseUnlockAsync("locked@example.com", FactorKind.OktaVerifyTotp);
        await _h.Flow.VerifyCodeAsync(unlock, "000000", _ct);
        await _h.Flow.VerifyCodeAsync(unlock, "000001", _ct);
        await _h.Flow.VerifyCodeAsync(unlock, "000002", _ct);
        var reset = await _h.ChooseAsync("locked@example.com", FactorKind.OktaVerifyTotp);

        var result = await _h.Flow.VerifyCodeAsync(reset, "000003", _ct);
        var blocked = await _h.Flow.VerifyCodeAsync(await _h.ChooseAsync("locked@example.com", FactorKind.OktaVerifyTotp), FakeOktaClient.ValidCode, _ct);

        Assert.IsType<VerifyCodeResult.WrongCode>(result);
        Assert.IsType<VerifyCodeResult.Failed>(blocked);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    [Fact]
    public async Task UnlockIsRefusedForEveryUsernameWhenSwitchedOff()
    {
        var h = new FlowHarness(o => o.AllowUnlock = false);

        var result = await h.Flow.StartAsync("anyone@example.com", null, FlowPurpose.Unlock, _ct);

        Assert.Equal(new StartResult.Failed(FlowProblem.StartAgain), result);
        Assert.Empty(h.Okta.Calls);
    }
}
