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
/// <c>GET /api/v1/users/{id}/groups</c>, only when a policy names groups). A failed read is never cached.
/// </summary>
public sealed class OrgRecoveryPolicy(IOktaClient okta, TimeProvider time, IOptions<ResetOptions> options, ILogger<OrgRecoveryPolicy> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _cached;

    /// <summary>The rule that applies to the Okta user <paramref name="userId"/>, whose password provider is <paramref name="providerType"/>.</summary>
    public async Task<RecoveryRuleReading> ForUserAsync(string userId, string? providerType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var snapshot = await SnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.Reading is { } failed)
        {
            return failed;
        }

        IReadOnlySet<string> groups = new HashSet<string>(StringComparer.Ordinal);
        if (snapshot.Policies.Any(p => p.Policy.Active && p.Policy.IncludedGroupIds.Count > 0))
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

        return new RecoveryRuleReading.Found(RecoveryPolicyRules.Decide(snapshot.Policies, userId, providerType, groups));
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
            if (read.Reading is null)
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

        return new Snapshot(now, withRules, null);
    }

    private sealed record Snapshot(DateTimeOffset ReadAt, IReadOnlyList<PolicyWithRules> Policies, RecoveryRuleReading.Unreadable? Reading)
    {
        public static Snapshot Failed(DateTimeOffset at, bool throttled) => new(at, [], new RecoveryRuleReading.Unreadable(throttled));
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
    public static RecoveryRule Decide(IReadOnlyList<PolicyWithRules> policies, string userId, string? providerType, IReadOnlySet<string> groupIds)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(groupIds);
        var policy = policies
            .Where(p => p.Policy.Active && ProviderMatches(p.Policy.AuthProvider, providerType)
                && (p.Policy.IncludedGroupIds.Count == 0 || p.Policy.IncludedGroupIds.Any(groupIds.Contains)))
            .OrderBy(p => p.Policy.System)
            .ThenBy(p => p.Policy.Priority)
            .FirstOrDefault();
        if (policy is null)
        {
            return new RecoveryRule("(none)", null, false, false, new HashSet<FactorKind>(), false, OktaPasswordComplexity.Default);
        }

        var rule = policy.Rules
            .Where(r => r.Active && !r.ExcludedUserIds.Contains(userId, StringComparer.Ordinal))
            .OrderBy(r => r.Priority)
            .FirstOrDefault();
        if (rule is null)
        {
            return new RecoveryRule(policy.Policy.Name, null, false, false, new HashSet<FactorKind>(), false, policy.Policy.Complexity);
        }

        var requirement = rule.PasswordReset.Requirement;
        var methods = requirement is { PrimaryMethods.Count: > 0 }
            ? KindsOfMethods(requirement.PrimaryMethods)
            : KindsOfRecoveryFactors(policy.Policy.RecoveryFactors);
        var secondCheck = requirement?.StepUpRequired ?? false;
        return new RecoveryRule(policy.Policy.Name, rule.Name, rule.PasswordReset.Allowed, rule.UnlockAllowed, methods, secondCheck, policy.Policy.Complexity);
    }

    /// <summary>
    /// Identity Engine method names (the spec's lower-case enum; the classic docs' upper-case names arrive
    /// lower-cased): <c>sms</c>, <c>voice</c>, <c>push</c> (Okta Verify), <c>otp</c> (Okta Verify or Google
    /// Authenticator codes), <c>email</c>. <c>security_question</c> is a method the portal does not offer.
    /// </summary>
    public static IReadOnlySet<FactorKind> KindsOfMethods(IEnumerable<string> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
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
                    kinds.Add(FactorKind.OktaVerifyTotp);
                    kinds.Add(FactorKind.GoogleAuthenticator);
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
