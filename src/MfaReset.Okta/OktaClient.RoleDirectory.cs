using System.Text.Json.Serialization.Metadata;
using Flurl;
using MfaReset.Okta.Wire;

namespace MfaReset.Okta;

/// <summary>The org-wide role and group reads (<see cref="IOktaRoleDirectory"/>), 200 entries a page.</summary>
internal sealed partial class OktaClient : IOktaRoleDirectory
{
    private const int PageSize = 200;

    public Task<OktaResult<OktaPage<string>>> ListRoleAssigneesAsync(string? after, CancellationToken cancellationToken = default) =>
        ReadAsync(
            OktaOperation.ListRoleAssignees,
            Get(Paged(new Url(_flurl.BaseUrl).AppendPathSegments("api", "v1", "iam", "assignees", "users"), after, limit: 100)),
            OktaJsonContext.Default.RoleAssignedUsersWire,
            WireMapping.ToRoleAssignees,
            cancellationToken);

    public Task<OktaResult<OktaPage<OktaGroup>>> ListGroupsAsync(string? after, CancellationToken cancellationToken = default) =>
        ReadPageAsync(OktaOperation.ListGroups, Get(Paged(Api("groups"), after, PageSize)), OktaJsonContext.Default.IReadOnlyListGroupWire, WireMapping.ToGroups, cancellationToken);

    public Task<OktaResult<IReadOnlyList<OktaRole>>> ListGroupRolesAsync(string groupId, CancellationToken cancellationToken = default) =>
        ReadAsync(OktaOperation.ListGroupRoles, Get(Group(groupId, "roles")), OktaJsonContext.Default.IReadOnlyListRoleWire, WireMapping.ToRoles, cancellationToken);

    public Task<OktaResult<OktaPage<string>>> ListGroupMemberIdsAsync(string groupId, string? after, CancellationToken cancellationToken = default) =>
        ReadPageAsync(OktaOperation.ListGroupUsers, Get(Paged(Group(groupId, "users"), after, PageSize)), OktaJsonContext.Default.IReadOnlyListIdWire, WireMapping.ToIds, cancellationToken);

    /// <summary>A list whose next page is named by the answer's <c>Link</c> header.</summary>
    private async Task<OktaResult<OktaPage<T>>> ReadPageAsync<TWire, T>(
        OktaOperation operation,
        OktaRequest request,
        JsonTypeInfo<TWire> wireType,
        Func<TWire, IReadOnlyList<T>?> map,
        CancellationToken cancellationToken)
    {
        var reply = await SendAsync(operation, resilience.Idempotent, request, cancellationToken).ConfigureAwait(false);
        if (reply is OktaReply.Answer { Error: null } answer)
        {
            return Deserialize(answer, wireType) is { } wire && map(wire) is { } items
                ? new OktaResult<OktaPage<T>>.Ok(new OktaPage<T>(items, answer.NextAfter))
                : new OktaResult<OktaPage<T>>.Failed(Unreadable(operation, answer));
        }

        return ToReadFailure<OktaPage<T>>(reply);
    }

    private static Url Paged(Url url, string? after, int limit)
    {
        var paged = url.SetQueryParam("limit", limit);
        return after is null ? paged : paged.SetQueryParam("after", after);
    }

    private Url Group(string groupId, string below) => Api("groups").AppendPathSegment(Segment(groupId), fullyEncode: true).AppendPathSegment(below);
}
