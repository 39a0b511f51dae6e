using MfaReset.Okta;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset.Policy;

/// <summary>Which password policy rule applies to a person, and what it lets start a reset (Okta's order, fail closed).</summary>
public sealed class RecoveryPolicyRulesTests
{
    private const string UserId = "00u1";
    private static readonly HashSet<string> NoGroups = new(StringComparer.Ordinal);

    private static PolicyWithRules Policy(string name, int priority, IReadOnlyList<string> groups, OktaPasswordPolicyRule rule, string? provider = null, bool active = true) =>
        FakeOktaClient.PolicyFor(groups, rule with { Name = name }, priority: priority) is var p
            ? p with { Policy = p.Policy with { Id = "00p" + name.Replace(" ", "", StringComparison.Ordinal), AuthProvider = provider, Active = active, System = false } }
            : throw new InvalidOperationException();

    [Fact]
    public void TheLowestPriorityPolicyWhoseGroupIncludesThePersonApplies()
    {
        PolicyWithRules[] policies =
        [
            Policy("Second", 2, ["00gall"], FakeOktaClient.AllowAll("x")),
            Policy("First", 1, ["00gfew"], FakeOktaClient.Rule("x", allowed: false, [])),
        ];

        var member = RecoveryPolicyRules.Decide(policies, UserId, "OKTA", new HashSet<string>(["00gfew", "00gall"], StringComparer.Ordinal));
        var other = RecoveryPolicyRules.Decide(policies, UserId, "OKTA", new HashSet<string>(["00gall"], StringComparer.Ordinal));

        Assert.False(member.ResetAllowed);
        Assert.True(other.ResetAllowed);
    }

    [Fact]
    public void NoApplicablePolicyOrRuleMeansNoSelfServiceReset()
    {
        var noPolicy = RecoveryPolicyRules.Decide([Policy("Few", 1, ["00gfew"], FakeOktaClient.AllowAll("x"))], UserId, "OKTA", NoGroups);
        var inactive = RecoveryPolicyRules.Decide([Policy("Off", 1, [], FakeOktaClient.AllowAll("x"), active: false)], UserId, "OKTA", NoGroups);
        var excluded = RecoveryPolicyRules.Decide(
            [Policy("All", 1, [], FakeOktaClient.AllowAll("x") with { ExcludedUserIds = [UserId] })], UserId, "OKTA", NoGroups);

        Assert.All([noPolicy, inactive, excluded], rule => Assert.False(rule.ResetAllowed));
        Assert.Null(excluded.RuleName);
    }

    [Theory]
    [InlineData("OKTA", "OKTA", true)]
    [InlineData("OKTA", "IMPORT", true)]
    [InlineData("ACTIVE_DIRECTORY", "ACTIVE_DIRECTORY", true)]
    [InlineData("ACTIVE_DIRECTORY", "OKTA", false)]
    [InlineData("LDAP", "ACTIVE_DIRECTORY", false)]
    [InlineData("ANY", "LDAP", true)]
    public void APolicysAuthProviderMustBeThePersons(string policyProvider, string userProvider, bool applies)
    {
        var rule = RecoveryPolicyRules.Decide([Policy("P", 1, [], FakeOktaClient.AllowAll("x"), policyProvider)], UserId, userProvider, NoGroups);

        Assert.Equal(applies, rule.ResetAllowed);
    }

    [Fact]
    public void IdentityEngineMethodsMapToThePortalsKindsAndSecurityQuestionsToNone()
    {
        Assert.Equal(
            new HashSet<FactorKind> { FactorKind.Sms, FactorKind.Call, FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp, FactorKind.GoogleAuthenticator, FactorKind.Email },
            RecoveryPolicyRules.KindsOfMethods(["sms", "voice", "push", "otp", "email", "security_question"]));
        Assert.Equal(
            new HashSet<FactorKind> { FactorKind.Sms, FactorKind.Call, FactorKind.Email },
            RecoveryPolicyRules.KindsOfRecoveryFactors(["okta_sms", "okta_call", "okta_email", "recovery_question"]));
    }

    /// <summary><c>accessControl: AUTH_POLICY</c>: the account management policy decides, which the portal cannot read; the rule's own list (the narrower reading) is kept.</summary>
    [Fact]
    public void AnAuthenticationPolicyRuleKeepsItsListedMethods()
    {
        var rule = FakeOktaClient.AllowAll("x") with
        {
            PasswordReset = new OktaSelfServiceReset(true, new OktaRecoveryRequirement("AUTH_POLICY", ["sms", "email"], false, [])),
        };

        var decided = RecoveryPolicyRules.Decide([Policy("P", 1, [], rule)], UserId, "OKTA", NoGroups);

        Assert.Equal(new HashSet<FactorKind> { FactorKind.Sms, FactorKind.Email }, decided.Methods);
    }

    [Fact]
    public void AStepUpRuleRequiresASecondCheck()
    {
        var decided = RecoveryPolicyRules.Decide([Policy("P", 1, [], FakeOktaClient.Rule("x", allowed: true, ["push", "sms"], stepUp: true))], UserId, "OKTA", NoGroups);

        Assert.True(decided.SecondCheckRequired);
        Assert.Equal(new HashSet<FactorKind> { FactorKind.OktaVerifyPush, FactorKind.Sms }, decided.Methods);
    }

    [Fact]
    public void ComplexityWithNothingRequiredGivesAnEmptyChecklist()
    {
        Assert.Empty(PasswordRule.From(new OktaPasswordComplexity(0, 0, 0, 0, 0, false, [], false, 0)));
        Assert.Equal([PasswordRule.History(1)], PasswordRule.From(new OktaPasswordComplexity(0, 0, 0, 0, 0, false, [], false, 1)));
    }
}
