using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// <c>Reset:FollowOktaRecoveryPolicy</c>: after verification the flow reads the org's password policy rule
/// that applies to the person (cached), and refuses what the rule does not allow; before verification every
/// account walks the same steps and no policy is read.
/// </summary>
public sealed class RecoveryPolicyFlowTests
{
    private const string DenyGroup = "00gnoselfservice01";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static readonly string[] PolicyCalls =
        [nameof(IOktaClient.ListPasswordPoliciesAsync), nameof(IOktaClient.ListPasswordPolicyRulesAsync), nameof(IOktaClient.ListUserGroupsAsync)];

    private static async Task<VerifyCodeResult> VerifyAsync(FlowHarness h, string login, FactorKind kind = FactorKind.OktaVerifyTotp)
    {
        if (!h.Okta.Users.ContainsKey(login))
        {
            h.Okta.AddUser(login, kinds: [kind]);
        }

        var secret = await h.ChooseAsync(login, kind);
        if (kind is FactorKind.Sms or FactorKind.Call)
        {
            await h.Flow.SendCodeAsync(secret, TestContext.Current.CancellationToken);
        }

        return await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, TestContext.Current.CancellationToken);
    }

    /// <summary>A deny rule for members of <see cref="DenyGroup"/>, before the default policy that allows every method.</summary>
    private static FlowHarness WithDenyGroup()
    {
        var h = new FlowHarness();
        h.Okta.Policies.Insert(0, FakeOktaClient.PolicyFor([DenyGroup], FakeOktaClient.Rule("No self-service", allowed: false, [])));
        h.Okta.Policies[1] = FakeOktaClient.PolicyFor(["00geveryone0000001"], FakeOktaClient.AllowAll("Default Rule"), priority: 2);
        return h;
    }

    [Fact]
    public async Task ARuleThatDeniesSelfServiceResetRefusesAfterVerificationWithoutAToken()
    {
        var h = WithDenyGroup();
        var user = h.Okta.AddUser("hal@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Groups[user.Id] = [DenyGroup, "00geveryone0000001"];

        var result = await VerifyAsync(h, "hal@example.com");

        Assert.Equal(FlowProblem.ResetNotAllowed, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.ListUserGroupsAsync)));
        Assert.Empty(h.Logs.OfEvent(1007));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task APersonOutsideTheDenyingGroupGetsTheDefaultRuleAndAToken()
    {
        var h = WithDenyGroup();
        var user = h.Okta.AddUser("sam@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Groups[user.Id] = ["00geveryone0000001"];

        var result = await VerifyAsync(h, "sam@example.com");

        Assert.IsType<VerifyCodeResult.Verified>(result);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.ListUserGroupsAsync)));
    }

    /// <summary>The denied person's walk up to the code is the same as anyone's: no policy or group call before verification.</summary>
    [Fact]
    public async Task NoPolicyOrGroupIsReadBeforeVerification()
    {
        var h = WithDenyGroup();
        var user = h.Okta.AddUser("hal@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Groups[user.Id] = [DenyGroup];

        var secret = await h.ChooseAsync("hal@example.com", FactorKind.OktaVerifyTotp);
        await h.ChooseAsync("nobody@example.com", FactorKind.OktaVerifyTotp);

        Assert.DoesNotContain(h.Okta.Calls, PolicyCalls.Contains);
        Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(secret, _ct));
    }

    [Fact]
    public async Task AMethodTheRuleDoesNotListIsRefusedAfterVerification()
    {
        var h = new FlowHarness(o => o.ExtraRecoveryMethods = []);
        h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Phones only", allowed: true, ["sms", "voice"]));

        var result = await VerifyAsync(h, "tom@example.com", FactorKind.OktaVerifyTotp);

        Assert.Equal(FlowProblem.MethodNotAllowed, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.Empty(h.Logs.OfEvent(1007));
    }

    [Fact]
    public async Task AMethodTheRuleListsGetsATokenAndThePolicysComplexityIsThePasswordChecklist()
    {
        var h = new FlowHarness(o => o.ExtraRecoveryMethods = []);
        var complexity = new OktaPasswordComplexity(12, 1, 1, 2, 1, true, ["firstName", "lastName"], true, 5);
        h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Codes", allowed: true, ["otp"]), complexity);

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "gail@example.com", FactorKind.GoogleAuthenticator));
        var step = await h.Flow.GetPasswordStepAsync(verified.Credentials.FlowSecret, verified.Credentials.ResetToken, _ct);

        Assert.Equal(
            [
                PasswordRule.MinLength(12), new(PasswordRuleKind.Lowercase, 1), new(PasswordRuleKind.Uppercase, 1), new(PasswordRuleKind.Number, 2),
                new(PasswordRuleKind.Symbol, 1), PasswordRule.Of(PasswordRuleKind.NoPersonalWords), PasswordRule.Of(PasswordRuleKind.NoFirstName),
                PasswordRule.Of(PasswordRuleKind.NoLastName), PasswordRule.Of(PasswordRuleKind.NoCommonPassword), PasswordRule.History(5),
            ],
            Assert.IsType<PasswordStepResult.Ready>(step).PolicyRules);
    }

    /// <summary>Issue 22 item 3: a rule's <c>otp</c> is Google Authenticator; an Okta Verify code is refused unless the operator accepts it beyond the rule.</summary>
    [Fact]
    public async Task AnOktaVerifyCodeIsNotARecoveryMethodUnderAnOtpRuleUnlessTheOperatorAcceptsIt()
    {
        var strict = new FlowHarness(o => o.ExtraRecoveryMethods = []);
        var widened = new FlowHarness(o => o.ExtraRecoveryMethods = [FactorKind.OktaVerifyTotp]);
        strict.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Codes", allowed: true, ["otp"]));
        widened.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Codes", allowed: true, ["otp"]));

        Assert.Equal(FlowProblem.MethodNotAllowed, Assert.IsType<VerifyCodeResult.Failed>(await VerifyAsync(strict, "tom@example.com")).Problem);
        Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(widened, "tom@example.com"));
        Assert.Equal(0, strict.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    /// <summary>Issue 22 item 5: a Classic policy with an active recovery question asks a second, different method after the first; the first alone issues no token.</summary>
    [Fact]
    public async Task AClassicPolicysRecoveryQuestionIsReplacedByASecondCheckNeverSkipped()
    {
        var h = new FlowHarness(o => o.ExtraRecoveryMethods = []);
        h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Legacy Rule", allowed: true, []), recoveryFactors: ["okta_sms", "recovery_question"]);

        var first = Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "sam@example.com", FactorKind.Sms));

        Assert.True(first.Credentials.SecondMethodNeeded);
        Assert.Null(first.Credentials.ResetToken);
    }

    /// <summary>Classic Engine: a rule without a requirement takes the policy's recovery factors (okta_sms is the portal's SMS).</summary>
    [Fact]
    public async Task AClassicRuleLetsThePolicysActiveRecoveryFactorsStartAReset()
    {
        var h = new FlowHarness(o => o.ExtraRecoveryMethods = []);
        h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Legacy Rule", allowed: true, []), recoveryFactors: ["okta_sms", "okta_email"]);

        Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "sam@example.com", FactorKind.Sms));
        Assert.Equal(FlowProblem.MethodNotAllowed, Assert.IsType<VerifyCodeResult.Failed>(await VerifyAsync(h, "tom@example.com")).Problem);
    }

    [Fact]
    public async Task PoliciesThatCannotBeReadFailClosedWithTheOutagePageAndAreReadAgainNextTime()
    {
        var h = new FlowHarness();
        h.Okta.NextPolicies.Enqueue(new OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, true)));

        var first = await VerifyAsync(h, "tom@example.com");
        var second = await VerifyAsync(h, "tina@example.com");

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<VerifyCodeResult.Failed>(first).Problem);
        Assert.IsType<VerifyCodeResult.Verified>(second);
        Assert.Equal(2, h.Okta.CountOf(nameof(IOktaClient.ListPasswordPoliciesAsync)));
    }

    [Fact]
    public async Task GroupsThatCannotBeReadFailClosedWithTheBusyPageWhenOktaThrottles()
    {
        var h = WithDenyGroup();
        h.Okta.NextGroups.Enqueue(new OktaResult<IReadOnlyList<OktaGroup>>.Throttled(FakeOktaClient.Error(429, "E0000047")));

        var result = await VerifyAsync(h, "tom@example.com");

        Assert.Equal(FlowProblem.Busy, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task PoliciesAreReadOncePerCacheLifetimeNotOncePerReset()
    {
        var h = new FlowHarness();

        Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "a@example.com"));
        Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "b@example.com"));
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.ListPasswordPoliciesAsync)));
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.ListPasswordPolicyRulesAsync)));

        h.Clock.Advance(h.Options.RecoveryPolicyCacheLifetime);
        Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "c@example.com"));
        Assert.Equal(2, h.Okta.CountOf(nameof(IOktaClient.ListPasswordPoliciesAsync)));
    }

    [Fact]
    public async Task WithTheSettingOffNoPolicyIsReadAndTheConfiguredRulesStay()
    {
        var h = new FlowHarness(o => (o.FollowOktaRecoveryPolicy, o.PasswordPolicy) = (false, ["be at least 12 characters long"]));
        h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Nothing", allowed: false, []));

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "tom@example.com"));
        var step = await h.Flow.GetPasswordStepAsync(verified.Credentials.FlowSecret, verified.Credentials.ResetToken, _ct);

        Assert.Equal([PasswordRule.Configured("be at least 12 characters long")], Assert.IsType<PasswordStepResult.Ready>(step).PolicyRules);
        Assert.DoesNotContain(h.Okta.Calls, PolicyCalls.Contains);
    }

    /// <summary>A policy as Okta lists it; <paramref name="system"/> for the org's Default Policy, which Okta scopes to Everyone.</summary>
    private static PolicyWithRules Policy(string name, int priority, bool system, string groupId, OktaPasswordPolicyRule rule) =>
        new(new OktaPasswordPolicy("00p" + name, name, true, priority, system, [groupId], "ANY", OktaPasswordComplexity.Default, []), [rule]);

    private const string Everyone = "00geveryone0000001";

    [Fact]
    public async Task WhenTheFirstPolicyIsTheDefaultPolicyForEveryoneThePersonsGroupsAreNotRead()
    {
        var h = new FlowHarness();
        h.Okta.Policies[0] = Policy("Default Policy", 1, system: true, Everyone, FakeOktaClient.AllowAll("Default Rule"));

        Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "sam@example.com"));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ListUserGroupsAsync)));
    }

    [Fact]
    public async Task WhenTheFirstPolicyIsScopedToEveryoneTheGroupsOfALaterPolicyAreNotRead()
    {
        var h = new FlowHarness();
        h.Okta.Policies.Clear();
        h.Okta.Policies.Add(Policy("Everyone first", 1, system: false, Everyone, FakeOktaClient.AllowAll("Allow")));
        h.Okta.Policies.Add(Policy("Help desk only", 2, system: false, DenyGroup, FakeOktaClient.Rule("No self-service", allowed: false, [])));
        h.Okta.Policies.Add(Policy("Default Policy", 3, system: true, Everyone, FakeOktaClient.AllowAll("Default Rule")));
        var user = h.Okta.AddUser("hal@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Groups[user.Id] = [DenyGroup, Everyone];

        Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "hal@example.com"));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ListUserGroupsAsync)));
    }

    [Fact]
    public async Task WhenTheFirstPolicyNamesAnotherGroupBeforeTheDefaultPolicyTheGroupsAreStillReadAndObeyed()
    {
        var h = new FlowHarness();
        h.Okta.Policies.Clear();
        h.Okta.Policies.Add(Policy("Help desk only", 1, system: false, DenyGroup, FakeOktaClient.Rule("No self-service", allowed: false, [])));
        h.Okta.Policies.Add(Policy("Default Policy", 2, system: true, Everyone, FakeOktaClient.AllowAll("Default Rule")));
        var hal = h.Okta.AddUser("hal@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Groups[hal.Id] = [DenyGroup, Everyone];

        var result = await VerifyAsync(h, "hal@example.com");

        Assert.Equal(FlowProblem.ResetNotAllowed, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.ListUserGroupsAsync)));
    }
}
