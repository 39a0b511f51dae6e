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
            new HashSet<FactorKind> { FactorKind.Sms, FactorKind.Call, FactorKind.OktaVerifyPush, FactorKind.GoogleAuthenticator, FactorKind.Email },
            RecoveryPolicyRules.KindsOfMethods(["sms", "voice", "push", "otp", "email", "security_question"]));
        Assert.Equal(
            new HashSet<FactorKind> { FactorKind.Sms, FactorKind.Call, FactorKind.Email },
            RecoveryPolicyRules.KindsOfRecoveryFactors(["okta_sms", "okta_call", "okta_email", "recovery_question"]));
    }

    /// <summary>The spec: <c>otp</c> "requires a constraint limiting it to a Google authenticator"; an Okta Verify code only where a constraint names it.</summary>
    [Fact]
    public void OtpMeansGoogleAuthenticatorUnlessItsConstraintNamesOktaVerify()
    {
        Dictionary<string, IReadOnlyList<string>> google = new() { ["otp"] = ["google_otp"] };
        Dictionary<string, IReadOnlyList<string>> both = new() { ["otp"] = ["google_otp", "okta_verify"] };

        Assert.Equal(new HashSet<FactorKind> { FactorKind.GoogleAuthenticator }, RecoveryPolicyRules.KindsOfMethods(["otp"]));
        Assert.Equal(new HashSet<FactorKind> { FactorKind.GoogleAuthenticator }, RecoveryPolicyRules.KindsOfMethods(["otp"], google));
        Assert.Equal(new HashSet<FactorKind> { FactorKind.GoogleAuthenticator, FactorKind.OktaVerifyTotp }, RecoveryPolicyRules.KindsOfMethods(["otp"], both));
    }

    /// <summary><c>Reset:ExtraRecoveryMethods</c> widens a rule that allows reset, never one that denies it.</summary>
    [Fact]
    public void ExtraMethodsTheOperatorAcceptsWidenOnlyARuleThatAllowsReset()
    {
        var choices = new OperatorChoices(new HashSet<FactorKind> { FactorKind.OktaVerifyTotp }, false);

        var allowing = RecoveryPolicyRules.Decide([Policy("P", 1, [], FakeOktaClient.Rule("x", allowed: true, ["sms"]))], UserId, "OKTA", NoGroups, choices);
        var denying = RecoveryPolicyRules.Decide([Policy("P", 1, [], FakeOktaClient.Rule("x", allowed: false, ["sms"]))], UserId, "OKTA", NoGroups, choices);
        var strict = RecoveryPolicyRules.Decide([Policy("P", 1, [], FakeOktaClient.Rule("x", allowed: true, ["sms"]))], UserId, "OKTA", NoGroups);

        Assert.Equal(new HashSet<FactorKind> { FactorKind.Sms, FactorKind.OktaVerifyTotp }, allowing.Methods);
        Assert.Equal(new HashSet<FactorKind> { FactorKind.Sms }, denying.Methods);
        Assert.False(denying.ResetAllowed);
        Assert.Equal(new HashSet<FactorKind> { FactorKind.Sms }, strict.Methods);
    }

    /// <summary>
    /// <c>accessControl: AUTH_POLICY</c>: Okta's account management policy decides, which the portal does not read:
    /// nothing is allowed (fail closed) unless the operator accepts the rule's own methods.
    /// </summary>
    [Fact]
    public void AnAuthenticationPolicyRuleAllowsNothingUnlessTheOperatorAcceptsItsOwnMethods()
    {
        var rule = FakeOktaClient.AllowAll("x") with
        {
            PasswordReset = new OktaSelfServiceReset(true, new OktaRecoveryRequirement("AUTH_POLICY", ["sms", "email"], false, [])),
        };

        var closed = RecoveryPolicyRules.Decide([Policy("P", 1, [], rule)], UserId, "OKTA", NoGroups);
        var accepted = RecoveryPolicyRules.Decide([Policy("P", 1, [], rule)], UserId, "OKTA", NoGroups, new OperatorChoices(new HashSet<FactorKind>(), AcceptAuthPolicyRuleMethods: true));

        Assert.True(closed.DeferredToAuthenticationPolicy);
        Assert.False(closed.ResetAllowed);
        Assert.False(closed.UnlockAllowed);
        Assert.True(accepted.ResetAllowed);
        Assert.Equal(new HashSet<FactorKind> { FactorKind.Sms, FactorKind.Email }, accepted.Methods);
    }

    /// <summary>The spec's <c>SsprStepUpRequirement</c>: <c>required</c> with no methods means "any SSO authenticator".</summary>
    [Fact]
    public void AStepUpWithoutMethodsLetsAnyOtherMethodBeTheSecondCheck()
    {
        var rule = FakeOktaClient.AllowAll("x") with
        {
            PasswordReset = new OktaSelfServiceReset(true, new OktaRecoveryRequirement(null, ["sms"], true, [])),
        };

        var decided = RecoveryPolicyRules.Decide([Policy("P", 1, [], rule)], UserId, "OKTA", NoGroups);

        Assert.True(decided.SecondCheckRequired);
        Assert.Null(decided.SecondCheckMethods);
        Assert.Equal(new HashSet<FactorKind> { FactorKind.Sms }, decided.Methods);
    }

    /// <summary>A Classic Engine policy with an active recovery question asks it after the factor; the portal never skips that second step.</summary>
    [Fact]
    public void AClassicPolicyWithAnActiveRecoveryQuestionRequiresASecondCheck()
    {
        var withQuestion = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Legacy Rule", allowed: true, []), recoveryFactors: ["okta_sms", "recovery_question"]);
        var withoutQuestion = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Legacy Rule", allowed: true, []), recoveryFactors: ["okta_sms"]);

        var asked = RecoveryPolicyRules.Decide([withQuestion], UserId, "OKTA", NoGroups);
        var notAsked = RecoveryPolicyRules.Decide([withoutQuestion], UserId, "OKTA", NoGroups);

        Assert.True(asked.SecondCheckRequired);
        Assert.Null(asked.SecondCheckMethods);
        Assert.False(notAsked.SecondCheckRequired);
    }

    [Fact]
    public void AStepUpRuleRequiresASecondCheck()
    {
        var decided = RecoveryPolicyRules.Decide([Policy("P", 1, [], FakeOktaClient.Rule("x", allowed: true, ["push", "sms"], stepUp: true))], UserId, "OKTA", NoGroups);

        Assert.True(decided.SecondCheckRequired);
        Assert.Equal(new HashSet<FactorKind> { FactorKind.OktaVerifyPush, FactorKind.Sms }, decided.Methods);
        Assert.Equal(decided.Methods, decided.SecondCheckMethods);
    }

    [Fact]
    public void ComplexityWithNothingRequiredGivesAnEmptyChecklist()
    {
        Assert.Empty(PasswordRule.From(new OktaPasswordComplexity(0, 0, 0, 0, 0, false, [], false, 0)));
        Assert.Equal([PasswordRule.History(1)], PasswordRule.From(new OktaPasswordComplexity(0, 0, 0, 0, 0, false, [], false, 1)));
    }

    private static readonly NetworkZones OfficeAndCountry = new(
    [
        new OktaNetworkZone("nzoOffice", "IP", true, [new OktaZoneAddress("CIDR", "10.0.0.0/8"), new OktaZoneAddress("RANGE", "2001:db8::1-2001:db8::ff")]),
        new OktaNetworkZone("nzoCountry", "DYNAMIC", true, []),
        new OktaNetworkZone("nzoOld", "IP", false, [new OktaZoneAddress("CIDR", "0.0.0.0/0")]),
    ]);

    private static OktaPasswordPolicyRule ZoneRule(string name, int priority, bool allowed, IReadOnlyList<string> include, IReadOnlyList<string> exclude) =>
        FakeOktaClient.Rule(name, allowed, ["sms"]) with { Priority = priority, Network = new OktaNetworkCondition(true, include, exclude) };

    /// <summary>A rule for the office zone applies to addresses in it (CIDR or RANGE, IPv4 or IPv6); elsewhere the next rule does.</summary>
    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("2001:db8::42", true)]
    [InlineData("192.0.2.10", false)]
    [InlineData("2001:db8::1:0", false)]
    public void ARuleNamingAZoneAppliesOnlyToAddressesInIt(string clientIp, bool inOffice)
    {
        var policy = new PolicyWithRules(
            FakeOktaClient.PolicyFor([], FakeOktaClient.AllowAll("x")).Policy,
            [ZoneRule("Office", 1, allowed: true, ["nzoOffice"], []), FakeOktaClient.Rule("Elsewhere", allowed: false, []) with { Priority = 2 }]);

        var decided = RecoveryPolicyRules.Decide([policy], UserId, "OKTA", NoGroups, zones: OfficeAndCountry, clientIp: clientIp);

        Assert.Equal(inOffice ? "Office" : "Elsewhere", decided.RuleName);
        Assert.Equal(inOffice, decided.ResetAllowed);
    }

    /// <summary>Zones that could not be read, a dynamic zone (locations, ASNs) or no address: the rule is not guessed at; nothing is allowed.</summary>
    [Theory]
    [InlineData("unread", "nzoOffice", "10.1.2.3")]
    [InlineData("read", "nzoCountry", "10.1.2.3")]
    [InlineData("read", "nzoMissing", "10.1.2.3")]
    [InlineData("read", "nzoOffice", "not an address")]
    public void AZoneConditionThatCannotBeToldFailsClosed(string zones, string zoneId, string clientIp)
    {
        var policy = new PolicyWithRules(
            FakeOktaClient.PolicyFor([], FakeOktaClient.AllowAll("x")).Policy,
            [ZoneRule("Zoned", 1, allowed: true, [zoneId], []), FakeOktaClient.Rule("Elsewhere", allowed: true, ["sms"]) with { Priority = 2 }]);

        var decided = RecoveryPolicyRules.Decide([policy], UserId, "OKTA", NoGroups, zones: zones == "unread" ? NetworkZones.Unread : OfficeAndCountry, clientIp: clientIp);

        Assert.True(decided.NetworkUnknown);
        Assert.False(decided.ResetAllowed);
        Assert.False(decided.UnlockAllowed);
    }

    /// <summary>An excluded zone keeps the rule from addresses in it; an inactive zone holds no address.</summary>
    [Fact]
    public void AnExcludedZoneKeepsTheRuleFromItsAddressesAndAnInactiveZoneHoldsNone()
    {
        var policy = new PolicyWithRules(
            FakeOktaClient.PolicyFor([], FakeOktaClient.AllowAll("x")).Policy,
            [ZoneRule("Not the office", 1, allowed: true, [], ["nzoOffice", "nzoOld"]), FakeOktaClient.Rule("Office", allowed: false, []) with { Priority = 2 }]);

        Assert.Equal("Office", RecoveryPolicyRules.Decide([policy], UserId, "OKTA", NoGroups, zones: OfficeAndCountry, clientIp: "10.9.9.9").RuleName);
        Assert.Equal("Not the office", RecoveryPolicyRules.Decide([policy], UserId, "OKTA", NoGroups, zones: OfficeAndCountry, clientIp: "192.0.2.10").RuleName);
    }
}
