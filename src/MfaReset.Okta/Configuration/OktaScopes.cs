namespace MfaReset.Okta;

/// <summary>The Okta OAuth scopes the client's operations need (shared/okta-contract reference/oauth-scopes.json).</summary>
public static class OktaScopes
{
    /// <summary>Users, their factors, groups and push transactions: getUser, listFactors, getFactorTransactionStatus, listUserGroups.</summary>
    public const string UsersRead = "okta.users.read";

    /// <summary>Challenges and verifications, the password change, unlock, sessions: verifyFactor, updateUser, unlockUser, revokeUserSessions.</summary>
    public const string UsersManage = "okta.users.manage";

    /// <summary>Admin roles: listAssignedRolesForUser, listUsersWithRoleAssignments, listGroupAssignedRoles.</summary>
    public const string RolesRead = "okta.roles.read";

    /// <summary>The org's groups and their members, read for the list of administrators: listGroups, listGroupUsers.</summary>
    public const string GroupsRead = "okta.groups.read";

    /// <summary>The org's password policies and their rules: listPolicies, listPolicyRules.</summary>
    public const string PoliciesRead = "okta.policies.read";

    /// <summary>The org's network zones, which password policy rules may name: listNetworkZones.</summary>
    public const string NetworkZonesRead = "okta.networkZones.read";

    /// <summary>Exactly the scopes of the operations the client calls, in ordinal order: the default of <see cref="OktaOptions.Scopes"/>.</summary>
    public static IReadOnlyList<string> Needed { get; } =
        [.. OktaOperation.All.Select(operation => operation.Scope).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
