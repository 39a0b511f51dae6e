using System.Net;
using System.Text.Json;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// The demo org's password policies and rules, in the spec's shapes: a "Help desk resets" policy (priority 1)
/// whose rule denies self-service reset and unlock, for the members of its group (Hal), and the default policy
/// (priority 2, everyone) whose rule lets SMS, voice, Okta Verify push and codes start a reset.
/// </summary>
public sealed class RecoveryPolicyTests
{
    [Fact]
    public async Task PasswordPoliciesAreListedInPriorityOrderWithGroupsComplexityAndRecoveryFactors()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync("api/v1/policies?type=PASSWORD", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var policies = body.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["Help desk resets", "Default Policy"], policies.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([1, 2], policies.Select(p => p.GetProperty("priority").GetInt32()));
        Assert.Equal([false, true], policies.Select(p => p.GetProperty("system").GetBoolean()));
        Assert.All(policies, p => Assert.Equal("PASSWORD", p.GetProperty("type").GetString()));
        var complexity = policies[1].GetProperty("settings").GetProperty("password").GetProperty("complexity");
        Assert.Equal(8, complexity.GetProperty("minLength").GetInt32());
        Assert.True(complexity.GetProperty("excludeUsername").GetBoolean());
        Assert.Equal(4, policies[1].GetProperty("settings").GetProperty("password").GetProperty("age").GetProperty("historyCount").GetInt32());
        Assert.StartsWith(sandbox.OrgUrl, policies[1].GetProperty("_links").GetProperty("rules").GetProperty("href").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultRuleAllowsResetWithPhoneAndAppMethodsAndTheHelpDeskRuleDeniesIt()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var list = JsonDocument.Parse(await sandbox.Http.GetStringAsync("api/v1/policies?type=PASSWORD", TestContext.Current.CancellationToken));
        var ids = list.RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();

        using var helpDesk = JsonDocument.Parse(await sandbox.Http.GetStringAsync($"api/v1/policies/{ids[0]}/rules", TestContext.Current.CancellationToken));
        using var standard = JsonDocument.Parse(await sandbox.Http.GetStringAsync($"api/v1/policies/{ids[1]}/rules", TestContext.Current.CancellationToken));

        var denied = helpDesk.RootElement.EnumerateArray().Single().GetProperty("actions");
        Assert.Equal("DENY", denied.GetProperty("selfServicePasswordReset").GetProperty("access").GetString());
        Assert.Equal("DENY", denied.GetProperty("selfServiceUnlock").GetProperty("access").GetString());
        var allowed = standard.RootElement.EnumerateArray().Single().GetProperty("actions").GetProperty("selfServicePasswordReset");
        Assert.Equal("ALLOW", allowed.GetProperty("access").GetString());
        Assert.Equal(["sms", "voice", "push", "otp", "email"], allowed.GetProperty("requirement").GetProperty("primary").GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.False(allowed.GetProperty("requirement").GetProperty("stepUp").GetProperty("required").GetBoolean());
        var otp = Assert.Single(allowed.GetProperty("requirement").GetProperty("primary").GetProperty("methodConstraints").EnumerateArray());
        Assert.Equal("otp", otp.GetProperty("method").GetString());
        Assert.Equal(["google_otp"], otp.GetProperty("allowedAuthenticators").EnumerateArray().Select(a => a.GetProperty("key").GetString()));
        Assert.Equal("LEGACY", allowed.GetProperty("requirement").GetProperty("accessControl").GetString());
    }

    [Fact]
    public async Task EveryoneIsInTheEveryoneGroupAndHalAlsoInTheHelpDeskGroup()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var list = JsonDocument.Parse(await sandbox.Http.GetStringAsync("api/v1/policies?type=PASSWORD", TestContext.Current.CancellationToken));
        var groupOf = list.RootElement.EnumerateArray()
            .Select(p => p.GetProperty("conditions").GetProperty("people").GetProperty("groups").GetProperty("include")[0].GetString()!).ToArray();

        using var hal = JsonDocument.Parse(await sandbox.Http.GetStringAsync($"api/v1/users/{sandbox.UserId(Demo.Hal)}/groups", TestContext.Current.CancellationToken));
        using var sam = JsonDocument.Parse(await sandbox.Http.GetStringAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/groups", TestContext.Current.CancellationToken));

        Assert.Equal([groupOf[1], groupOf[0]], hal.RootElement.EnumerateArray().Select(g => g.GetProperty("id").GetString()));
        Assert.Equal([groupOf[1]], sam.RootElement.EnumerateArray().Select(g => g.GetProperty("id").GetString()));
    }

    /// <summary>Okta's paging: <c>limit</c> items per page, a <c>rel="self"</c> link, and a <c>rel="next"</c> link with the <c>after</c> cursor until the last page.</summary>
    [Fact]
    public async Task PolicyListsArePagedWithLimitAfterAndNextLinksLikeOkta()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var first = await sandbox.Http.GetAsync("api/v1/policies?type=PASSWORD&limit=1", TestContext.Current.CancellationToken);
        var links = first.Headers.GetValues("Link").ToArray();
        var next = links.Single(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal));
        var nextUrl = next[1..next.IndexOf('>', StringComparison.Ordinal)];
        using var second = await sandbox.Http.GetAsync(new Uri(nextUrl), TestContext.Current.CancellationToken);

        using var firstBody = JsonDocument.Parse(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var secondBody = JsonDocument.Parse(await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Help desk resets", Assert.Single(firstBody.RootElement.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("Default Policy", Assert.Single(secondBody.RootElement.EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains(links, l => l == $"<{sandbox.OrgUrl}/api/v1/policies?type=PASSWORD&limit=1>; rel=\"self\"");
        Assert.StartsWith($"{sandbox.OrgUrl}/api/v1/policies?type=PASSWORD&limit=1&after=", nextUrl, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Headers.GetValues("Link"), l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RulesOfAPolicyTheOrgDoesNotHaveAre404AndAListWithoutATypeIs400()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var rules = await sandbox.Http.GetAsync("api/v1/policies/00pnosuchpolicy00001/rules", TestContext.Current.CancellationToken);
        using var untyped = await sandbox.Http.GetAsync("api/v1/policies", TestContext.Current.CancellationToken);
        using var groupsOfNobody = await sandbox.Http.GetAsync("api/v1/users/00unosuchuser0000001/groups", TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(rules, 404, "E0000007");
        await TestSandbox.AssertErrorAsync(untyped, 400, "E0000001");
        await TestSandbox.AssertErrorAsync(groupsOfNobody, 404, "E0000007");
    }
}
