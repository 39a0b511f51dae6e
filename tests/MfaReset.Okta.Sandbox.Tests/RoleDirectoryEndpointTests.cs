using System.Net;
using System.Text.Json;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// The org-wide reads behind a list of administrators, in Okta's shapes: <c>listUsersWithRoleAssignments</c>
/// (the spec's <c>RoleAssignedUsers</c>: <c>value</c> and <c>_links.next</c>), <c>listGroups</c>,
/// <c>listGroupAssignedRoles</c> and <c>listGroupUsers</c> (arrays, the next page in a <c>Link</c> header), with
/// Okta's cursor paging.
/// </summary>
public sealed class RoleDirectoryEndpointTests
{
    [Fact]
    public async Task RoleAssigneesListTheUsersHoldingARoleThemselvesInTheSpecsShape()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync("api/v1/iam/assignees/users", TestContext.Current.CancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ada = Assert.Single(body.RootElement.GetProperty("value").EnumerateArray());
        Assert.Equal(sandbox.UserId(Demo.Ada), ada.GetProperty("id").GetString());
        Assert.EndsWith(":users:" + sandbox.UserId(Demo.Ada), ada.GetProperty("orn").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"/api/v1/users/{sandbox.UserId(Demo.Ada)}/roles", ada.GetProperty("_links").GetProperty("roles").GetProperty("href").GetString(), StringComparison.Ordinal);
        Assert.False(body.RootElement.GetProperty("_links").TryGetProperty("next", out _));
        Assert.Equal(1, sandbox.Control.GetCallCounts().ByOperation[OktaOperations.ListUsersWithRoleAssignments]);
    }

    [Fact]
    public async Task GroupsArePagedWithALinkHeaderWhoseCursorReadsTheRest()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var first = await sandbox.Http.GetAsync("api/v1/groups?limit=2", TestContext.Current.CancellationToken);
        var next = Assert.Single(first.Headers.GetValues("Link")).Split(", ").Single(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal));
        var nextUrl = next[1..next.IndexOf('>', StringComparison.Ordinal)];
        using var second = await sandbox.Http.GetAsync(nextUrl, TestContext.Current.CancellationToken);

        var ids = (await IdsAsync(first)).Concat(await IdsAsync(second)).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids.Distinct(), ids);
        Assert.DoesNotContain("rel=\"next\"", Assert.Single(second.Headers.GetValues("Link")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHelpDeskAdminsGroupHoldsARoleAndListsGusAsItsMember()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var groups = await sandbox.Http.GetAsync("api/v1/groups", TestContext.Current.CancellationToken);
        using var list = JsonDocument.Parse(await groups.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var holding = new List<string>();
        foreach (var group in list.RootElement.EnumerateArray())
        {
            using var roles = await sandbox.Http.GetAsync($"api/v1/groups/{group.GetProperty("id").GetString()}/roles", TestContext.Current.CancellationToken);
            using var assigned = JsonDocument.Parse(await roles.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            if (assigned.RootElement.GetArrayLength() > 0)
            {
                Assert.Equal("GROUP", assigned.RootElement[0].GetProperty("assignmentType").GetString());
                holding.Add(group.GetProperty("id").GetString()!);
            }
        }

        using var members = await sandbox.Http.GetAsync($"api/v1/groups/{Assert.Single(holding)}/users", TestContext.Current.CancellationToken);

        Assert.Equal([sandbox.UserId(Demo.Gus)], await IdsAsync(members));
        Assert.Equal("BUILT_IN", list.RootElement.EnumerateArray().Single(g => g.GetProperty("profile").GetProperty("name").GetString() == "Everyone").GetProperty("type").GetString());
    }

    [Fact]
    public async Task GusOwnRolesShowTheRoleHisGroupHolds()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Gus)}/roles", TestContext.Current.CancellationToken);
        using var roles = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var role = Assert.Single(roles.RootElement.EnumerateArray());
        Assert.Equal(("HELP_DESK_ADMIN", "GROUP"), (role.GetProperty("type").GetString(), role.GetProperty("assignmentType").GetString()));
    }

    [Fact]
    public async Task AnUnknownGroupIsOktasNotFound()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync("api/v1/groups/00gnosuchgroup000001/users", TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 404, "E0000007");
    }

    private static async Task<IReadOnlyList<string>> IdsAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }
}
