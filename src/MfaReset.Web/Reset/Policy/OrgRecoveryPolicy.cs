using MfaReset.Web.Reset.Audit;

namespace MfaReset.Web.Reset.Policy;

/// <summary>What the org's password policy rule lets one person do, as Okta's own recovery would.</summary>
/// <param name="PolicyName">The password policy that applies.</param>
/// <param name="RuleName">Its first rule that applies; null when none does (then no self-service reset).</param>
/// <param name="ResetAllowed"><c>selfServicePasswordReset.access</c> is <c>ALLOW</c>.</param>
/// <param name="UnlockAllowed"><c>selfServiceUnlock.access</c> is <c>ALLOW</c>.</param>
/// <param name="Methods">The portal's method kinds that may start recovery.</param>
/// <param name="SecondCheckRequired">The rule asks for a second check after the first method (Identity Engine <c>stepUp.required</c>).</param>
/// <param name="Complexity">The policy's complexity and history settings.</param>
public sealed record RecoveryRule(
    string PolicyName,
    string? RuleName,
    bool ResetAllowed,
    bool UnlockAllowed,
    IReadOnlySet<FactorKind> Methods,
    bool SecondCheckRequired,
    OktaPasswordComplexity Complexity)
{
    /// <summary>
    /// The methods a second check may use, when <see cref="SecondCheckRequired"/>: null for any other method the person
    /// has (Identity Engine <c>stepUp</c> without methods: "any SSO authenticator"; a Classic Engine policy's active
    /// recovery question, which the portal never asks, replaced by a second method); else the rule's own methods
    /// (<c>stepUp.methods: [security_question]</c>, asked as a second, different one of them).
    /// </summary>
    public IReadOnlySet<FactorKind>? SecondCheckMethods { get; init; }

    /// <summary>
    /// <c>accessControl: AUTH_POLICY</c> without <see cref="ResetOptions.AcceptAuthPolicyRuleMethods"/>: Okta's
    /// account management policy, which the portal does not read, decides; so nothing is allowed here (fail closed).
    /// </summary>
    public bool DeferredToAuthenticationPolicy { get; init; }

    /// <summary>
    /// The first rule that could apply names network zones the portal cannot place the client's address in (zones not
    /// read, a dynamic zone, no address): nothing is allowed (fail closed).
    /// </summary>
    public bool NetworkUnknown { get; init; }

    /// <summary>The policy's <c>age.minAgeMinutes</c>: Okta refuses a new password until this long after the last change.</summary>
    public TimeSpan MinimumAge { get; init; }

    /// <summary>
    /// When the person may set a new password, if not yet: the last change (<paramref name="passwordChanged"/>,
    /// Okta's <c>passwordChanged</c>) plus <see cref="MinimumAge"/>, when that is after <paramref name="now"/>.
    /// </summary>
    public DateTimeOffset? NewPasswordAllowedFrom(DateTimeOffset? passwordChanged, DateTimeOffset now) =>
        MinimumAge > TimeSpan.Zero && passwordChanged + MinimumAge is { } from && from > now ? from : null;

    /// <summary>The rule's complexity as the password page's checklist.</summary>
    public IReadOnlyList<PasswordRule> PasswordRules => PasswordRule.From(Complexity);
}

/// <summary>Reading the rule for a person: the rule, or why it could not be read.</summary>
public abstract record RecoveryRuleReading
{
    private RecoveryRuleReading()
    {
    }

    public sealed record Found(RecoveryRule Rule) : RecoveryRuleReading;

    /// <summary>Okta did not answer usably; <paramref name="Throttled"/> when it rate-limited the portal.</summary>
    public sealed record Unreadable(bool Throttled) : RecoveryRuleReading;
}

/// <summary>
/// The org's password policies and their rules (<c>GET /api/v1/policies?type=PASSWORD</c>, then each active
/// policy's rules), cached for <see cref="ResetOptions.RecoveryPolicyCacheLifetime"/>: policies rarely change,
/// so a reset costs no policy call. Which policy applies to a person needs their groups (one
/// <c>GET /api/v1/users/{id}/groups</c>) only when the first policy that could apply names a group other than
/// Everyone (<see cref="RecoveryPolicyRules.CouldDependOnGroups"/>). A failed read is never cached.
/// </summary>
public sealed class OrgRecoveryPolicy(IOktaClient okta, TimeProvider time, IOptions<ResetOptions> options, ILogger<OrgRecoveryPolicy> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _cached;

    /// <summary>The rule that applies to the Okta user <paramref name="userId"/>, whose password provider is <paramref name="providerType"/>.</summary>
    public async Task<RecoveryRuleReading> ForUserAsync(string userId, string? providerType, string? clientIp, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var snapshot = await SnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.Reading is { } failed)
        {
            return failed;
        }

        // Everyone is in Everyone: without a read that is all that is known of the person's groups.
        var groups = RecoveryPolicyRules.EveryoneGroupIds(snapshot.Policies);
        if (RecoveryPolicyRules.CouldDependOnGroups(snapshot.Policies, providerType))
        {
            switch (await okta.ListUserGroupsAsync(userId, cancellationToken).ConfigureAwait(false))
            {
                case OktaResult<IReadOnlyList<OktaGroup>>.Ok { Value: var list }:
                    groups = list.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
                    break;
                case var other:
                    logger.RecoveryRuleUnreadable("listUserGroups", other.GetType().Name);
                    return new RecoveryRuleReading.Unreadable(other is OktaResult<IReadOnlyList<OktaGroup>>.Throttled);
            }
        }

        return new RecoveryRuleReading.Found(RecoveryPolicyRules.Decide(snapshot.Policies, userId, providerType, groups, OperatorChoices.Of(options.Value), snapshot.Zones, clientIp));
    }

    public void Dispose() => _gate.Dispose();

    private async Task<Snapshot> SnapshotAsync(CancellationToken ct)
    {
        if (Fresh(_cached) is { } fresh)
        {
            return fresh;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Fresh(_cached) is { } refreshed)
            {
                return refreshed;
            }

            var read = await ReadAsync(ct).ConfigureAwait(false);
            if (read.Reading is null && read.Zones != NetworkZones.Unread)
            {
                _cached = read;
            }

            return read;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Snapshot? Fresh(Snapshot? snapshot) =>
        snapshot is not null && time.GetUtcNow() - snapshot.ReadAt < options.Value.RecoveryPolicyCacheLifetime ? snapshot : null;

    private async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var policies = await okta.ListPasswordPoliciesAsync(ct).ConfigureAwait(false);
        if (policies is not OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok { Value: var list })
        {
            logger.RecoveryRuleUnreadable("listPolicies", policies.GetType().Name);
            return Snapshot.Failed(now, policies is OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Throttled);
        }

        var withRules = new List<PolicyWithRules>(list.Count);
        foreach (var policy in list.Where(p => p.Active))
        {
            var rules = await okta.ListPasswordPolicyRulesAsync(policy.Id, ct).ConfigureAwait(false);
            if (rules is not OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok { Value: var ruleList })
            {
                logger.RecoveryRuleUnreadable("listPolicyRules", rules.GetType().Name);
                return Snapshot.Failed(now, rules is OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Throttled);
            }

            withRules.Add(new PolicyWithRules(policy, ruleList));
        }

        return new Snapshot(now, withRules, null) { Zones = await ZonesAsync(withRules, ct).ConfigureAwait(false) };
    }

    /// <summary>
    /// The org's zones, read only when an active rule names zones. Zones that cannot be read (the scope
    /// <c>okta.networkZones.read</c> not granted, an outage) leave such rules unknown: they fail closed, and the
    /// snapshot is not cached, so the next reset reads again.
    /// </summary>
    private async Task<NetworkZones> ZonesAsync(IReadOnlyList<PolicyWithRules> policies, CancellationToken ct)
    {
        if (!policies.Any(p => p.Rules.Any(r => r.Active && r.Network.ByZone)))
        {
            return NetworkZones.None;
        }

        var zones = await okta.ListNetworkZonesAsync(ct).ConfigureAwait(false);
        if (zones is OktaResult<IReadOnlyList<OktaNetworkZone>>.Ok { Value: var list })
        {
            return new NetworkZones(list);
        }

        logger.RecoveryRuleUnreadable("listNetworkZones", zones.GetType().Name);
        return NetworkZones.Unread;
    }

    private sealed record Snapshot(DateTimeOffset ReadAt, IReadOnlyList<PolicyWithRules> Policies, RecoveryRuleReading.Unreadable? Reading)
    {
        /// <summary>The org's zones, for rules that name them.</summary>
        public NetworkZones Zones { get; init; } = NetworkZones.None;

        public static Snapshot Failed(DateTimeOffset at, bool throttled) => new(at, [], new RecoveryRuleReading.Unreadable(throttled));
    }
}

/// <summary>
/// What the operator chose to accept beyond the org's rule: <see cref="ResetOptions.ExtraRecoveryMethods"/> and
/// <see cref="ResetOptions.AcceptAuthPolicyRuleMethods"/>. Neither is the default.
/// </summary>
public sealed record OperatorChoices(IReadOnlySet<FactorKind> ExtraMethods, bool AcceptAuthPolicyRuleMethods)
{
    /// <summary>Nothing beyond the rule.</summary>
    public static OperatorChoices None { get; } = new(new HashSet<FactorKind>(), false);

    public static OperatorChoices Of(ResetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.ExtraRecoveryMethods.ToHashSet(), options.AcceptAuthPolicyRuleMethods);
    }
}

/// <summary>A password policy with its rules, as read from Okta.</summary>
public sealed record PolicyWithRules(OktaPasswordPolicy Policy, IReadOnlyList<OktaPasswordPolicyRule> Rules);

/// <summary>The pure part: which rule applies, which methods it lets start recovery, and its complexity in words.</summary>
public static class RecoveryPolicyRules
{
    /// <summary>
    /// Okta's order: the active policy of lowest priority whose groups include the person (no groups: everyone)
    /// and whose password provider is theirs, then its active rule of lowest priority that does not exclude
    /// them. No policy or no rule: no self-service reset (fail closed).
    /// </summary>
    public static RecoveryRule Decide(
        IReadOnlyList<PolicyWithRules> policies,
        string userId,
        string? providerType,
        IReadOnlySet<string> groupIds,
        OperatorChoices? choices = null,
        NetworkZones? zones = null,
        string? clientIp = null)
    {
        choices ??= OperatorChoices.None;
        zones ??= NetworkZones.None;
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(groupIds);
        var policy = InOrder(policies, providerType)
            .FirstOrDefault(p => p.Policy.IncludedGroupIds.Count == 0 || p.Policy.IncludedGroupIds.Any(groupIds.Contains));
        if (policy is null)
        {
            return new RecoveryRule("(none)", null, false, false, new HashSet<FactorKind>(), false, OktaPasswordComplexity.Default);
        }

        OktaPasswordPolicyRule? rule = null;
        foreach (var candidate in policy.Rules.Where(r => r.Active && !r.ExcludedUserIds.Contains(userId, StringComparer.Ordinal)).OrderBy(r => r.Priority))
        {
            var holds = zones.Holds(candidate.Network, clientIp);
            if (holds is null)
            {
                // A rule whose zones cannot be told for this address: neither it nor a later one is guessed at (fail closed).
                return new RecoveryRule(policy.Policy.Name, candidate.Name, false, false, new HashSet<FactorKind>(), false, policy.Policy.Complexity) { NetworkUnknown = true };
            }

            if (holds.Value)
            {
                rule = candidate;
                break;
            }
        }

        if (rule is null)
        {
            return new RecoveryRule(policy.Policy.Name, null, false, false, new HashSet<FactorKind>(), false, policy.Policy.Complexity);
        }

        var requirement = rule.PasswordReset.Requirement;
        var ruleMethods = requirement is { PrimaryMethods.Count: > 0 }
            ? KindsOfMethods(requirement.PrimaryMethods, requirement.MethodConstraints)
            : KindsOfRecoveryFactors(policy.Policy.RecoveryFactors);
        IReadOnlySet<FactorKind> methods = rule.PasswordReset.Allowed ? ruleMethods.Union(choices.ExtraMethods).ToHashSet() : ruleMethods;
        var deferred = requirement is { DecidedByAuthenticationPolicy: true } && !choices.AcceptAuthPolicyRuleMethods;
        var (secondCheck, secondMethods) = requirement switch
        {
            { StepUpRequired: true, StepUpMethods.Count: 0 } => (true, null),
            { StepUpRequired: true } => (true, methods),
            null when policy.Policy.RecoveryFactors.Contains("recovery_question", StringComparer.Ordinal) => (true, (IReadOnlySet<FactorKind>?)null),
            _ => (false, null),
        };
        return new RecoveryRule(policy.Policy.Name, rule.Name, rule.PasswordReset.Allowed && !deferred, rule.UnlockAllowed && !deferred, methods, secondCheck, policy.Policy.Complexity)
        {
            MinimumAge = policy.Policy.MinimumAge,
            SecondCheckMethods = secondMethods,
            DeferredToAuthenticationPolicy = deferred,
        };
    }

    /// <summary>As <see cref="KindsOfMethods(IEnumerable{string}, IReadOnlyDictionary{string, IReadOnlyList{string}})"/> without constraints.</summary>
    public static IReadOnlySet<FactorKind> KindsOfMethods(IEnumerable<string> methods) => KindsOfMethods(methods, new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>
    /// Whether the person's groups could change which policy applies: the first active policy for their password
    /// provider, in <see cref="Decide"/>'s order, names a group other than Everyone. When it names Everyone or no
    /// group it applies to everybody, so no later policy can, whatever groups the person is in.
    /// </summary>
    public static bool CouldDependOnGroups(IReadOnlyList<PolicyWithRules> policies, string? providerType)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var everyone = EveryoneGroupIds(policies);
        var first = InOrder(policies, providerType).FirstOrDefault();
        return first is { Policy.IncludedGroupIds: { Count: > 0 } included } && !included.Any(everyone.Contains);
    }

    /// <summary>
    /// The Everyone group, as the org's system (Default) password policy names it: Okta scopes that policy to
    /// Everyone and lets nobody change it, so no extra call is needed to learn the group's id.
    /// </summary>
    public static IReadOnlySet<string> EveryoneGroupIds(IReadOnlyList<PolicyWithRules> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return policies.Where(p => p.Policy.System).SelectMany(p => p.Policy.IncludedGroupIds).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Identity Engine method names (the spec's lower-case enum; the classic docs' upper-case names arrive
    /// lower-cased): <c>sms</c>, <c>voice</c>, <c>push</c> (Okta Verify), <c>otp</c>, <c>email</c>.
    /// <c>security_question</c> is a method the portal does not offer. <c>otp</c> is the authenticators its
    /// <paramref name="constraints"/> allow (<c>google_otp</c>: Google Authenticator; <c>okta_verify</c>: Okta
    /// Verify codes), and Google Authenticator without one: the spec says <c>otp</c> "requires a constraint
    /// limiting it to a Google authenticator", so an Okta Verify code is never read into a rule that does not name it.
    /// </summary>
    public static IReadOnlySet<FactorKind> KindsOfMethods(IEnumerable<string> methods, IReadOnlyDictionary<string, IReadOnlyList<string>> constraints)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(constraints);
        var kinds = new HashSet<FactorKind>();
        foreach (var method in methods)
        {
            switch (method.ToLowerInvariant())
            {
                case "sms":
                    kinds.Add(FactorKind.Sms);
                    break;
                case "voice" or "call":
                    kinds.Add(FactorKind.Call);
                    break;
                case "push":
                    kinds.Add(FactorKind.OktaVerifyPush);
                    break;
                case "otp":
                    foreach (var key in constraints.GetValueOrDefault("otp") ?? ["google_otp"])
                    {
                        if (key == "google_otp")
                        {
                            kinds.Add(FactorKind.GoogleAuthenticator);
                        }
                        else if (key == "okta_verify")
                        {
                            kinds.Add(FactorKind.OktaVerifyTotp);
                        }
                    }

                    break;
                case "email":
                    kinds.Add(FactorKind.Email);
                    break;
            }
        }

        return kinds;
    }

    /// <summary>Classic Engine <c>settings.recovery.factors</c>: <c>okta_sms</c>, <c>okta_call</c> and <c>okta_email</c> are the portal's SMS, voice and email.</summary>
    public static IReadOnlySet<FactorKind> KindsOfRecoveryFactors(IEnumerable<string> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        var kinds = new HashSet<FactorKind>();
        foreach (var factor in factors)
        {
            if (factor == "okta_sms")
            {
                kinds.Add(FactorKind.Sms);
            }
            else if (factor == "okta_call")
            {
                kinds.Add(FactorKind.Call);
            }
            else if (factor == "okta_email")
            {
                kinds.Add(FactorKind.Email);
            }
        }

        return kinds;
    }

    /// <summary>The active policies for the person's password provider, in Okta's order (the system policy last).</summary>
    private static IEnumerable<PolicyWithRules> InOrder(IReadOnlyList<PolicyWithRules> policies, string? providerType) =>
        policies
            .Where(p => p.Policy.Active && ProviderMatches(p.Policy.AuthProvider, providerType))
            .OrderBy(p => p.Policy.System)
            .ThenBy(p => p.Policy.Priority);

    /// <summary><c>OKTA</c> policies hold Okta's own and imported passwords; <c>ANY</c>, none or a value Okta adds later: everyone.</summary>
    private static bool ProviderMatches(string? policyProvider, string? userProvider)
    {
        var user = userProvider is null or "IMPORT" ? "OKTA" : userProvider;
        return policyProvider switch
        {
            "OKTA" or "ACTIVE_DIRECTORY" or "LDAP" => string.Equals(policyProvider, user, StringComparison.Ordinal),
            _ => true,
        };
    }
}
