namespace MfaReset.Okta;

/// <summary>
/// The org-wide reads behind the portal's list of administrators: who holds an admin role directly, and
/// which groups hold one with their members. Each call reads one page (Okta's cursor paging); the caller
/// walks the pages. Failures are returned as <see cref="OktaResult{T}"/>, never thrown.
/// </summary>
public interface IOktaRoleDirectory
{
    /// <summary><c>GET /api/v1/iam/assignees/users</c>: users with a role assigned to them, one page from <paramref name="after"/>.</summary>
    Task<OktaResult<OktaPage<string>>> ListRoleAssigneesAsync(string? after, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/groups</c>: the org's groups, one page from <paramref name="after"/>.</summary>
    Task<OktaResult<OktaPage<OktaGroup>>> ListGroupsAsync(string? after, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/groups/{groupId}/roles</c>: the admin roles assigned to a group; empty for most groups.</summary>
    Task<OktaResult<IReadOnlyList<OktaRole>>> ListGroupRolesAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/groups/{groupId}/users</c>: the ids of a group's members, one page from <paramref name="after"/>.</summary>
    Task<OktaResult<OktaPage<string>>> ListGroupMemberIdsAsync(string groupId, string? after, CancellationToken cancellationToken = default);
}

/// <summary>One page of a list, and the cursor of the next page (null on the last).</summary>
public sealed record OktaPage<T>(IReadOnlyList<T> Items, string? After);
