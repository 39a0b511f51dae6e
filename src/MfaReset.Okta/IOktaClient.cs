namespace MfaReset.Okta;

/// <summary>
/// The Okta Users and Factors API calls the portal makes. Expected outcomes (wrong code, 404, 429,
/// rejected push, Okta unreachable) are returned as closed result records, never thrown.
/// Implementations never log or echo the API token, passwords or passcodes.
/// </summary>
public interface IOktaClient
{
    /// <summary><c>GET /api/v1/users/{loginOrId}</c>, the login URL-encoded.</summary>
    Task<OktaResult<OktaUser>> GetUserAsync(string loginOrId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/users/{userId}/factors</c>: every enrolled factor, in Okta's order.</summary>
    Task<OktaResult<IReadOnlyList<OktaFactor>>> ListFactorsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /api/v1/users/{userId}/roles</c>: the administrator roles assigned to the user, directly or
    /// through a group; empty for a user without any.
    /// </summary>
    Task<OktaResult<IReadOnlyList<OktaRole>>> ListAssignedRolesAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/users/{userId}/groups</c>: the groups the user belongs to (password policies apply through groups).</summary>
    Task<OktaResult<IReadOnlyList<OktaGroup>>> ListUserGroupsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/policies?type=PASSWORD</c>: the org's password policies, in Okta's order.</summary>
    Task<OktaResult<IReadOnlyList<OktaPasswordPolicy>>> ListPasswordPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/policies/{policyId}/rules</c>: a password policy's rules.</summary>
    Task<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>> ListPasswordPolicyRulesAsync(string policyId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/zones</c>, every page: the org's network zones, which password policy rules may name (scope <c>okta.networkZones.read</c>).</summary>
    Task<OktaResult<IReadOnlyList<OktaNetworkZone>>> ListNetworkZonesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues an SMS, call or email challenge: <c>POST .../verify</c> with no body. Never retried. With
    /// <paramref name="language"/> (a language tag such as <c>es</c> or <c>de-AT</c>) the request carries it as
    /// <c>Accept-Language</c>, so Okta's own message template speaks the person's language; anything that is not
    /// a plain language tag is left out.
    /// </summary>
    /// <remarks>With <paramref name="endUser"/> the request carries their address and browser, as every verify call of the portal does.</remarks>
    Task<FactorVerifyResult> ChallengeAsync(string userId, string factorId, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default);

    /// <summary>Verifies a one-time code: <c>POST .../verify</c> with <c>{"passCode": "..."}</c>. Never retried.</summary>
    /// <remarks>With <paramref name="endUser"/> the request carries their address and browser (see <see cref="OktaEndUser"/>).</remarks>
    Task<FactorVerifyResult> VerifyPasscodeAsync(string userId, string factorId, string passCode, OktaEndUser? endUser = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an email code: <c>POST .../verify?tokenLifetimeSeconds=N</c> with no body. Okta documents
    /// <c>tokenLifetimeSeconds</c> (1 to 86,400, default 300) for email factors only. Never retried.
    /// </summary>
    /// <remarks>With <paramref name="language"/> the email speaks it, as <see cref="ChallengeAsync"/> does.</remarks>
    Task<FactorVerifyResult> ChallengeEmailAsync(string userId, string factorId, TimeSpan tokenLifetime, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an Okta Verify push on behalf of the end user (their IP as <c>X-Forwarded-For</c>, their
    /// <c>User-Agent</c>). Never retried: a second request would be a second push on their phone.
    /// </summary>
    Task<FactorVerifyResult> SendPushAsync(string userId, string factorId, PushRequestContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls a push transaction. The handle's href is followed only when it lies under the configured
    /// org URL with the path <c>/api/v1/users/{id}/factors/{id}/transactions/{id}</c>; anything else is
    /// refused with <see cref="FactorVerifyResult.Refused"/> and no request is made.
    /// </summary>
    Task<FactorVerifyResult> PollPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a waiting push through its <c>_links.cancel</c> (a <c>DELETE</c> on the transaction URL, the
    /// same href as the poll link), so the phone stops showing a prompt nobody waits for. The href is
    /// checked as for <see cref="PollPushAsync"/>. Okta documents no answer: any 2xx is
    /// <see cref="FactorVerifyResult.Cancelled"/>. Never retried.
    /// </summary>
    Task<FactorVerifyResult> CancelPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /api/v1/users/{userId}?strict=true</c> with the new password. Never retried. With
    /// <paramref name="ifMatch"/> (a tag <see cref="GetUserAsync"/> returned) the set is conditional: sent with
    /// <c>If-Match</c>, it applies only while the user is still that version, else
    /// <see cref="SetPasswordResult.UserChanged"/>.
    /// </summary>
    Task<SetPasswordResult> SetPasswordAsync(string userId, string newPassword, OktaEntityTag? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/v1/users/{userId}/lifecycle/unlock</c>.</summary>
    Task<OktaResult<NoContent>> UnlockUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>DELETE /api/v1/users/{userId}/sessions</c>, with <c>?oauthTokens=true</c> when asked, and
    /// <c>forgetDevices</c> (clear the remembered factors of every device) when given: Okta's default when absent
    /// is true in Identity Engine and false in Classic Engine (spec), so the portal always gives it.
    /// </summary>
    Task<OktaResult<NoContent>> RevokeSessionsAsync(string userId, bool revokeOAuthTokens, bool? forgetDevices = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// The person behind a verify call: their address as <c>X-Forwarded-For</c> and their browser as <c>User-Agent</c>, so
/// Okta's System Log and its risk checks see the person rather than the portal's server (Okta API overview, "IP
/// address" and "User Agent"; Okta honours the header only from an address the org lists as a trusted proxy).
/// A value that is not an IP address, or a User-Agent that is empty, "-" or holds control characters, is left out.
/// </summary>
/// <param name="ClientIp">The end user's IP address, as the portal's forwarded-headers processing resolved it.</param>
/// <param name="UserAgent">The end user's browser <c>User-Agent</c>.</param>
public sealed record OktaEndUser(string ClientIp, string UserAgent);

/// <summary>Who is asking for a push: Okta shows this to the person on their phone.</summary>
/// <param name="ClientIp">The end user's IP address, sent as <c>X-Forwarded-For</c>.</param>
/// <param name="UserAgent">The end user's browser <c>User-Agent</c> (Okta requires one for push).</param>
/// <param name="UseNumberMatching">Ask Okta for a number-matching challenge.</param>
public sealed record PushRequestContext(string ClientIp, string UserAgent, bool UseNumberMatching)
{
    /// <summary>The same person as the headers of any other verify call.</summary>
    public OktaEndUser EndUser => new(ClientIp, UserAgent);
}

/// <summary>A successful call that returns nothing the portal needs.</summary>
public readonly record struct NoContent;
