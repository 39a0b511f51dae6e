using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Fixtures.ContractAssert;

namespace MfaReset.Okta.Tests.Replay;

/// <summary>
/// The org's recovery rules: listPolicies (type=PASSWORD), listPolicyRules and listUserGroups. Every
/// documented variant is read: the spec's example with <c>minNumber: null</c> and a misspelled recovery-question
/// complexity, the classic docs' consistent settings, breached-password protection; Classic Engine rules without a
/// <c>requirement</c>, Identity Engine rules with one, <c>accessControl: AUTH_POLICY</c>, and a security-question step-up.
/// </summary>
public sealed class PolicyReplayTests(ReplayContext context) : IClassFixture<ReplayContext>
{
    public static TheoryData<string> ListPoliciesFixtures => FixtureCatalog.Of("listPolicies");

    public static TheoryData<string> ListPolicyRulesFixtures => FixtureCatalog.Of("listPolicyRules");

    public static TheoryData<string> ListUserGroupsFixtures => FixtureCatalog.Of("listUserGroups");

    /// <summary>Each policy with its groups, complexity (a null or absent value takes the schema's default) and active recovery factors.</summary>
    [Theory]
    [MemberData(nameof(ListPoliciesFixtures))]
    public async Task ListPoliciesFixtureReplaysEachPasswordPolicyWithItsComplexityAndRecoveryFactors(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);
        Assert.Equal("PASSWORD", request.Query["type"]);

        var result = await context.ReplayAsync(fixture, client => client.ListPasswordPoliciesAsync());

        RequestMatches(new ExpectedRequest("GET", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        var policies = Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok>(result).Value;
        var bodies = fixture.Response.Body!.AsArray();
        Assert.Equal(bodies.Count, policies.Count);
        foreach (var (body, policy) in bodies.Zip(policies))
        {
            Assert.Equal(Field(body, "id"), policy.Id);
            Assert.Equal(Field(body, "name"), policy.Name);
            Assert.True(policy.Active);
            Assert.Equal(body!["priority"]!.GetValue<int>(), policy.Priority);
            Assert.Equal(body["system"]!.GetValue<bool>(), policy.System);
            Assert.Equal(body["conditions"]!["people"]!["groups"]!["include"]!.AsArray().Select(g => g!.GetValue<string>()), policy.IncludedGroupIds);
            Assert.Equal(Field(body, "conditions.authProvider.provider"), policy.AuthProvider);
            var complexity = body["settings"]!["password"]!["complexity"]!;
            Assert.Equal(
                new OktaPasswordComplexity(
                    Count(complexity, "minLength", 8),
                    Count(complexity, "minLowerCase", 1),
                    Count(complexity, "minUpperCase", 1),
                    Count(complexity, "minNumber", 1),
                    Count(complexity, "minSymbol", 1),
                    complexity["excludeUsername"]!.GetValue<bool>(),
                    [],
                    complexity["dictionary"]!["common"]!["exclude"]!.GetValue<bool>(),
                    body["settings"]!["password"]!["age"]!["historyCount"]!.GetValue<int>()),
                policy.Complexity with { ExcludeAttributes = [] });
            Assert.Empty(policy.Complexity.ExcludeAttributes);
            var activeFactors = body["settings"]!["recovery"]!["factors"]!.AsObject()
                .Where(f => Field(f.Value, "status") == "ACTIVE").Select(f => f.Key).Order(StringComparer.Ordinal);
            Assert.Equal(activeFactors, policy.RecoveryFactors);
        }
    }

    /// <summary>The spec's example writes <c>minNumber: null</c>: read as the schema's default, 1 (stricter than "no number").</summary>
    [Fact]
    public async Task TheSpecsNullMinNumberIsReadAsTheSchemaDefault()
    {
        var fixture = ContractFixture.Load("listPolicies/password.200.json");

        var result = await context.ReplayAsync(fixture, client => client.ListPasswordPoliciesAsync());

        var policy = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok>(result).Value);
        Assert.Equal(1, policy.Complexity.MinNumber);
        Assert.Equal(4, policy.Complexity.HistoryCount);
        Assert.Equal(["okta_email", "recovery_question"], policy.RecoveryFactors);
    }

    /// <summary>Access flags, and the requirement when the rule has one (methods lower-cased, step-up, accessControl).</summary>
    [Theory]
    [MemberData(nameof(ListPolicyRulesFixtures))]
    public async Task ListPolicyRulesFixtureReplaysEachRuleWithItsSelfServiceActions(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);

        var result = await context.ReplayAsync(fixture, client => client.ListPasswordPolicyRulesAsync(request.Segment(2)));

        RequestMatches(new ExpectedRequest("GET", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        var rules = Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok>(result).Value;
        var bodies = fixture.Response.Body!.AsArray();
        Assert.Equal(bodies.Count, rules.Count);
        foreach (var (body, rule) in bodies.Zip(rules))
        {
            Assert.Equal(Field(body, "id"), rule.Id);
            Assert.Equal(Field(body, "name"), rule.Name);
            Assert.True(rule.Active);
            Assert.Equal(body!["priority"]!.GetValue<int>(), rule.Priority);
            Assert.Empty(rule.ExcludedUserIds);
            Assert.Equal(Field(body, "actions.selfServicePasswordReset.access") == "ALLOW", rule.PasswordReset.Allowed);
            Assert.Equal(Field(body, "actions.selfServiceUnlock.access") == "ALLOW", rule.UnlockAllowed);
            var requirement = body["actions"]!["selfServicePasswordReset"]!["requirement"];
            if (requirement is null)
            {
                Assert.Null(rule.PasswordReset.Requirement);
                continue;
            }

            var read = Assert.IsType<OktaRecoveryRequirement>(rule.PasswordReset.Requirement);
            Assert.Equal(Field(requirement, "accessControl"), read.AccessControl);
            Assert.Equal(Strings(requirement["primary"]?["methods"]), read.PrimaryMethods);
            Assert.Equal(requirement["stepUp"]?["required"]?.GetValue<bool>() ?? false, read.StepUpRequired);
            Assert.Equal(Strings(requirement["stepUp"]?["methods"]), read.StepUpMethods);
        }
    }

    [Fact]
    public async Task AClassicEngineRuleHasNoRequirementAndDeniesUnlock()
    {
        var fixture = ContractFixture.Load("listPolicyRules/password-classic-legacy-rule.200.json");

        var result = await context.ReplayAsync(fixture, client => client.ListPasswordPolicyRulesAsync("00plmpDXfWU34nb280g3"));

        var rule = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok>(result).Value);
        Assert.Equal(new OktaSelfServiceReset(Allowed: true, Requirement: null), rule.PasswordReset);
        Assert.False(rule.UnlockAllowed);
    }

    [Fact]
    public async Task AnAccountManagementPolicyRuleSaysTheAuthenticationPolicyDecides()
    {
        var fixture = ContractFixture.Load("listPolicyRules/password-sspr-account-management-policy.200.json");

        var result = await context.ReplayAsync(fixture, client => client.ListPasswordPolicyRulesAsync("00plrilJ7jZ66Gn0X0g3"));

        var requirement = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok>(result).Value).PasswordReset.Requirement!;
        Assert.True(requirement.DecidedByAuthenticationPolicy);
        Assert.Equal(["sms", "email"], requirement.PrimaryMethods);
        Assert.False(requirement.StepUpRequired);
    }

    [Fact]
    public async Task ASecurityQuestionStepUpRuleRequiresASecondCheck()
    {
        var fixture = ContractFixture.Load("listPolicyRules/password-sspr-security-question-step-up.200.json");

        var result = await context.ReplayAsync(fixture, client => client.ListPasswordPolicyRulesAsync("00plrilJ7jZ66Gn0X0g3"));

        var requirement = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok>(result).Value).PasswordReset.Requirement!;
        Assert.False(requirement.DecidedByAuthenticationPolicy);
        Assert.Equal(["push", "sms"], requirement.PrimaryMethods);
        Assert.True(requirement.StepUpRequired);
        Assert.Equal(["security_question"], requirement.StepUpMethods);
    }

    /// <summary>The classic docs wrote method names upper-case (<c>SMS</c>, <c>PUSH</c>); they are read as the spec's lower-case enum.</summary>
    [Fact]
    public async Task UpperCaseClassicMethodNamesAreReadAsTheSpecsLowerCase()
    {
        var fixture = ContractFixture.Load("listPolicyRules/password.200.json");
        var body = fixture.Response.Body!.DeepClone().AsArray();
        body[0]!["actions"]!["selfServicePasswordReset"]!["requirement"]!["primary"]!["methods"] = new JsonArray("SMS", "VOICE", "PUSH");

        var result = await context.ServeAsync(fixture.Response.ToStub() with { Body = body.ToJsonString() }, client => client.ListPasswordPolicyRulesAsync("00plrilJ7jZ66Gn0X0g3"));

        var requirement = Assert.Single(Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok>(result).Value).PasswordReset.Requirement!;
        Assert.Equal(["sms", "voice", "push"], requirement.PrimaryMethods);
    }

    [Theory]
    [MemberData(nameof(ListUserGroupsFixtures))]
    public async Task ListUserGroupsFixtureReplaysEveryGroupId(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        UnderstoodBy(request);

        var result = await context.ReplayAsync(fixture, client => client.ListUserGroupsAsync(request.Segment(2)));

        RequestMatches(new ExpectedRequest("GET", request.Path, request.Query, Body: null), context.Stub.SingleRequest());
        var groups = Assert.IsType<OktaResult<IReadOnlyList<OktaGroup>>.Ok>(result).Value;
        Assert.Equal(fixture.Response.Body!.AsArray().Select(g => new OktaGroup(Field(g, "id")!, Field(g, "profile.name"))), groups);
    }

    private static int Count(JsonNode complexity, string name, int schemaDefault) =>
        complexity[name] is { } value ? value.GetValue<int>() : schemaDefault;

    private static string[] Strings(JsonNode? array) =>
        array?.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()).ToArray() ?? [];
}
