using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Policy and rule lists are paged by Okta (<c>Link: rel="next"</c>, <c>limit</c>/<c>after</c>); the default
/// policy is listed last, so a client reading only the first page loses it first. Lists are followed to their
/// end, only on their own address, and within <see cref="OktaPaging.MaxPages"/> pages.
/// </summary>
public sealed class PagingTests
{
    private const string Org = "https://example.okta.com";
    private const string Policies = "/api/v1/policies?type=PASSWORD";

    [Fact]
    public async Task EveryPageOfTheSandboxsPolicyListIsReadSoTheDefaultPolicyListedLastIsNotLost()
    {
        var clock = new TestClock();
        await using var sandbox = await OktaSandbox.StartAsync(new SandboxOptions { Policy = { ListPageSize = 1 } }, clock, TestContext.Current.CancellationToken);
        await using var host = ClientHost.Create(sandbox.BaseUrl, clock, apiToken: sandbox.ApiToken);
        sandbox.Control.ResetCallCounts();

        var policies = Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok>(await host.Client.ListPasswordPoliciesAsync(TestContext.Current.CancellationToken)).Value;
        var rules = Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok>(await host.Client.ListPasswordPolicyRulesAsync(policies[^1].Id, TestContext.Current.CancellationToken)).Value;

        Assert.Equal(["Help desk resets", "Default Policy"], policies.Select(p => p.Name));
        Assert.True(policies[^1].System);
        Assert.Equal("Default Rule", Assert.Single(rules).Name);
        Assert.Equal(2, sandbox.Control.GetCallCounts().ByOperation[OktaOperations.ListPolicies]);
    }

    [Theory]
    [InlineData("https://evil.example.com/api/v1/policies?type=PASSWORD&after=p1")]
    [InlineData("https://example.okta.com/api/v1/users?after=p1")]
    [InlineData("http://example.okta.com/api/v1/policies?type=PASSWORD&after=p1")]
    public async Task ANextLinkAwayFromTheListsOwnAddressIsNotFollowedAndTheListFailsClosed(string next)
    {
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri(Org), primaryHandler: okta);

        var result = host.Client.ListPasswordPoliciesAsync(TestContext.Current.CancellationToken);
        (await okta.NextRequestAsync()).Respond(HttpStatusCode.OK, "[]", r => r.Headers.Add("Link", $"<{next}>; rel=\"next\""));

        Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Failed>(await result.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(1, okta.RequestCount);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1112);
    }

    [Fact]
    public async Task AListThatNeverEndsStopsAtTheBoundAndFailsClosed()
    {
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri(Org), primaryHandler: okta);

        var result = host.Client.ListPasswordPoliciesAsync(TestContext.Current.CancellationToken);
        for (var page = 1; page <= OktaPaging.MaxPages; page++)
        {
            var request = await okta.NextRequestAsync();
            request.Respond(HttpStatusCode.OK, "[]", r => r.Headers.Add("Link", [$"<{Org}{Policies}&limit=1>; rel=\"self\"", $"<{Org}{Policies}&limit=1&after=p{page}>; rel=\"next\""]));
        }

        Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Failed>(await result.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(OktaPaging.MaxPages, okta.RequestCount);
    }

    [Fact]
    public async Task NextLinksInOneCommaSeparatedHeaderAreFollowedWithOktasCursor()
    {
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri(Org), primaryHandler: okta);

        var result = host.Client.ListPasswordPoliciesAsync(TestContext.Current.CancellationToken);
        (await okta.NextRequestAsync()).Respond(HttpStatusCode.OK, "[]", r => r.Headers.Add("Link", $"<{Org}{Policies}&limit=1>; rel=\"self\", <{Org}{Policies}&limit=1&after=00p2>; rel=\"next\""));
        var second = await okta.NextRequestAsync();
        second.Respond(HttpStatusCode.OK, "[]");

        Assert.IsType<OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok>(await result.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(new Uri($"{Org}{Policies}&limit=1&after=00p2"), second.Request.RequestUri);
    }

    /// <summary>Issue 22 item 6: <c>GET /api/v1/zones</c> (the spec's <c>IPNetworkZone</c>) read through every page, with the zone's gateways.</summary>
    [Fact]
    public async Task TheSandboxsNetworkZonesAreReadWithTheirGateways()
    {
        var clock = new TestClock();
        await using var sandbox = await OktaSandbox.StartAsync(new SandboxOptions { Policy = { ListPageSize = 1, OfficeZoneGateways = ["10.0.0.0/8", "192.0.2.1-192.0.2.9"] } }, clock, TestContext.Current.CancellationToken);
        await using var host = ClientHost.Create(sandbox.BaseUrl, clock, apiToken: sandbox.ApiToken);

        var zones = Assert.IsType<OktaResult<IReadOnlyList<OktaNetworkZone>>.Ok>(await host.Client.ListNetworkZonesAsync(TestContext.Current.CancellationToken)).Value;

        var office = Assert.Single(zones);
        Assert.Equal(("IP", true), (office.Type, office.Active));
        Assert.Equal([new OktaZoneAddress("CIDR", "10.0.0.0/8"), new OktaZoneAddress("RANGE", "192.0.2.1-192.0.2.9")], office.Gateways);
    }
}
