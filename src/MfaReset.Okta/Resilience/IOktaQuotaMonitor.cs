namespace MfaReset.Okta;

/// <summary>
/// What Okta's <c>X-Rate-Limit-*</c> headers say about the org's remaining quota, updated from every
/// Okta answer the client receives. A singleton per <see cref="OktaClientServiceCollectionExtensions.AddOktaClient"/>
/// registration. The portal asks <see cref="IsLow"/> before starting a new flow, so that the quota
/// left is spent by flows already under way (security.md item 75).
/// </summary>
public interface IOktaQuotaMonitor
{
    /// <summary>
    /// True while a bucket that starting a flow spends (<see cref="OktaQuotaBucket.UserLookup"/> for the
    /// username step, <see cref="OktaQuotaBucket.Factors"/> for the factor list) last reported fewer than
    /// <see cref="OktaOptions.LowQuotaFraction"/> of its limit remaining, and that bucket's reset has not
    /// passed yet. In Okta's published table the factor list shares the catch-all <c>/api/v1</c> bucket
    /// with verify, push polls and sessions, so a low reading there also protects flows in progress.
    /// </summary>
    bool IsLow { get; }

    /// <summary>When the last of the low flow-start buckets resets (on this server's clock), for <c>Retry-After</c>; null when not <see cref="IsLow"/>.</summary>
    DateTimeOffset? LowUntil { get; }

    /// <summary>The latest reading of every bucket whose reset has not passed yet, for health checks and metrics.</summary>
    IReadOnlyList<OktaQuotaReading> Readings { get; }

    /// <summary>
    /// Takes one call of <paramref name="bucket"/> from the portal's own allowance, <see cref="OktaOptions.PortalBucketShare"/>
    /// of the bucket's last reported limit per one-minute window (unlimited until Okta has reported the bucket once).
    /// Null when taken; otherwise when the allowance renews, and nothing is taken.
    /// </summary>
    DateTimeOffset? TryTakeAllowance(OktaQuotaBucket bucket);

    /// <summary>When the last spent allowance renews (on this server's clock), for <c>Retry-After</c>; null when none is spent.</summary>
    DateTimeOffset? AllowanceSpentUntil { get; }
}

/// <summary>
/// One rate-limit bucket's state as Okta last reported it.
/// </summary>
/// <param name="Bucket">Which calls reported it.</param>
/// <param name="Limit">Okta's <c>X-Rate-Limit-Limit</c>: requests allowed in the current window.</param>
/// <param name="Remaining">Okta's <c>X-Rate-Limit-Remaining</c>: the lowest value seen in the current window.</param>
/// <param name="ResetsAt">When the window ends, on this server's clock (Okta's reset measured against its <c>Date</c> header, plus a second).</param>
public sealed record OktaQuotaReading(OktaQuotaBucket Bucket, int Limit, int Remaining, DateTimeOffset ResetsAt);

/// <summary>
/// The client's calls grouped by the Okta rate-limit bucket they are likely to count against. Okta
/// assigns buckets per org (Rate Limit Dashboard) and no longer publishes them per endpoint, so each
/// kind of call keeps its own reading: two kinds sharing one bucket in Okta then both see the same
/// numbers, and kinds in different buckets are never mixed.
/// </summary>
public enum OktaQuotaBucket
{
    /// <summary><c>GET /api/v1/users/{idOrLogin}</c>: the username step.</summary>
    UserLookup,

    /// <summary><c>GET /api/v1/users/{id}/factors</c> and <c>GET .../factors/{id}</c>.</summary>
    Factors,

    /// <summary><c>POST .../factors/{id}/verify</c>: challenges, codes, answers and pushes.</summary>
    FactorVerify,

    /// <summary><c>GET .../factors/{id}/transactions/{id}</c>: push polls.</summary>
    PushPoll,

    /// <summary><c>POST /api/v1/users/{id}</c>: setting the password.</summary>
    PasswordUpdate,

    /// <summary><c>POST /api/v1/users/{id}/lifecycle/unlock</c>.</summary>
    Lifecycle,

    /// <summary><c>DELETE /api/v1/users/{id}/sessions</c>.</summary>
    Sessions,

    /// <summary><c>GET /api/v1/users/{id}/roles</c>: the admin check after verification.</summary>
    Roles,

    /// <summary><c>GET /api/v1/users/{id}/groups</c>: which password policy applies.</summary>
    Groups,

    /// <summary><c>GET /api/v1/policies</c> and <c>GET /api/v1/policies/{id}/rules</c>: the org's recovery rules, cached.</summary>
    Policies,
}
