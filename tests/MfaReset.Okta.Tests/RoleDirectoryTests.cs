using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;

namespace MfaReset.Okta.Tests;

/// <summary>
/// The org-wide role and group reads behind the portal's list of administrators: Okta's shapes (the spec's
/// <c>RoleAssignedUsersResponseExample</c>), its cursor paging from a body link or a <c>Link</c> header, and a
/// next link that is never followed as given: only its <c>after</c> cursor is kept.
/// </summary>
public sealed class RoleDirectoryTests(ReplayContext okta) : IClassFixture<ReplayContext>
{
    /// <summary>The spec's example answer of <c>listUsersWithRoleAssignments</c> (okta-management 2026.06.3).</summary>
    private const string SpecExample = """
        {"value":[{"id":"00u118oQYT4TBGuay0g4","orn":"orn:okta:00o5rb5mt2H3d1TJd0h7:users:00u118oQYT4TBGuay0g4",
          "_links":{"self":{"href":"http://your-subdomain.okta.com/api/v1/users/00u118oQYT4TBGuay0g4"},
                    "roles":{"href":"http://your-subdomain.okta.com/api/v1/users/00u118oQYT4TBGuay0g4/roles"}}}],
         "_links":{"next":{"href":"http://your-subdomain.okta.com/api/v1/iam/assignees/users?after=00u118oQYT4TBGuay0g4&limit=1"}}}
        """;

    private IOktaRoleDirectory Directory => (IOktaRoleDirectory)okta.Client;

    [Fact]
    public async Task RoleAssigneesPageReadsTheSpecExampleAndKeepsOnlyTheNextCursor()
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, SpecExample), _ => Directory.ListRoleAssigneesAsync(after: null));

        var page = Assert.IsType<OktaResult<OktaPage<string>>.Ok>(result).Value;
        Assert.Equal(["00u118oQYT4TBGuay0g4"], page.Items);
        Assert.Equal("00u118oQYT4TBGuay0g4", page.After);
        var request = okta.Stub.SingleRequest();
        Assert.Equal("/api/v1/iam/assignees/users", request.RawPath);
        Assert.Equal("100", request.Query["limit"]);
    }

    [Fact]
    public async Task TheNextPageIsAskedOfTheOrgWithTheCursorNeverAtTheLinksOwnHost()
    {
        var elsewhere = SpecExample.Replace("http://your-subdomain.okta.com", "https://attacker.example", StringComparison.Ordinal);
        var first = Assert.IsType<OktaResult<OktaPage<string>>.Ok>(await okta.ServeAsync(StubResponse.Json(200, elsewhere), _ => Directory.ListRoleAssigneesAsync(after: null))).Value;

        await Directory.ListRoleAssigneesAsync(first.After, TestContext.Current.CancellationToken);

        var second = okta.Stub.Requests[^1];
        Assert.Equal("/api/v1/iam/assignees/users", second.RawPath);
        Assert.Equal("00u118oQYT4TBGuay0g4", second.Query["after"]);
    }

    [Fact]
    public async Task LastPageOfRoleAssigneesHasNoCursor()
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, """{"value":[],"_links":{}}"""), _ => Directory.ListRoleAssigneesAsync(after: null));

        var page = Assert.IsType<OktaResult<OktaPage<string>>.Ok>(result).Value;
        Assert.Empty(page.Items);
        Assert.Null(page.After);
    }

    [Theory]
    [InlineData("""{"value":[{"orn":"orn:okta:00o1:users:00u1"}]}""")]
    [InlineData("""{"_links":{}}""")]
    [InlineData("""[{"id":"00u1"}]""")]
    public async Task AnAssigneePageWithoutIdsIsUnreadableNotEmpty(string body)
    {
        var result = await okta.ServeAsync(StubResponse.Json(200, body), _ => Directory.ListRoleAssigneesAsync(after: null));

        Assert.IsType<OktaResult<OktaPage<string>>.Failed>(result);
    }

    [Fact]
    public async Task GroupMembersNextPageComesFromTheLinkHeadersCursor()
    {
        var link = new Dictionary<string, string>
        {
            ["Link"] = "<https://example.okta.com/api/v1/groups/00g1/users?limit=200>; rel=\"self\", <https://example.okta.com/api/v1/groups/00g1/users?after=00u2&limit=200>; rel=\"next\"",
        };

        var result = await okta.ServeAsync(StubResponse.Json(200, """[{"id":"00u1"},{"id":"00u2"}]""", link), _ => Directory.ListGroupMemberIdsAsync("00g1", after: null));

        var page = Assert.IsType<OktaResult<OktaPage<string>>.Ok>(result).Value;
        Assert.Equal(["00u1", "00u2"], page.Items);
        Assert.Equal("00u2", page.After);
        Assert.Equal("/api/v1/groups/00g1/users", okta.Stub.SingleRequest().RawPath);
    }

    [Fact]
    public async Task GroupsWithoutANextLinkAreTheLastPageAndCarryTheirType()
    {
        var link = new Dictionary<string, string> { ["Link"] = "<https://example.okta.com/api/v1/groups?limit=200>; rel=\"self\"" };

        var result = await okta.ServeAsync(
            StubResponse.Json(200, """[{"id":"00g1","type":"BUILT_IN","profile":{"name":"Everyone"}}]""", link),
            _ => Directory.ListGroupsAsync(after: null));

        var page = Assert.IsType<OktaResult<OktaPage<OktaGroup>>.Ok>(result).Value;
        Assert.Null(page.After);
        Assert.Equal("BUILT_IN", Assert.Single(page.Items).Type);
    }

    [Fact]
    public async Task ThrottledGroupRolesAreAThrottledResult()
    {
        var result = await okta.ServeAsync(
            StubResponse.Json(429, """{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oae1","errorCauses":[]}"""),
            _ => Directory.ListGroupRolesAsync("00g1"));

        Assert.IsType<OktaResult<IReadOnlyList<OktaRole>>.Throttled>(result);
    }
}
