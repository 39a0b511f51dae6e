using MfaReset.Okta;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;

namespace MfaReset.Web.Reset.State;

/// <summary>Where a flow is. <see cref="Expired"/>, <see cref="Locked"/>, <see cref="Failed"/>, <see cref="PasswordChanged"/> and <see cref="Unlocked"/> are terminal.</summary>
public enum FlowStage
{
    /// <summary>A username was submitted; a factor can be chosen.</summary>
    Identified,

    /// <summary>A factor was chosen (and a code or push possibly sent). The menu stays available.</summary>
    Challenged,

    /// <summary>Okta reported SUCCESS to the portal; a reset token was issued.</summary>
    Verified,

    /// <summary>Okta accepted the new password.</summary>
    PasswordChanged,

    /// <summary>The flow's or token's time ran out.</summary>
    Expired,

    /// <summary>A limit was reached.</summary>
    Locked,

    /// <summary>The flow ended for another reason (push rejected, outcome unknown, ...); see <see cref="FlowState.Problem"/>.</summary>
    Failed,

    /// <summary>An unlock flow was verified and ended: the account was unlocked, or was found not locked (<see cref="FlowState.AccountUnlocked"/>).</summary>
    Unlocked,
}

/// <summary>What a flow is for; both walk the same steps up to verification.</summary>
public enum FlowPurpose
{
    /// <summary>Forgot password: a new password is set after verification.</summary>
    Reset,

    /// <summary>Unlock my account: a locked-out account is unlocked after verification; no password is set.</summary>
    Unlock,

    /// <summary>
    /// The help desk verifies a caller (HelpDesk.CallerCheck): verification ends the flow as verified, with no
    /// reset token and none of the checks a reset or unlock makes after it.
    /// </summary>
    CallerCheck,
}

/// <summary>
/// Server-side state of one reset attempt. Immutable: every change is a compare-and-set on
/// <see cref="Version"/> through <see cref="IFlowStore"/>. Holds the Okta ids and the poll link, which
/// never leave the server. A plain record: how a store keeps it (the in-memory store's bytes, PostgreSQL's
/// JSON) is the store's business. <see cref="ToString"/> is overridden so nothing here reaches a log by accident.
/// </summary>
public sealed record FlowState
{
    /// <summary>Store key: the SHA-256 of the cookie value (the cookie value itself is never stored).</summary>
    public required string Key { get; init; }

    /// <summary>Set by the store on every successful write; the compare-and-set token.</summary>
    public long Version { get; init; }

    public required FlowStage Stage { get; init; }

    /// <summary>
    /// A random id that stays the same for the flow's whole life (the key rotates on verification). Pages
    /// carry it in their forms so a form from a flow that a newer one replaced says so (no secret: it
    /// opens nothing).
    /// </summary>
    public string PublicId { get; init; } = string.Empty;

    /// <summary>A reset, or an unlock without a reset.</summary>
    public FlowPurpose Purpose { get; init; }

    /// <summary>Why a terminal flow ended, for the error page.</summary>
    public FlowProblem? Problem { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Last state-changing request; the idle timeout counts from here.</summary>
    public required DateTimeOffset LastActivityAt { get; init; }

    /// <summary>Key for per-person limits: the Okta user id, or a hash of the typed username when Okta knows none.</summary>
    public required string SubjectKey { get; init; }

    /// <summary>The Okta user id, only for a user the portal may reset; null for unknown and ineligible users.</summary>
    public string? OktaUserId { get; init; }

    /// <summary>The user was LOCKED_OUT when the flow started, so the portal unlocks them after the change (or, for an unlock, after verification).</summary>
    public bool WasLockedOut { get; init; }

    /// <summary>What the portal does once the person is verified, decided from who holds their password.</summary>
    public AfterVerification AfterVerification { get; init; }

    /// <summary>
    /// Okta's <c>passwordChanged</c> as read when the flow started: a password set whose answer was lost
    /// is compared against it (docs/security-decisions.md, "Password set with an unknown outcome").
    /// </summary>
    public DateTimeOffset? OktaPasswordChanged { get; init; }

    /// <summary>
    /// The user's <c>ETag</c> from the same read: the password is set with <c>If-Match</c> on it, so a user
    /// changed since (a password set elsewhere above all) refuses the set rather than being overwritten.
    /// Null when Okta sent none: the password step then reads the user before the set.
    /// </summary>
    public OktaEntityTag? OktaUserETag { get; init; }

    /// <summary>
    /// Lowercased parts of the typed username and of the person's Okta login, email and name (three
    /// characters or more, names three): a new password containing one is refused before Okta is asked.
    /// </summary>
    public IReadOnlyList<string>? PersonalWords { get; init; }

    /// <summary>Okta's <c>credentials.provider.type</c> of the user, which picks their password policy.</summary>
    public string? PasswordProvider { get; init; }

    /// <summary>
    /// After verification: the applicable Okta password policy's complexity as the password page's
    /// checklist; null when the policy is not followed (the configured rules are shown).
    /// </summary>
    public IReadOnlyList<PasswordRule>? PasswordRules { get; init; }

    /// <summary>With two methods required: the menu key of the first method verified (never offered again); null before.</summary>
    public string? FirstVerifiedChoice { get; init; }

    /// <summary>The menu shown to this flow; a choice without an Okta factor id is a decoy.</summary>
    public required IReadOnlyList<FlowFactor> Factors { get; init; }

    /// <summary>The factor being verified, once chosen: an entry of <see cref="Factors"/>.</summary>
    public FlowFactor? Chosen { get; init; }

    /// <summary>When the last SMS/voice code of this flow was sent.</summary>
    public DateTimeOffset? CodeSentAt { get; init; }

    /// <summary>The choice the last code was sent for; the code page shows its send step for any other.</summary>
    public string? CodeSentFor { get; init; }

    /// <summary>
    /// Okta refused to send an SMS or make a call (its resend throttle or a telephony limit): no send is
    /// tried before then. The person may wait, or choose another method.
    /// </summary>
    public DateTimeOffset? PhoneBusyUntil { get; init; }

    /// <summary>The flow's latest push.</summary>
    public PushState? Push { get; init; }

    /// <summary>A push the person asked for was held back (another push to this person is recent or still open); nothing was sent or spent.</summary>
    public DateTimeOffset? PushHeldUntil { get; init; }

    /// <summary>
    /// A verification's Okta call (a code check, a push poll) is waiting for its answer, at the latest until
    /// then: the method cannot change meanwhile, so the answer is written for the method it verified.
    /// </summary>
    public DateTimeOffset? VerifyingUntil { get; init; }

    /// <summary>After the change, or an unlock's verification: the portal unlocked the account (it was locked out when the flow started).</summary>
    public bool AccountUnlocked { get; init; }

    /// <summary>After the change: the person's Okta sessions were ended.</summary>
    public bool SessionsRevoked { get; init; }

    public int CodeAttempts { get; init; }

    public int Sends { get; init; }

    public int Pushes { get; init; }

    /// <summary>SHA-256 of the reset token, once verified.</summary>
    public byte[]? TokenHash { get; init; }

    public DateTimeOffset? TokenExpiresAt { get; init; }

    public TokenState TokenState { get; init; }

    public int PasswordAttempts { get; init; }

    /// <summary>Only the non-sensitive shape: no ids, links or hashes.</summary>
    public override string ToString() => $"Flow {Stage} v{Version}";
}

/// <summary>
/// What a verified person is offered, from <c>credentials.provider</c> (and <c>Reset:DirectoryUsers</c>).
/// Decided when the flow starts, acted on only after verification, so an unverified visitor sees the same
/// pages for every account.
/// </summary>
public enum AfterVerification
{
    /// <summary>A new password is set through Okta (OKTA, IMPORT; ACTIVE_DIRECTORY and LDAP with <c>SetThroughOkta</c>).</summary>
    Reset,

    /// <summary>The password lives where the portal does not set it (ACTIVE_DIRECTORY and LDAP by default, unknown providers).</summary>
    HelpDesk,

    /// <summary>No password in Okta (FEDERATION, SOCIAL): the person signs in with their identity provider.</summary>
    IdentityProvider,
}

/// <summary>One entry of a flow's factor menu.</summary>
/// <param name="ChoiceKey">What the browser submits: a short key, never an Okta id.</param>
/// <param name="Kind">The method kind.</param>
/// <param name="Label">What the person sees (masked in <c>Enrolled</c> mode).</param>
/// <param name="OktaFactorId">The user's ACTIVE factor behind the choice; null when nothing may be sent (decoy).</param>
public sealed record FlowFactor(string ChoiceKey, FactorKind Kind, string Label, string? OktaFactorId)
{
    public override string ToString() => $"Factor {ChoiceKey} {Kind}";
}

/// <summary>A push that was sent and what the portal last learned about it.</summary>
public sealed record PushState
{
    /// <summary>The push's <c>PushPollHandle</c> as its serialized text; null for a decoy push (nothing was sent, nothing to poll).</summary>
    public string? PollHandle { get; init; }

    /// <summary>The number to tap, when number matching is on.</summary>
    public int? Number { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required PushStatus Status { get; init; }

    /// <summary>When Okta was last asked (the poll coalescing clock).</summary>
    public DateTimeOffset? LastPolledAt { get; init; }

    /// <summary>Okta asked the portal to slow down (429, 5xx) until then.</summary>
    public DateTimeOffset? BackoffUntil { get; init; }

    public override string ToString() => $"Push {Status}";
}

/// <summary>What the person sees of a push.</summary>
public enum PushStatus
{
    Pending,
    Approved,
    Rejected,
    Expired,
}

/// <summary>The reset token's single-use state: <see cref="Unused"/> → <see cref="InProgress"/> → <see cref="Used"/> or back to <see cref="Unused"/>.</summary>
public enum TokenState
{
    None,
    Unused,
    InProgress,
    Used,
}

/// <summary>Why a flow cannot go on; each has its own error page and status code.</summary>
public enum FlowProblem
{
    /// <summary>No flow, a flow the portal never issued, or a step out of order.</summary>
    StartAgain,

    /// <summary>The flow or the reset token expired.</summary>
    Expired,

    /// <summary>An attempt limit was reached (or Okta locked the factor).</summary>
    LimitReached,

    /// <summary>Okta is unreachable or failing; retrying later makes sense and the flow is kept.</summary>
    Unavailable,

    /// <summary>Okta rate-limited the portal; retrying later makes sense and the flow is kept.</summary>
    Busy,

    /// <summary>The person denied the push.</summary>
    PushRejected,

    /// <summary>A password change whose outcome is unknown.</summary>
    NotConfirmed,

    /// <summary>The reset token was already used, or a change is in progress.</summary>
    AlreadyUsed,

    /// <summary>The account's password is managed outside Okta.</summary>
    HelpDesk,

    /// <summary>
    /// The person's last code checks all failed, one fewer than Okta allows before it locks the account: code
    /// checks are paused until a success (a push, a sign-in Okta shows), the help desk, or <c>Reset:Limits:PauseDuration</c>.
    /// </summary>
    VerificationPaused,

    /// <summary>A newer reset was started in this browser (another tab or window); this one has ended.</summary>
    Superseded,

    /// <summary>The flow already changed the password: its pages lead to the done page.</summary>
    Completed,

    /// <summary>The account has no password in Okta: it signs in with an identity provider.</summary>
    IdentityProvider,

    /// <summary>The account holds an Okta administrator role, and <c>Reset:AllowAdmins</c> is off.</summary>
    AdminAccount,

    /// <summary>The org's password policy rule for the person does not allow self-service password reset.</summary>
    ResetNotAllowed,

    /// <summary>The org's password policy rule does not let the method the person verified with start a reset or an unlock.</summary>
    MethodNotAllowed,

    /// <summary>The org's password policy rule for the person does not allow self-service unlock.</summary>
    UnlockNotAllowed,

    /// <summary>
    /// Code checks from the person's network (IPv4 address or IPv6 /64) failed too often this hour, across
    /// usernames: its code checks are refused for a while; nothing was counted against the account.
    /// </summary>
    NetworkPaused,

    /// <summary>The password was set elsewhere (help desk, admin, Okta) after the flow began: its token has ended.</summary>
    PasswordChangedElsewhere,

    /// <summary>
    /// A password was submitted for a flow that had already changed the password (a second tab's form):
    /// what was typed was not set; the password set first is the one in use.
    /// </summary>
    ChangedInAnotherTab,

    /// <summary>The person's per-person limit of SMS, voice and email codes sent (across flows) is reached; nothing was sent.</summary>
    SendLimitReached,

    /// <summary>The person's per-person limit of pushes sent (across flows) is reached; nothing was sent.</summary>
    PushLimitReached,

    /// <summary>Okta does not text or call the person's number: the org allows only US and Canada numbers (<c>E0000099</c>). Nothing was sent; another method may work.</summary>
    PhoneNotAllowed,

    /// <summary>The person's number opted out of Okta's texts or calls (<c>E0000140</c>). Nothing was sent; another method may work.</summary>
    PhoneOptedOut,

    /// <summary>Okta asks more than this method can give here (<c>E0000113</c>, an additional challenge). Another method may work.</summary>
    MethodNeedsMore,

    /// <summary>Okta does not allow this in the account's current status (<c>E0000038</c>): only the help desk can help.</summary>
    AccountStatus,

    /// <summary>Okta is still activating the account (<c>E0000112</c>): trying again in a few minutes makes sense; the flow is kept.</summary>
    AccountBeingActivated,

    /// <summary>
    /// Okta limited the person's own verifications (a 429 while the org's bucket still had room: its per-user
    /// limit, or its lockout of the authenticator for a few minutes). Not the portal's limit, and not Okta being busy.
    /// </summary>
    AccountThrottled,
    /// <summary>
    /// The password was changed less than the policy's minimum age (<c>age.minAgeMinutes</c>) ago, so Okta would
    /// refuse every new one; the page says when a reset can succeed. Nothing was changed.
    /// </summary>
    PasswordTooNew,

    /// <summary>
    /// An unlock (or a reset of a locked-out account, which must unlock it) for an account an Active Directory or
    /// LDAP directory holds: Okta's unlock does not support them, so the help desk (or the directory) unlocks it.
    /// </summary>
    DirectoryUnlock,
}
