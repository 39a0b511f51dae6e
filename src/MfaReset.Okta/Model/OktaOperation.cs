namespace MfaReset.Okta;

/// <summary>
/// A kind of Okta call: its name in logs, the rate-limit bucket its answers report on, and the OAuth scope
/// an access token needs for it (the spec's <c>security</c> list, shared/okta-contract reference/oauth-scopes.json).
/// </summary>
internal sealed record OktaOperation(string Name, OktaQuotaBucket Bucket, string Scope)
{
    public static readonly OktaOperation GetUser = new("getUser", OktaQuotaBucket.UserLookup, OktaScopes.UsersRead);
    public static readonly OktaOperation ListFactors = new("listFactors", OktaQuotaBucket.Factors, OktaScopes.UsersRead);
    public static readonly OktaOperation Challenge = new("verifyFactor.challenge", OktaQuotaBucket.FactorVerify, OktaScopes.UsersManage);
    public static readonly OktaOperation VerifyPasscode = new("verifyFactor.passcode", OktaQuotaBucket.FactorVerify, OktaScopes.UsersManage);
    public static readonly OktaOperation SendPush = new("verifyFactor.push", OktaQuotaBucket.FactorVerify, OktaScopes.UsersManage);
    public static readonly OktaOperation PollPush = new("getFactorTransactionStatus", OktaQuotaBucket.PushPoll, OktaScopes.UsersRead);
    public static readonly OktaOperation CancelPush = new("cancelFactorTransaction", OktaQuotaBucket.PushPoll, OktaScopes.UsersManage);
    public static readonly OktaOperation SetPassword = new("updateUser.password", OktaQuotaBucket.PasswordUpdate, OktaScopes.UsersManage);
    public static readonly OktaOperation UnlockUser = new("unlockUser", OktaQuotaBucket.Lifecycle, OktaScopes.UsersManage);
    public static readonly OktaOperation ListAssignedRoles = new("listAssignedRolesForUser", OktaQuotaBucket.Roles, OktaScopes.RolesRead);
    public static readonly OktaOperation RevokeSessions = new("revokeUserSessions", OktaQuotaBucket.Sessions, OktaScopes.UsersManage);
    public static readonly OktaOperation ListUserGroups = new("listUserGroups", OktaQuotaBucket.Groups, OktaScopes.UsersRead);
    public static readonly OktaOperation ListPolicies = new("listPolicies", OktaQuotaBucket.Policies, OktaScopes.PoliciesRead);
    public static readonly OktaOperation ListPolicyRules = new("listPolicyRules", OktaQuotaBucket.Policies, OktaScopes.PoliciesRead);
    /// <summary>
    /// Called only for orgs whose password policy rules name network zones, and not in <see cref="All"/>: its scope
    /// is not among the defaults a service app is asked for (an app not granted a requested scope gets no token at
    /// all), so an operator adds <c>okta.networkZones.read</c> to <c>Okta:Scopes</c> for such rules; without it they fail closed.
    /// </summary>
    public static readonly OktaOperation ListNetworkZones = new("listNetworkZones", OktaQuotaBucket.Policies, OktaScopes.NetworkZonesRead);

    public static readonly OktaOperation ListRoleAssignees = new("listUsersWithRoleAssignments", OktaQuotaBucket.Roles, OktaScopes.RolesRead);
    public static readonly OktaOperation ListGroups = new("listGroups", OktaQuotaBucket.Groups, OktaScopes.GroupsRead);
    public static readonly OktaOperation ListGroupRoles = new("listGroupAssignedRoles", OktaQuotaBucket.Roles, OktaScopes.RolesRead);
    public static readonly OktaOperation ListGroupUsers = new("listGroupUsers", OktaQuotaBucket.Groups, OktaScopes.GroupsRead);

    /// <summary>Every operation the client calls.</summary>
    public static readonly IReadOnlyList<OktaOperation> All =
    [
        GetUser, ListFactors, Challenge, VerifyPasscode, SendPush, PollPush, CancelPush,
        SetPassword, UnlockUser, ListAssignedRoles, RevokeSessions, ListUserGroups, ListPolicies, ListPolicyRules,
        ListRoleAssignees, ListGroups, ListGroupRoles, ListGroupUsers,
    ];

    public override string ToString() => Name;
}
