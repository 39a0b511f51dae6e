namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// The sandbox org's groups and the administrator roles some of them hold (<c>GET /api/v1/groups</c>,
/// <c>GET /api/v1/groups/{id}/roles</c>): a member of such a group is an administrator through the group,
/// as in Okta, without a role of their own.
/// </summary>
internal static class AdminGroups
{
    public const string HelpDeskAdminsGroupId = "00gsandboxhdadmins01";

    /// <summary>Every group of the org, in id order (Okta's paging order), with its type and the roles it holds.</summary>
    public static readonly IReadOnlyList<OrgGroup> All =
    [
        new(RecoveryPolicies.EveryoneGroupId, "Everyone", "BUILT_IN", []),
        new(HelpDeskAdminsGroupId, "Help desk administrators", "OKTA_GROUP", ["HELP_DESK_ADMIN"]),
        new(RecoveryPolicies.HelpDeskGroupId, "Password resets by the help desk", "OKTA_GROUP", []),
    ];

    public static OrgGroup? Find(string groupId) => All.FirstOrDefault(g => string.Equals(g.Id, groupId, StringComparison.Ordinal));
}

/// <summary>A group: its id, name, type and the administrator role types assigned to it.</summary>
internal sealed record OrgGroup(string Id, string Name, string Type, IReadOnlyList<string> Roles);
