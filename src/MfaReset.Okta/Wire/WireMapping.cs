using System.Runtime.CompilerServices;

namespace MfaReset.Okta.Wire;

/// <summary>
/// Turns wire records into the public model. Returns null when a field the portal relies on is
/// missing, so the caller can fail closed; unknown enum strings map to the Unknown members.
/// </summary>
internal static class WireMapping
{
    public static OktaUser? ToUser(UserWire wire) =>
        wire is { Id: { } id, Profile.Login: { } login }
        && WireLimits.IsId(id)
        && WireLimits.IsText(login, WireLimits.MaxLoginLength)
        && WireLimits.IsOptionalText(wire.Profile.Email, WireLimits.MaxLoginLength)
        && WireLimits.IsOptionalText(wire.Credentials?.Provider?.Type, WireLimits.MaxNameLength)
        && WireLimits.IsOptionalInstant(wire.PasswordChanged)
        && WireLimits.IsOptionalInstant(wire.StatusChanged)
        && WireLimits.IsOptionalInstant(wire.LastLogin)
        && WireLimits.IsOptionalText(wire.Profile.FirstName, WireLimits.MaxLoginLength)
        && WireLimits.IsOptionalText(wire.Profile.LastName, WireLimits.MaxLoginLength)
        && WireLimits.IsOptionalText(wire.Profile.SecondEmail, WireLimits.MaxLoginLength)
        && WireLimits.IsOptionalText(wire.Profile.Timezone, WireLimits.MaxNameLength)
            ? new OktaUser(id, ToUserStatus(wire.Status), login, wire.Profile.Email, wire.Credentials?.Provider?.Type, wire.PasswordChanged)
            {
                FirstName = wire.Profile.FirstName,
                LastName = wire.Profile.LastName,
                StatusChanged = wire.StatusChanged,
                LastLogin = wire.LastLogin,
                SecondEmail = string.IsNullOrEmpty(wire.Profile.SecondEmail) ? null : wire.Profile.SecondEmail,
                TimeZone = string.IsNullOrEmpty(wire.Profile.Timezone) ? null : wire.Profile.Timezone,
            }
            : null;

    /// <summary>Null when any role has no type: a half-read role list cannot tell an admin from anyone else.</summary>
    public static IReadOnlyList<OktaRole>? ToRoles(IReadOnlyList<RoleWire?> wires)
    {
        var roles = new List<OktaRole>(wires.Count);
        foreach (var wire in wires)
        {
            if (wire is not { Type: { Length: > 0 } type })
            {
                return null;
            }

            roles.Add(new OktaRole(type, wire.Status, wire.AssignmentType));
        }

        return roles;
    }

    private static OktaFactor? ToFactor(FactorWire wire)
    {
        if (wire is not { Id: { } id, FactorType: { } factorType, Provider: { } provider }
            || !WireLimits.IsId(id)
            || !WireLimits.IsText(factorType, WireLimits.MaxNameLength)
            || !WireLimits.IsText(provider, WireLimits.MaxNameLength)
            || !WireLimits.IsOptionalText(wire.Profile?.PhoneNumber, WireLimits.MaxPhoneLength)
            || !WireLimits.IsOptionalText(wire.Profile?.Name, WireLimits.MaxLoginLength)
            || !WireLimits.IsOptionalText(wire.Profile?.Email, WireLimits.MaxLoginLength))
        {
            return null;
        }

        var kind = ToFactorKind(factorType, provider);
        return new OktaFactor(
            id,
            factorType,
            provider,
            ToFactorStatus(wire.Status),
            kind,
            PhoneNumber: kind is FactorKind.Sms or FactorKind.Call ? wire.Profile?.PhoneNumber : null,
            DeviceName: kind is FactorKind.OktaVerifyPush ? wire.Profile?.Name : null)
        {
            Email = kind is FactorKind.Email ? wire.Profile?.Email : null,
        };
    }

    /// <summary>Null when any element is unusable: a half-read factor list is not a list to choose from.</summary>
    public static IReadOnlyList<OktaFactor>? ToFactors(IReadOnlyList<FactorWire?> wires)
    {
        var factors = new List<OktaFactor>(wires.Count);
        foreach (var wire in wires)
        {
            if (wire is null || ToFactor(wire) is not { } factor)
            {
                return null;
            }

            factors.Add(factor);
        }

        return factors;
    }

    public static FactorKind ToFactorKind(string factorType, string provider) => (factorType, provider) switch
    {
        ("sms", "OKTA") => FactorKind.Sms,
        ("call", "OKTA") => FactorKind.Call,
        ("push", "OKTA") => FactorKind.OktaVerifyPush,
        ("token:software:totp", "OKTA") => FactorKind.OktaVerifyTotp,
        ("token:software:totp", "GOOGLE") => FactorKind.GoogleAuthenticator,
        ("email", "OKTA") => FactorKind.Email,
        _ => FactorKind.Unsupported,
    };

    public static OktaUserStatus ToUserStatus(string? status) => status switch
    {
        "STAGED" => OktaUserStatus.Staged,
        "PROVISIONED" => OktaUserStatus.Provisioned,
        "ACTIVE" => OktaUserStatus.Active,
        "RECOVERY" => OktaUserStatus.Recovery,
        "PASSWORD_EXPIRED" => OktaUserStatus.PasswordExpired,
        "LOCKED_OUT" => OktaUserStatus.LockedOut,
        "SUSPENDED" => OktaUserStatus.Suspended,
        "DEPROVISIONED" => OktaUserStatus.Deprovisioned,
        _ => OktaUserStatus.Unknown,
    };

    public static OktaFactorStatus ToFactorStatus(string? status) => status switch
    {
        "ACTIVE" => OktaFactorStatus.Active,
        "PENDING_ACTIVATION" => OktaFactorStatus.PendingActivation,
        "ENROLLED" => OktaFactorStatus.Enrolled,
        "NOT_SETUP" => OktaFactorStatus.NotSetup,
        "INACTIVE" => OktaFactorStatus.Inactive,
        "EXPIRED" => OktaFactorStatus.Expired,
        "DISABLED" => OktaFactorStatus.Disabled,
        _ => OktaFactorStatus.Unknown,
    };

    /// <summary>
    /// Maps a 2xx verify or poll body. Null when it cannot be acted on safely (no result, or WAITING
    /// without a poll link and no handle to fall back to).
    /// </summary>
    public static FactorVerifyResult? ToVerifyResult(VerifyResultWire wire, PushPollHandle? currentPoll) =>
        WireLimits.IsOptionalInstant(wire.ExpiresAt)
        && wire.Embedded?.Challenge?.CorrectAnswer is null or (>= 0 and <= WireLimits.MaxCorrectAnswer)
        && (wire.FactorResult is null || WireLimits.IsText(wire.FactorResult, WireLimits.MaxNameLength))
            ? MapVerifyResult(wire, currentPoll)
            : null;

    private static FactorVerifyResult? MapVerifyResult(VerifyResultWire wire, PushPollHandle? currentPoll) => wire.FactorResult switch
    {
        null or "" => null,
        "CHALLENGE" => new FactorVerifyResult.ChallengeSent(wire.ExpiresAt),
        "SUCCESS" => new FactorVerifyResult.Success(),
        "REJECTED" => new FactorVerifyResult.Rejected(),
        "TIMEOUT" => new FactorVerifyResult.TimedOut(),
        "WAITING" => ToPoll(wire.Links?.Poll?.Href, currentPoll) is { } poll
            ? new FactorVerifyResult.Waiting(poll, wire.Embedded?.Challenge?.CorrectAnswer, wire.ExpiresAt)
            : null,
        "PASSCODE_REPLAYED" => new FactorVerifyResult.CodeReused(CodeReuse.Replayed, null),
        "TIME_WINDOW_EXCEEDED" => new FactorVerifyResult.CodeReused(CodeReuse.TimeWindowExceeded, null),
        var other => new FactorVerifyResult.Other(other),
    };

    public static OktaError ToError(int status, ErrorWire? wire, RateLimitInfo? rateLimit) => new(
        status,
        wire?.ErrorCode,
        wire?.ErrorSummary,
        wire?.ErrorId,
        wire?.ErrorCauses?.Where(c => c is not null).Select(ToCause).ToArray() ?? [],
        rateLimit);

    private static OktaErrorCause ToCause(ErrorCauseWire cause) =>
        new(cause.ErrorSummary ?? "", cause.Reason, cause.LocationType, cause.Location, cause.Domain);

    private static PushPollHandle? ToPoll(string? href, PushPollHandle? currentPoll) =>
        string.IsNullOrWhiteSpace(href) ? currentPoll : new PushPollHandle(href);

    /// <summary>Null when any entry has no usable id: a half-read list of administrators would let one through.</summary>
    public static IReadOnlyList<string>? ToIds(IReadOnlyList<IdWire?> wires)
    {
        var ids = new List<string>(wires.Count);
        foreach (var wire in wires)
        {
            if (wire is not { Id: { } id } || !WireLimits.IsId(id))
            {
                return null;
            }

            ids.Add(id);
        }

        return ids;
    }

    /// <summary>A page of <c>listUsersWithRoleAssignments</c>: the users' ids and the next page's cursor; null when the page is not readable.</summary>
    public static OktaPage<string>? ToRoleAssignees(RoleAssignedUsersWire wire) =>
        wire.Value is { } value && ToIds(value) is { } ids ? new OktaPage<string>(ids, OktaPaging.AfterOf(wire.Links?.Next?.Href)) : null;

    /// <summary>Null when any group has no usable id: a half-read list cannot decide which policy applies.</summary>
    public static IReadOnlyList<OktaGroup>? ToGroups(IReadOnlyList<GroupWire?> wires)
    {
        var groups = new List<OktaGroup>(wires.Count);
        foreach (var wire in wires)
        {
            if (wire is not { Id: { } id } || !WireLimits.IsId(id) || !WireLimits.IsOptionalText(wire.Profile?.Name, WireLimits.MaxLoginLength))
            {
                return null;
            }

            groups.Add(new OktaGroup(id, wire.Profile?.Name) { Type = wire.Type });
        }

        return groups;
    }

    /// <summary>
    /// Password policies only (<c>type: PASSWORD</c>); null when any is unusable. A null complexity value
    /// (the spec's own example has <c>minNumber: null</c>) takes the schema's default.
    /// </summary>
    public static IReadOnlyList<OktaPasswordPolicy>? ToPasswordPolicies(IReadOnlyList<PolicyWire?> wires)
    {
        var policies = new List<OktaPasswordPolicy>(wires.Count);
        foreach (var wire in wires)
        {
            if (wire is not { Id: { } id, Type: "PASSWORD" } || !WireLimits.IsId(id) || !WireLimits.IsOptionalText(wire.Name, WireLimits.MaxLoginLength)
                || Ids(wire.Conditions?.People?.Groups?.Include) is not { } groups
                || !WireLimits.IsOptionalText(wire.Conditions?.AuthProvider?.Provider, WireLimits.MaxNameLength)
                || ToComplexity(wire.Settings?.Password) is not { } complexity
                || wire.Settings?.Password?.Age?.MinAgeMinutes is < 0 or > WireLimits.MaxMinAgeMinutes)
            {
                return null;
            }

            var factors = wire.Settings?.Recovery?.Factors?
                .Where(f => string.Equals(f.Value?.Status, "ACTIVE", StringComparison.Ordinal))
                .Select(f => f.Key)
                .Order(StringComparer.Ordinal)
                .ToArray() ?? [];
            policies.Add(new OktaPasswordPolicy(
                id,
                wire.Name ?? id,
                IsActive(wire.Status),
                wire.Priority ?? int.MaxValue,
                wire.System ?? false,
                groups,
                wire.Conditions?.AuthProvider?.Provider,
                complexity,
                factors)
            {
                MinimumAge = TimeSpan.FromMinutes(wire.Settings?.Password?.Age?.MinAgeMinutes ?? 0),
            });
        }

        return policies;
    }

    /// <summary>Password policy rules; null when any is unusable.</summary>
    public static IReadOnlyList<OktaPasswordPolicyRule>? ToPasswordPolicyRules(IReadOnlyList<PolicyRuleWire?> wires)
    {
        var rules = new List<OktaPasswordPolicyRule>(wires.Count);
        foreach (var wire in wires)
        {
            if (wire is not { Id: { } id } || !WireLimits.IsId(id) || !WireLimits.IsOptionalText(wire.Name, WireLimits.MaxLoginLength)
                || wire.Type is not (null or "PASSWORD")
                || Ids(wire.Conditions?.People?.Users?.Exclude) is not { } excluded
                || ToRequirement(wire.Actions?.SelfServicePasswordReset?.Requirement) is not { } requirement
                || ToNetworkCondition(wire.Conditions?.Network) is not { } network)
            {
                return null;
            }

            rules.Add(new OktaPasswordPolicyRule(
                id,
                wire.Name ?? id,
                IsActive(wire.Status),
                wire.Priority ?? int.MaxValue,
                excluded,
                new OktaSelfServiceReset(IsAllow(wire.Actions?.SelfServicePasswordReset?.Access), requirement.Value),
                IsAllow(wire.Actions?.SelfServiceUnlock?.Access))
            {
                Network = network,
            });
        }

        return rules;
    }

    /// <summary><c>conditions.network</c>; a connection other than <c>ANYWHERE</c> or <c>ZONE</c> is unusable (null).</summary>
    private static OktaNetworkCondition? ToNetworkCondition(NetworkConditionWire? wire)
    {
        if (wire is null || wire.Connection is null or "ANYWHERE")
        {
            return OktaNetworkCondition.Anywhere;
        }

        return wire.Connection == "ZONE" && Ids(wire.Include) is { } include && Ids(wire.Exclude) is { } exclude
            ? new OktaNetworkCondition(true, include, exclude)
            : null;
    }

    /// <summary>Network zones with their gateway addresses; null when any is unusable.</summary>
    public static IReadOnlyList<OktaNetworkZone>? ToNetworkZones(IReadOnlyList<NetworkZoneWire?> wires)
    {
        var zones = new List<OktaNetworkZone>(wires.Count);
        foreach (var wire in wires)
        {
            var gateways = wire?.Gateways ?? [];
            if (wire is not { Id: { } id, Type: { } type } || !WireLimits.IsId(id) || !WireLimits.IsOptionalText(type, WireLimits.MaxNameLength)
                || gateways.Count > WireLimits.MaxPolicyCount
                || gateways.Any(g => g is not { Type: { } t, Value: { } v } || !WireLimits.IsOptionalText(t, WireLimits.MaxNameLength) || !WireLimits.IsOptionalText(v, WireLimits.MaxNameLength)))
            {
                return null;
            }

            zones.Add(new OktaNetworkZone(id, type, IsActive(wire.Status), [.. gateways.Select(g => new OktaZoneAddress(g!.Type!, g.Value!))]));
        }

        return zones;
    }

    private static OktaPasswordComplexity? ToComplexity(PasswordSettingsWire? wire)
    {
        var d = OktaPasswordComplexity.Default;
        var c = wire?.Complexity;
        int[] counts = [c?.MinLength ?? d.MinLength, c?.MinLowerCase ?? d.MinLowerCase, c?.MinUpperCase ?? d.MinUpperCase, c?.MinNumber ?? d.MinNumber, c?.MinSymbol ?? d.MinSymbol, wire?.Age?.HistoryCount ?? d.HistoryCount];
        if (counts.Any(n => n is < 0 or > WireLimits.MaxPolicyCount))
        {
            return null;
        }

        var attributes = c?.ExcludeAttributes?.Where(a => a is not null).Select(a => a!).ToArray() ?? [];
        if (attributes.Any(a => !WireLimits.IsText(a, WireLimits.MaxNameLength)))
        {
            return null;
        }

        return new OktaPasswordComplexity(
            counts[0], counts[1], counts[2], counts[3], counts[4],
            c?.ExcludeUsername ?? d.ExcludeUsername,
            attributes,
            c?.Dictionary?.Common?.Exclude ?? d.ExcludeCommonPasswords,
            counts[5]);
    }

    /// <summary>A box around the requirement, so "none" (Classic Engine) and "unusable" (null) differ.</summary>
    private static StrongBox<OktaRecoveryRequirement?>? ToRequirement(RequirementWire? wire)
    {
        if (wire is null)
        {
            return new StrongBox<OktaRecoveryRequirement?>(null);
        }

        var primary = Methods(wire.Primary?.Methods);
        var stepUp = Methods(wire.StepUp?.Methods);
        var constraints = MethodConstraints(wire.Primary?.MethodConstraints);
        if (primary is null || stepUp is null || constraints is null || !WireLimits.IsOptionalText(wire.AccessControl, WireLimits.MaxNameLength))
        {
            return null;
        }

        return new StrongBox<OktaRecoveryRequirement?>(new OktaRecoveryRequirement(wire.AccessControl, primary, wire.StepUp?.Required ?? false, stepUp)
        {
            MethodConstraints = constraints,
        });
    }

    /// <summary><c>primary.methodConstraints</c>: per method (lower-cased), the authenticator keys it is limited to; null when unusable.</summary>
    private static Dictionary<string, IReadOnlyList<string>>? MethodConstraints(IReadOnlyList<MethodConstraintWire?>? wires)
    {
        var constraints = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var wire in wires ?? [])
        {
            var keys = wire?.AllowedAuthenticators?.Select(a => a?.Key).ToArray() ?? [];
            if (wire?.Method is not { } method || !WireLimits.IsOptionalText(method, WireLimits.MaxNameLength) || keys.Length > WireLimits.MaxPolicyCount
                || keys.Any(k => k is null || !WireLimits.IsOptionalText(k, WireLimits.MaxNameLength)))
            {
                return null;
            }

            constraints[method.ToLowerInvariant()] = [.. keys.Select(k => k!)];
        }

        return constraints;
    }

    /// <summary>Method names lower-cased: the spec's enum is lower-case, the classic docs wrote them upper-case.</summary>
    private static IReadOnlyList<string>? Methods(IReadOnlyList<string?>? wires)
    {
        var methods = wires?.Where(m => m is not null).Select(m => m!).ToArray() ?? [];
        return methods.All(m => WireLimits.IsText(m, WireLimits.MaxNameLength))
            ? [.. methods.Select(m => m.ToLowerInvariant()).Distinct(StringComparer.Ordinal)]
            : null;
    }

    private static string[]? Ids(IReadOnlyList<string?>? wires)
    {
        var ids = wires?.Where(i => i is not null).Select(i => i!).ToArray() ?? [];
        return ids.All(WireLimits.IsId) ? ids : null;
    }

    private static bool IsActive(string? status) => status is null || string.Equals(status, "ACTIVE", StringComparison.Ordinal);

    private static bool IsAllow(string? access) => string.Equals(access, "ALLOW", StringComparison.Ordinal);
}
