namespace MfaReset.Okta.Tests.Contract;

/// <summary>
/// What the portal relies on Okta for, as scenarios through the real client. Each concrete class picks
/// a target: <see cref="FixtureContractScenarios"/> (Okta's documented answers) and
/// <see cref="SandboxContractScenarios"/> (the emulator, which must behave the same). Ids, dates and
/// codes differ between targets and are never compared; variants, statuses, kinds and error codes are.
/// </summary>
public abstract class ContractScenarios
{
    private const string EndUserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

    /// <summary>One target per test class, back in its starting state for each test.</summary>
    protected ContractScenarios(OktaTargetFixture target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Okta = target.Target;
        Okta.Reset();
    }

    private IOktaTarget Okta { get; }

    private IOktaClient Client => Okta.Client;

    private TargetDirectory People => Okta.Directory;

    [Fact]
    public async Task LoginFindsAnActiveUserWithOktaCredentialsAndTheIdFindsTheSameUser()
    {
        Okta.Documents("getUser/by-login.200.json");
        var byLogin = Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(People.ActiveLogin, TestContext.Current.CancellationToken)).Value;

        Assert.Equal(People.ActiveLogin, byLogin.Login, ignoreCase: true);
        Assert.Equal(OktaUserStatus.Active, byLogin.Status);
        Assert.Equal("OKTA", byLogin.CredentialsProviderType);
        Assert.NotNull(byLogin.PasswordChanged);
        Assert.NotNull(byLogin.LastLogin);
        Assert.NotNull(byLogin.StatusChanged);

        Okta.Documents("getUser/by-id.200.json");
        var byId = Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(byLogin.Id, TestContext.Current.CancellationToken)).Value;
        Assert.Equal(byLogin.Id, byId.Id);
    }

    [Fact]
    public async Task ImportedUserHasOktaHeldPasswordAndFederatedUserHasNone()
    {
        Okta.Documents("getUser/provider-import.200.json");
        var imported = Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(People.ImportLogin, TestContext.Current.CancellationToken)).Value;
        Okta.Documents("getUser/provider-federation.200.json");
        var federated = Assert.IsType<OktaResult<OktaUser>.Ok>(await Client.GetUserAsync(People.FederationLogin, TestContext.Current.CancellationToken)).Value;

        Assert.Equal((CredentialsProvider.Import, OktaUserStatus.Active), (imported.Provider, imported.Status));
        Assert.Equal((CredentialsProvider.Federation, OktaUserStatus.Active), (federated.Provider, federated.Status));
        Assert.Null(federated.PasswordChanged);
    }

    [Fact]
    public async Task AdminsRolesAreListedAndARegularUserHasNone()
    {
        Okta.Documents("listAssignedRolesForUser/super-admin.200.json");
        var admin = Assert.IsType<OktaResult<IReadOnlyList<OktaRole>>.Ok>(await Client.ListAssignedRolesAsync(People.AdminUserId, TestContext.Current.CancellationToken)).Value;
        Okta.Documents("listAssignedRolesForUser/regular-user.200.json");
        var regular = Assert.IsType<OktaResult<IReadOnlyList<OktaRole>>.Ok>(await Client.ListAssignedRolesAsync(People.PasswordUserId, TestContext.Current.CancellationToken)).Value;

        Assert.Equal(["SUPER_ADMIN"], admin.Select(r => r.Type));
        Assert.Empty(regular);
    }

    /// <summary>The org's recovery rules: active password policies with group conditions and complexity, a rule allowing self-service reset with its methods, the person's groups.</summary>
    [Fact]
    public async Task PasswordPoliciesTheirRulesAndAUsersGroupsAreRead()
    {
        Okta.Documents("listPolicies/password.200.json");
        var policies = Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok>(await Client.ListPasswordPoliciesAsync(TestContext.Current.CancellationToken)).Value;
        Assert.NotEmpty(policies);
        Assert.All(policies, p => Assert.True(p.Active && p.IncludedGroupIds.Count > 0 && p.Complexity.MinLength >= 8));
        var defaultPolicy = Assert.Single(policies, p => p.System);

        Okta.Documents("listPolicyRules/password.200.json");
        var rules = Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok>(await Client.ListPasswordPolicyRulesAsync(defaultPolicy.Id, TestContext.Current.CancellationToken)).Value;
        var rule = Assert.Single(rules);
        Assert.True(rule.Active && rule.PasswordReset.Allowed);
        Assert.NotEmpty(rule.PasswordReset.Requirement!.PrimaryMethods);
        Assert.False(rule.PasswordReset.Requirement.StepUpRequired);

        Okta.Documents("listUserGroups/list.200.json");
        var groups = Assert.IsType<OktaResult<IReadOnlyList<OktaGroup>>.Ok>(await Client.ListUserGroupsAsync(People.PasswordUserId, TestContext.Current.CancellationToken)).Value;
        Assert.NotEmpty(groups);
    }

    [Fact]
    public async Task UnknownLoginIsNotFoundWithE0000007()
    {
        Okta.Documents("getUser/not-found.404.json");

        var error = Assert.IsType<OktaResult<OktaUser>.NotFound>(await Client.GetUserAsync(People.UnknownLogin, TestContext.Current.CancellationToken)).Error;

        Assert.Equal((404, "E0000007"), (error.HttpStatus, error.ErrorCode));
        Assert.False(string.IsNullOrEmpty(error.ErrorId));
    }

    [Fact]
    public async Task FactorListGivesEveryFactorInOrderWithItsKind()
    {
        Okta.Documents("listFactors/list.200.json");

        var factors = Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(await Client.ListFactorsAsync(People.ManyFactorsUserId, TestContext.Current.CancellationToken)).Value;

        Assert.Equal(People.ManyFactorsKinds, factors.Select(f => f.Kind));
        Assert.All(factors, f => Assert.NotEqual(OktaFactorStatus.Unknown, f.Status));
        Assert.All(factors.Where(f => f.Kind is FactorKind.Sms or FactorKind.Call), f => Assert.False(string.IsNullOrEmpty(f.PhoneNumber)));
    }

    [Theory]
    [InlineData(FactorKind.Sms, "sms")]
    [InlineData(FactorKind.Call, "call")]
    public async Task PhoneChallengeThenTheCodeReceivedSucceeds(FactorKind kind, string fixturePrefix)
    {
        var factor = People.Factor(kind);
        Okta.Documents($"verifyFactor/{fixturePrefix}-challenge.200.json");
        Assert.IsType<FactorVerifyResult.ChallengeSent>(await Client.ChallengeAsync(factor.UserId, factor.FactorId, cancellationToken: TestContext.Current.CancellationToken));

        Okta.Documents($"verifyFactor/{fixturePrefix}-verify.200.json");
        Assert.IsType<FactorVerifyResult.Success>(await Client.VerifyPasscodeAsync(factor.UserId, factor.FactorId, Okta.CurrentCode(factor), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(FactorKind.Sms, "sms")]
    [InlineData(FactorKind.Call, "call")]
    public async Task WrongPhoneCodeIsAnInvalidPasscodeWithACause(FactorKind kind, string fixturePrefix)
    {
        var factor = People.Factor(kind);
        Okta.Documents($"verifyFactor/{fixturePrefix}-challenge.200.json");
        await Client.ChallengeAsync(factor.UserId, factor.FactorId, cancellationToken: TestContext.Current.CancellationToken);

        Okta.Documents($"verifyFactor/{fixturePrefix}-verify-invalid-passcode.403.json");
        var invalid = Assert.IsType<FactorVerifyResult.InvalidPasscode>(await Client.VerifyPasscodeAsync(factor.UserId, factor.FactorId, Okta.WrongCode(factor), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((403, "E0000068"), (invalid.Error.HttpStatus, invalid.Error.ErrorCode));
        Assert.NotEmpty(invalid.Error.ErrorCauses);
    }

    [Theory]
    [InlineData(FactorKind.Sms, "sms", "E0000109")]
    [InlineData(FactorKind.Call, "call", "E0000047")]
    public async Task SecondPhoneChallengeWithinThirtySecondsIsThrottledAndNotRepeated(FactorKind kind, string fixturePrefix, string errorCode)
    {
        var factor = People.Factor(kind);
        Okta.Documents($"verifyFactor/{fixturePrefix}-challenge.200.json");
        await Client.ChallengeAsync(factor.UserId, factor.FactorId, cancellationToken: TestContext.Current.CancellationToken);
        var requestsBefore = Okta.RequestCount;

        Okta.Documents($"verifyFactor/{fixturePrefix}-challenge-too-soon.429.json");
        var throttled = Assert.IsType<FactorVerifyResult.Throttled>(await Client.ChallengeAsync(factor.UserId, factor.FactorId, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((429, errorCode), (throttled.Error.HttpStatus, throttled.Error.ErrorCode));
        Assert.Equal(requestsBefore + 1, Okta.RequestCount);
    }

    [Theory]
    [InlineData(FactorKind.OktaVerifyTotp)]
    [InlineData(FactorKind.GoogleAuthenticator)]
    public async Task AuthenticatorCodeSucceedsAndAWrongOneIsAnInvalidPasscode(FactorKind kind)
    {
        var factor = People.Factor(kind);

        Okta.Documents("verifyFactor/totp-verify-invalid-passcode.403.json");
        var invalid = Assert.IsType<FactorVerifyResult.InvalidPasscode>(await Client.VerifyPasscodeAsync(factor.UserId, factor.FactorId, Okta.WrongCode(factor), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("E0000068", invalid.Error.ErrorCode);

        Okta.Documents("verifyFactor/totp-verify.200.json");
        Assert.IsType<FactorVerifyResult.Success>(await Client.VerifyPasscodeAsync(factor.UserId, factor.FactorId, Okta.CurrentCode(factor), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AuthenticatorCodeUsedTwiceIsCodeReusedWithE0000082()
    {
        var factor = People.OktaVerifyTotp;
        var code = Okta.CurrentCode(factor);
        Okta.Documents("verifyFactor/totp-verify.200.json");
        Assert.IsType<FactorVerifyResult.Success>(await Client.VerifyPasscodeAsync(factor.UserId, factor.FactorId, code, cancellationToken: TestContext.Current.CancellationToken));

        Okta.Documents("errors/E0000082-passcode-replayed.403.json");
        var reused = Assert.IsType<FactorVerifyResult.CodeReused>(await Client.VerifyPasscodeAsync(factor.UserId, factor.FactorId, code, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((CodeReuse.Replayed, "E0000082"), (reused.Reason, reused.Error?.ErrorCode));
    }

    [Fact]
    public async Task PushWaitsUntilApprovedThenSucceeds()
    {
        var waiting = await SendPushAsync("verifyFactor/push-challenge.201.json", numberMatching: false);
        Assert.Null(waiting.CorrectAnswer);
        Assert.NotNull(waiting.ExpiresAt);

        Okta.Documents("getFactorTransactionStatus/waiting.200.json");
        Assert.IsType<FactorVerifyResult.Waiting>(await Client.PollPushAsync(waiting.Poll, TestContext.Current.CancellationToken));

        Okta.AnswerPush(People.Push, approve: true);
        Okta.Documents("getFactorTransactionStatus/success.200.json");
        Assert.IsType<FactorVerifyResult.Success>(await Client.PollPushAsync(waiting.Poll, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task NumberMatchingPushShowsTheSameNumberUntilTheRightOneIsPicked()
    {
        var waiting = await SendPushAsync("verifyFactor/push-challenge-number-matching.201.json", numberMatching: true);
        Assert.NotNull(waiting.CorrectAnswer);

        Okta.Documents("getFactorTransactionStatus/waiting-number-matching.200.json");
        var stillWaiting = Assert.IsType<FactorVerifyResult.Waiting>(await Client.PollPushAsync(waiting.Poll, TestContext.Current.CancellationToken));
        Assert.Equal(waiting.CorrectAnswer, stillWaiting.CorrectAnswer);

        Okta.AnswerPush(People.Push, approve: true);
        Okta.Documents("getFactorTransactionStatus/success.200.json");
        Assert.IsType<FactorVerifyResult.Success>(await Client.PollPushAsync(waiting.Poll, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DeniedPushIsRejected()
    {
        var waiting = await SendPushAsync("verifyFactor/push-challenge.201.json", numberMatching: false);

        Okta.AnswerPush(People.Push, approve: false);
        Okta.Documents("getFactorTransactionStatus/rejected.200.json");

        Assert.IsType<FactorVerifyResult.Rejected>(await Client.PollPushAsync(waiting.Poll, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UnansweredPushTimesOut()
    {
        var waiting = await SendPushAsync("verifyFactor/push-challenge.201.json", numberMatching: false);

        Okta.LetPushExpire();
        Okta.Documents("getFactorTransactionStatus/timeout.200.json");

        Assert.IsType<FactorVerifyResult.TimedOut>(await Client.PollPushAsync(waiting.Poll, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StrongPasswordIsSet()
    {
        Okta.Documents("updateUser/set-password.200.json");

        Assert.IsType<SetPasswordResult.Changed>(await Client.SetPasswordAsync(People.PasswordUserId, TargetDirectory.StrongPassword, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WeakPasswordIsRejectedWithReasonsThatNeverEchoIt()
    {
        Okta.Documents("errors/E0000001-password-requirements-field-errors.400.json");

        var rejected = Assert.IsType<SetPasswordResult.Rejected>(await Client.SetPasswordAsync(People.PasswordUserId, TargetDirectory.WeakPassword, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((400, "E0000001"), (rejected.Error.HttpStatus, rejected.Error.ErrorCode));
        Assert.NotEmpty(rejected.Reasons);
        Assert.All(rejected.Reasons, r => Assert.DoesNotContain(TargetDirectory.WeakPassword, r, StringComparison.Ordinal));
        Assert.DoesNotContain(TargetDirectory.WeakPassword, rejected.Error.ErrorSummary ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockedOutUserIsUnlocked()
    {
        Okta.Documents("unlockUser/unlock.200.json");

        Assert.IsType<OktaResult<NoContent>.Ok>(await Client.UnlockUserAsync(People.LockedUserId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TokenTheOrgDoesNotAcceptIsE0000011()
    {
        Okta.Documents("errors/E0000011-invalid-token.401.json");

        var failed = Assert.IsType<OktaResult<OktaUser>.Failed>(await Okta.ClientWithAnotherToken.GetUserAsync(People.ActiveLogin, TestContext.Current.CancellationToken));

        Assert.Equal((401, "E0000011"), (failed.Error.HttpStatus, failed.Error.ErrorCode));
    }

    private async Task<FactorVerifyResult.Waiting> SendPushAsync(string fixture, bool numberMatching)
    {
        Okta.Documents(fixture);
        var context = new PushRequestContext("203.0.113.9", EndUserAgent, numberMatching);
        return Assert.IsType<FactorVerifyResult.Waiting>(await Client.SendPushAsync(People.Push.UserId, People.Push.FactorId, context));
    }
}

/// <summary>Starts a target once for a test class.</summary>
public abstract class OktaTargetFixture : IAsyncLifetime
{
    private IOktaTarget? _target;

    public IOktaTarget Target => _target ?? throw new InvalidOperationException("The target is not started.");

    public async ValueTask InitializeAsync() => _target = await StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract Task<IOktaTarget> StartAsync();
}

public sealed class FixtureTargetFixture : OktaTargetFixture
{
    protected override Task<IOktaTarget> StartAsync() => FixtureTarget.StartAsync();
}

public sealed class SandboxTargetFixture : OktaTargetFixture
{
    protected override Task<IOktaTarget> StartAsync() => SandboxTarget.StartAsync();
}

/// <summary>The scenarios against Okta's documented answers.</summary>
public sealed class FixtureContractScenarios(FixtureTargetFixture target) : ContractScenarios(target), IClassFixture<FixtureTargetFixture>;

/// <summary>The same scenarios against the sandbox: it must answer as Okta documents.</summary>
public sealed class SandboxContractScenarios(SandboxTargetFixture target) : ContractScenarios(target), IClassFixture<SandboxTargetFixture>;
