namespace MfaReset.Okta;

/// <summary>
/// An Okta password policy (<c>GET /api/v1/policies?type=PASSWORD</c>): who it applies to, its complexity and
/// history settings, and the Classic Engine recovery factors (<c>settings.recovery.factors</c>).
/// </summary>
/// <param name="Id">The policy id (the spec's examples use the placeholder <c>policyId</c>).</param>
/// <param name="Name">The policy's name.</param>
/// <param name="Active"><c>status</c> is <c>ACTIVE</c>; inactive policies apply to nobody.</param>
/// <param name="Priority">Lower applies first; the default policy (<c>system: true</c>) comes last.</param>
/// <param name="System">The org's default policy.</param>
/// <param name="IncludedGroupIds"><c>conditions.people.groups.include</c>; empty when the policy names no groups (it then applies to everyone).</param>
/// <param name="AuthProvider"><c>conditions.authProvider.provider</c> (<c>OKTA</c>, <c>ACTIVE_DIRECTORY</c>, <c>LDAP</c>, <c>ANY</c>), if given.</param>
/// <param name="Complexity">The complexity and history settings.</param>
/// <param name="RecoveryFactors">The <c>settings.recovery.factors</c> whose status is <c>ACTIVE</c> (<c>okta_sms</c>, <c>okta_call</c>, <c>okta_email</c>, <c>recovery_question</c>).</param>
public sealed record OktaPasswordPolicy(
    string Id,
    string Name,
    bool Active,
    int Priority,
    bool System,
    IReadOnlyList<string> IncludedGroupIds,
    string? AuthProvider,
    OktaPasswordComplexity Complexity,
    IReadOnlyList<string> RecoveryFactors)
{
    /// <summary>
    /// <c>settings.password.age.minAgeMinutes</c> (0: none): Okta refuses a new password set with <c>strict=true</c>
    /// (as the portal sets it) until this long after the last change.
    /// </summary>
    public TimeSpan MinimumAge { get; init; }
}

/// <summary><c>settings.password.complexity</c> and <c>age.historyCount</c>, with the spec's defaults where a value is absent or null.</summary>
public sealed record OktaPasswordComplexity(
    int MinLength,
    int MinLowerCase,
    int MinUpperCase,
    int MinNumber,
    int MinSymbol,
    bool ExcludeUsername,
    IReadOnlyList<string> ExcludeAttributes,
    bool ExcludeCommonPasswords,
    int HistoryCount)
{
    /// <summary>The schema's defaults (minLength 8, one of each class but symbols, username excluded, no history).</summary>
    public static OktaPasswordComplexity Default { get; } = new(8, 1, 1, 1, 1, true, [], false, 0);
}

/// <summary>A password policy rule (<c>GET /api/v1/policies/{id}/rules</c>).</summary>
/// <param name="Id">The rule id.</param>
/// <param name="Name">The rule's name.</param>
/// <param name="Active"><c>status</c> is <c>ACTIVE</c>.</param>
/// <param name="Priority">Lower applies first.</param>
/// <param name="ExcludedUserIds"><c>conditions.people.users.exclude</c>.</param>
/// <param name="PasswordReset"><c>actions.selfServicePasswordReset</c>.</param>
/// <param name="UnlockAllowed"><c>actions.selfServiceUnlock.access</c> is <c>ALLOW</c>.</param>
public sealed record OktaPasswordPolicyRule(
    string Id,
    string Name,
    bool Active,
    int Priority,
    IReadOnlyList<string> ExcludedUserIds,
    OktaSelfServiceReset PasswordReset,
    bool UnlockAllowed)
{
    /// <summary><c>conditions.network</c>.</summary>
    public OktaNetworkCondition Network { get; init; } = OktaNetworkCondition.Anywhere;
}

/// <summary>
/// <c>actions.selfServicePasswordReset</c>. Without a <c>requirement</c> (Classic Engine) the recovery
/// factors come from the policy's settings.
/// </summary>
/// <param name="Allowed"><c>access</c> is <c>ALLOW</c>.</param>
/// <param name="Requirement"><c>requirement</c>, when the rule has one (Identity Engine).</param>
public sealed record OktaSelfServiceReset(bool Allowed, OktaRecoveryRequirement? Requirement);

/// <summary>
/// <c>requirement</c>: the methods that may start recovery and the second check. Method names are kept
/// lower-case: the spec's enum is lower-case (<c>sms</c>, <c>voice</c>, <c>push</c>, <c>otp</c>, <c>email</c>,
/// <c>security_question</c>), the classic docs wrote them upper-case.
/// </summary>
/// <param name="AccessControl"><c>accessControl</c>: <c>LEGACY</c> (this rule decides, also when absent) or <c>AUTH_POLICY</c> (Okta's account management policy decides).</param>
/// <param name="PrimaryMethods"><c>primary.methods</c>.</param>
/// <param name="StepUpRequired"><c>stepUp.required</c>.</param>
/// <param name="StepUpMethods"><c>stepUp.methods</c>.</param>
public sealed record OktaRecoveryRequirement(string? AccessControl, IReadOnlyList<string> PrimaryMethods, bool StepUpRequired, IReadOnlyList<string> StepUpMethods)
{
    /// <summary>
    /// <c>primary.methodConstraints</c>: per method, the authenticator keys (<c>google_otp</c>, ...) it is limited to.
    /// The spec: "Method <c>otp</c> requires a constraint limiting it to a Google authenticator".
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MethodConstraints { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary><c>accessControl: AUTH_POLICY</c>.</summary>
    public bool DecidedByAuthenticationPolicy => string.Equals(AccessControl, "AUTH_POLICY", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A rule's <c>conditions.network</c>: <c>ANYWHERE</c> (or absent), or <c>ZONE</c> with the zone ids it includes or
/// excludes; the rule applies only to a request whose address the zones place accordingly.
/// </summary>
public sealed record OktaNetworkCondition(bool ByZone, IReadOnlyList<string> IncludedZoneIds, IReadOnlyList<string> ExcludedZoneIds)
{
    /// <summary>No network condition: anywhere.</summary>
    public static OktaNetworkCondition Anywhere { get; } = new(false, [], []);
}

/// <summary>
/// A network zone (<c>GET /api/v1/zones</c>). <paramref name="Gateways"/> are an <c>IP</c> zone's addresses
/// (<c>CIDR</c> or <c>RANGE</c>, as Okta writes them); a <c>DYNAMIC</c> or <c>DYNAMIC_V2</c> zone (locations,
/// ASNs, anonymizers) has none and cannot be evaluated from an address alone.
/// </summary>
public sealed record OktaNetworkZone(string Id, string Type, bool Active, IReadOnlyList<OktaZoneAddress> Gateways);

/// <summary>One gateway entry: <c>CIDR</c> (<c>1.2.3.4/24</c>) or <c>RANGE</c> (<c>3.3.4.5-3.3.4.15</c>, or one address).</summary>
public sealed record OktaZoneAddress(string Type, string Value);

/// <summary>A group the user belongs to (<c>GET /api/v1/users/{id}/groups</c>), or one of the org's (<c>GET /api/v1/groups</c>).</summary>
public sealed record OktaGroup(string Id, string? Name)
{
    /// <summary><c>OKTA_GROUP</c>, <c>APP_GROUP</c> or <c>BUILT_IN</c> (Everyone), when Okta gives it.</summary>
    public string? Type { get; init; }
}
