using MfaReset.Okta;
using MfaReset.Web.Preflight;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Preflight;

/// <summary>The preflight's reading of Okta's answers, without HTTP: the rules it fails closed on, and what is unreachable.</summary>
public sealed class OktaPreflightTests
{
    private readonly FakeOktaClient _okta = new();

    [Fact]
    public async Task AnActiveRuleDecidedByTheAuthenticationPolicyIsNamedAsFailingClosed()
    {
        _okta.Policies.Add(FakeOktaClient.PolicyFor(["00g1"], AuthPolicyRule("Contractors"), priority: 0));

        var report = await new OktaPreflight(_okta).RunAsync(CancellationToken.None);

        var line = Assert.Single(report.Lines, line => line.Verdict == PreflightVerdict.FailsClosed);
        Assert.Equal("listPolicyRules", line.Operation);
        Assert.Contains("rule \"Contractors\"", line.Detail, StringComparison.Ordinal);
        Assert.Contains("AUTH_POLICY", line.Detail, StringComparison.Ordinal);
        Assert.False(report.AllFine);
    }

    [Fact]
    public async Task AnInactiveRuleDecidedByTheAuthenticationPolicyIsNoProblem()
    {
        _okta.Policies.Add(FakeOktaClient.PolicyFor(["00g1"], AuthPolicyRule("Contractors") with { Active = false }, priority: 0));

        var report = await new OktaPreflight(_okta).RunAsync(CancellationToken.None);

        Assert.True(report.AllFine);
    }

    [Fact]
    public async Task ARateLimitedReadIsUnreachableNotAMissingGrant()
    {
        _okta.NextPolicies.Enqueue(new OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Throttled(FakeOktaClient.Error(429, "E0000047")));

        var report = await new OktaPreflight(_okta).RunAsync(CancellationToken.None);

        var line = Assert.Single(report.Lines, line => line.Operation == "listPolicies");
        Assert.Equal(PreflightVerdict.Unreachable, line.Verdict);
        Assert.DoesNotContain(report.Lines, line => line.Operation == "listPolicyRules");
    }

    [Fact]
    public void NoAccessTokenPointsAtTheServiceAppsRegistration()
    {
        var line = OktaPreflight.Classify("getUser", OktaScopes.UsersRead,
            new OktaResult<OktaUser>.Unavailable(new OktaUnavailable(OktaUnavailableKind.NoAccessToken, RequestMayHaveReachedOkta: false)));

        Assert.Equal(PreflightVerdict.Unreachable, line.Verdict);
        Assert.StartsWith("no access token", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAMadeUpUserIsAskedFor()
    {
        _okta.AddUser("sam.sms@example.com");

        var report = await new OktaPreflight(_okta).RunAsync(CancellationToken.None);

        Assert.True(report.AllFine);
        Assert.Equal(1, _okta.CountOf(nameof(IOktaClient.GetUserAsync)));
        Assert.Equal(0, _okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
        Assert.Equal(0, _okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task ARuleByZoneWhoseZonesCannotBeReadIsNamedAsFailingClosedWithTheMissingScope()
    {
        _okta.Policies.Add(FakeOktaClient.PolicyFor(["00g1"], ZonedRule("Office only", "nzo1"), priority: 0));
        _okta.ZonesUnreadable = true;

        var report = await new OktaPreflight(_okta).RunAsync(CancellationToken.None);

        Assert.Contains(report.Lines, line => line.Operation == "listNetworkZones" && line.Verdict != PreflightVerdict.Fine && line.Verdict != PreflightVerdict.FailsClosed);
        var closed = Assert.Single(report.Lines, line => line.Verdict == PreflightVerdict.FailsClosed);
        Assert.Contains("rule \"Office only\"", closed.Detail, StringComparison.Ordinal);
        Assert.False(report.AllFine);
    }

    [Fact]
    public async Task ARuleNamingADynamicZoneIsNamedAsFailingClosedAndAnIpZoneIsFine()
    {
        _okta.Policies.Add(FakeOktaClient.PolicyFor(["00g1"], ZonedRule("By country", "nzodynamic"), priority: 0));
        _okta.Policies.Add(FakeOktaClient.PolicyFor(["00g2"], ZonedRule("Office only", "nzoip"), priority: 1));
        _okta.Zones.Add(new OktaNetworkZone("nzodynamic", "DYNAMIC", true, []));
        _okta.Zones.Add(new OktaNetworkZone("nzoip", "IP", true, [new OktaZoneAddress("CIDR", "10.0.0.0/8")]));

        var report = await new OktaPreflight(_okta).RunAsync(CancellationToken.None);

        Assert.Contains(report.Lines, line => line.Operation == "listNetworkZones" && line.Verdict == PreflightVerdict.Fine);
        var closed = Assert.Single(report.Lines, line => line.Verdict == PreflightVerdict.FailsClosed);
        Assert.Contains("rule \"By country\"", closed.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _okta.CountOf(nameof(IOktaClient.ListNetworkZonesAsync)));
    }

    [Fact]
    public async Task NoRuleByZoneReadsNoZones()
    {
        _okta.Policies.Add(FakeOktaClient.PolicyFor(["00g1"], FakeOktaClient.Rule("Anywhere", allowed: true, ["sms"]), priority: 0));

        var report = await new OktaPreflight(_okta).RunAsync(CancellationToken.None);

        Assert.True(report.AllFine);
        Assert.Equal(0, _okta.CountOf(nameof(IOktaClient.ListNetworkZonesAsync)));
    }

    private static OktaPasswordPolicyRule ZonedRule(string name, string zoneId) =>
        FakeOktaClient.Rule(name, allowed: true, ["sms"]) with { Network = new OktaNetworkCondition(true, [zoneId], []) };

    private static OktaPasswordPolicyRule AuthPolicyRule(string name) =>
        FakeOktaClient.Rule(name, allowed: true, ["sms"]) with
        {
            PasswordReset = new OktaSelfServiceReset(true, new OktaRecoveryRequirement("AUTH_POLICY", ["sms"], false, [])),
        };
}
