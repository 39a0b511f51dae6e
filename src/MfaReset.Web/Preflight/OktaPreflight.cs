namespace MfaReset.Web.Preflight;

/// <summary>What one read of the preflight found.</summary>
public enum PreflightVerdict
{
    /// <summary>The read is allowed (a made-up user's 404 counts: Okta looked and found nobody).</summary>
    Fine,

    /// <summary>403 with <c>WWW-Authenticate: ... error="insufficient_scope"</c>: the access token lacks the operation's scope.</summary>
    MissingScope,

    /// <summary>403 <c>E0000006</c>: the admin role behind the service app or the API token does not permit the read.</summary>
    MissingAdminPermission,

    /// <summary>No answer, a 429, no access token, or an error that says neither of the above.</summary>
    Unreachable,

    /// <summary>The read works, but a rule it returned is one the portal fails closed on (the help desk page).</summary>
    FailsClosed,
}

/// <summary>One line of the preflight: the Okta operation, the verdict and what the operator should know.</summary>
public sealed record PreflightLine(string Operation, PreflightVerdict Verdict, string Detail)
{
    public override string ToString() => $"{Operation}: {Label(Verdict)}{(Detail.Length == 0 ? "" : " - " + Detail)}";

    /// <summary>The verdict as the command prints it.</summary>
    public static string Label(PreflightVerdict verdict) => verdict switch
    {
        PreflightVerdict.Fine => "fine",
        PreflightVerdict.MissingScope => "missing scope",
        PreflightVerdict.MissingAdminPermission => "missing admin permission",
        PreflightVerdict.FailsClosed => "fails closed",
        _ => "unreachable",
    };
}

/// <summary>Everything the preflight found, one line per operation (and one per rule the portal fails closed on).</summary>
public sealed record PreflightReport(IReadOnlyList<PreflightLine> Lines)
{
    /// <summary>Every read the portal needs is allowed and no rule makes it fail closed.</summary>
    public bool AllFine => Lines.All(line => line.Verdict == PreflightVerdict.Fine);
}

/// <summary>
/// <c>check-okta</c>'s checks: each read the portal makes, with the configured credentials, classified from Okta's
/// answer. A user read asks for a made-up user id: 404 when the read is allowed, 403 when not, so no real person's
/// record is read. Only reads: nothing is changed in the org and no person's budget is spent.
/// </summary>
public sealed class OktaPreflight(IOktaClient okta)
{
    /// <summary>Shaped like an Okta user id (<c>00u</c> and 17 more), so Okta looks it up rather than refusing its form; no org has it.</summary>
    internal const string MadeUpUserId = "00u0preflight0check0";

    /// <summary>A bound on the policies whose rules are read: orgs have a handful; a runaway list is not followed.</summary>
    internal const int MaxPoliciesRead = 100;

    private const string AuthorizationServerScope = "insufficient_scope";
    private const string AccessDenied = "E0000006";

    public async Task<PreflightReport> RunAsync(CancellationToken cancellationToken)
    {
        var lines = new List<PreflightLine>
        {
            Classify("getUser", OktaScopes.UsersRead, await okta.GetUserAsync(MadeUpUserId, cancellationToken).ConfigureAwait(false)),
            Classify("listFactors", OktaScopes.UsersRead, await okta.ListFactorsAsync(MadeUpUserId, cancellationToken).ConfigureAwait(false)),
            Classify("listAssignedRolesForUser", OktaScopes.RolesRead, await okta.ListAssignedRolesAsync(MadeUpUserId, cancellationToken).ConfigureAwait(false)),
            Classify("listUserGroups", OktaScopes.UsersRead, await okta.ListUserGroupsAsync(MadeUpUserId, cancellationToken).ConfigureAwait(false)),
        };

        var policies = await okta.ListPasswordPoliciesAsync(cancellationToken).ConfigureAwait(false);
        lines.Add(Classify("listPolicies", OktaScopes.PoliciesRead, policies));
        if (policies is OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok { Value: var list })
        {
            lines.AddRange(await CheckRulesAsync(list, cancellationToken).ConfigureAwait(false));
        }

        return new PreflightReport(lines);
    }

    /// <summary>The rules of every active policy: one line for the reads, then one per rule the portal fails closed on.</summary>
    private async Task<IEnumerable<PreflightLine>> CheckRulesAsync(IReadOnlyList<OktaPasswordPolicy> policies, CancellationToken cancellationToken)
    {
        var failClosed = new List<PreflightLine>();
        var zonedRules = new List<(string Policy, OktaPasswordPolicyRule Rule)>();
        var read = 0;
        foreach (var policy in policies.Where(policy => policy.Active).Take(MaxPoliciesRead))
        {
            var rules = await okta.ListPasswordPolicyRulesAsync(policy.Id, cancellationToken).ConfigureAwait(false);
            if (rules is not OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok { Value: var ruleList })
            {
                // The first refusal says what the service app lacks; the other policies would only repeat it.
                return [Classify("listPolicyRules", OktaScopes.PoliciesRead, rules), .. failClosed];
            }

            read++;
            zonedRules.AddRange(ruleList.Where(rule => rule.Active && rule.Network.ByZone).Select(rule => (policy.Name, rule)));
            failClosed.AddRange(ruleList
                .Where(rule => rule.Active && rule.PasswordReset.Requirement is { DecidedByAuthenticationPolicy: true })
                .Select(rule => new PreflightLine("listPolicyRules", PreflightVerdict.FailsClosed,
                    $"rule \"{rule.Name}\" of policy \"{policy.Name}\" has accessControl AUTH_POLICY: Okta's account management policy decides, which the portal does not read, so its people get the help desk page")));
        }

        failClosed.AddRange(await CheckZonesAsync(zonedRules, cancellationToken).ConfigureAwait(false));
        return [new PreflightLine("listPolicyRules", PreflightVerdict.Fine, $"the rules of {read} active password policies read"), .. failClosed];
    }

    /// <summary>
    /// Rules that apply by network zone: the zones must be readable (scope <c>okta.networkZones.read</c>, not a default)
    /// and each named one an <c>IP</c> zone, since the portal judges a rule by the client's address alone; otherwise
    /// the rule's people get the help desk page (fail closed). No rule names a zone: nothing is read.
    /// </summary>
    private async Task<IEnumerable<PreflightLine>> CheckZonesAsync(List<(string Policy, OktaPasswordPolicyRule Rule)> zonedRules, CancellationToken cancellationToken)
    {
        if (zonedRules.Count == 0)
        {
            return [];
        }

        var zones = await okta.ListNetworkZonesAsync(cancellationToken).ConfigureAwait(false);
        if (zones is not OktaResult<IReadOnlyList<OktaNetworkZone>>.Ok { Value: var zoneList })
        {
            return [Classify("listNetworkZones", OktaScopes.NetworkZonesRead, zones),
                .. zonedRules.Select(named => new PreflightLine("listNetworkZones", PreflightVerdict.FailsClosed,
                    $"rule \"{named.Rule.Name}\" of policy \"{named.Policy}\" names network zones the portal cannot read, so its people get the help desk page"))];
        }

        var ipZones = zoneList.Where(zone => zone.Type == "IP").Select(zone => zone.Id).ToHashSet(StringComparer.Ordinal);
        return [new PreflightLine("listNetworkZones", PreflightVerdict.Fine, $"{zoneList.Count} network zones read"),
            .. zonedRules
                .Where(named => named.Rule.Network.IncludedZoneIds.Concat(named.Rule.Network.ExcludedZoneIds).Any(id => !ipZones.Contains(id)))
                .Select(named => new PreflightLine("listNetworkZones", PreflightVerdict.FailsClosed,
                    $"rule \"{named.Rule.Name}\" of policy \"{named.Policy}\" names a zone that is not an IP zone (dynamic or unknown), which an address alone cannot place, so its people get the help desk page"))];
    }

    /// <summary>What Okta's answer to one read says about the configured credentials.</summary>
    internal static PreflightLine Classify<T>(string operation, string scope, OktaResult<T> result) => result switch
    {
        OktaResult<T>.Ok or OktaResult<T>.NotFound => new(operation, PreflightVerdict.Fine, ""),
        OktaResult<T>.Failed { Error: { HttpStatus: 403, ErrorCode: AuthorizationServerScope } } =>
            new(operation, PreflightVerdict.MissingScope, $"grant the service app {scope} and list it in Okta:Scopes"),
        OktaResult<T>.Failed { Error: { HttpStatus: 403, ErrorCode: AccessDenied } } =>
            new(operation, PreflightVerdict.MissingAdminPermission, "the admin role behind the service app or the API token does not permit this read"),
        OktaResult<T>.Failed { Error: var error } => new(operation, PreflightVerdict.Unreachable, $"Okta refused: {error.HttpStatus} {error.ErrorCode ?? "(no code)"}"),
        OktaResult<T>.Throttled => new(operation, PreflightVerdict.Unreachable, "Okta answered 429: the org's rate limit is spent; run the check again later"),
        OktaResult<T>.Unavailable { Reason.Kind: OktaUnavailableKind.NoAccessToken } =>
            new(operation, PreflightVerdict.Unreachable, "no access token: the org's token endpoint refused the service app (its client id, key, granted scopes or DPoP setting)"),
        OktaResult<T>.Unavailable { Reason: var reason } => new(operation, PreflightVerdict.Unreachable, $"no answer from Okta ({reason.Kind})"),
        _ => new(operation, PreflightVerdict.Unreachable, "an answer the check does not know"),
    };
}
