namespace MfaReset.Okta.Sandbox.Control;

/// <summary>
/// The phone in everyone's pocket, and the trainer's switches: what tests, the load driver and the phone
/// simulator page use to read codes, answer pushes and script outcomes. The same operations are served as
/// JSON under <c>/simulator/api/</c>. Users are named by login (case-insensitive); an unknown login throws
/// <see cref="KeyNotFoundException"/>.
/// </summary>
public interface ISandboxControl
{
    /// <summary>The demo users in seed order, then any generated load-test users.</summary>
    IReadOnlyList<SandboxUserInfo> ListUsers();

    /// <summary>One user, with their current status, factors and scripted switches.</summary>
    SandboxUserInfo GetUser(string login);

    /// <summary>SMS and voice messages delivered to the user's phones, newest first (the last 20 are kept).</summary>
    IReadOnlyList<PhoneMessage> GetMessages(string login);

    /// <summary>The newest SMS or voice message delivered to the user, or null when none was.</summary>
    PhoneMessage? GetLatestMessage(string login);

    /// <summary>
    /// Puts a mail in the inbox of the user whose login is <paramref name="address"/> (the portal's change
    /// notices, in the demo). Throws <see cref="KeyNotFoundException"/> for an address no user has.
    /// </summary>
    void DeliverMail(string address, string subject, string text);

    /// <summary>Mail delivered to the user's inbox by <see cref="DeliverMail"/>, newest first (the last 20 are kept).</summary>
    IReadOnlyList<InboxMail> GetMail(string login);

    /// <summary>The current code of each of the user's TOTP factors (Okta Verify and Google Authenticator).</summary>
    IReadOnlyList<TotpCode> GetTotpCodes(string login);

    /// <summary>Pushes on the user's phone that wait for an answer and have not expired, newest first.</summary>
    IReadOnlyList<PendingPush> GetPendingPushes(string login);

    /// <summary>
    /// Taps "approve". With number matching, <paramref name="pickedNumber"/> must be the correct answer,
    /// else the push is rejected, as Okta Verify does; without number matching it is ignored.
    /// </summary>
    PushAnswerOutcome ApprovePush(string transactionId, int? pickedNumber = null);

    /// <summary>Taps "deny".</summary>
    PushAnswerOutcome DenyPush(string transactionId);

    /// <summary>Decides how the user's next push resolves, without anyone touching the phone. Consumed by that push.</summary>
    void ScriptNextPush(string login, ScriptedPushOutcome outcome);

    /// <summary>Makes the next Okta API call about this user fail or stall. Consumed by that call.</summary>
    void ScriptNextCall(string login, ScriptedCallFault fault);

    /// <summary>
    /// Makes the next Okta API call of <paramref name="operation"/> (one of <see cref="OktaOperations"/>) about
    /// this user fail or stall; the user's other calls before it pass untouched. Consumed by that call.
    /// </summary>
    void ScriptNextCall(string login, ScriptedCallFault fault, string operation);

    /// <summary>How many Okta API calls were made, per operation and per user, since the start or the last reset.</summary>
    CallCounts GetCallCounts();

    /// <summary>Sets every call counter back to zero.</summary>
    void ResetCallCounts();

    /// <summary>Whether <paramref name="password"/> is now the user's password: lets a test check that a reset took.</summary>
    bool IsCurrentPassword(string login, string password);

    /// <summary>
    /// Restores the seed: statuses, passwords, failure counters, messages, pushes, scripts, rate-limit
    /// buckets and call counters. TOTP secrets never change, so enrolled authenticator apps keep working.
    /// Returns the reset's number (1 for the first).
    /// </summary>
    long Reset();

    /// <summary>
    /// Raised by <see cref="Reset"/> (the simulator's "Reset everything" or the control API): a host that embeds
    /// the sandbox clears its own holds of the demo with it and says so with <see cref="ReportPortalCleared"/>.
    /// </summary>
    event EventHandler<SandboxResetEventArgs>? WasReset;

    /// <summary>
    /// For a portal that talks to the standalone sandbox: completes with the newest reset's number once it is
    /// greater than <paramref name="after"/>, or with the current number after <paramref name="timeout"/> (a long poll).
    /// </summary>
    Task<long> WaitForResetAsync(long after, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>A portal cleared its own holds (flows, limits, pauses) for reset <paramref name="reset"/>.</summary>
    void ReportPortalCleared(long reset);

    /// <summary>
    /// Whether a portal reported clearing its holds for reset <paramref name="reset"/>; while a portal listens,
    /// waits up to <paramref name="timeout"/> for it. False when no portal listens.
    /// </summary>
    Task<bool> PortalClearedAsync(long reset, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Which reset was done.</summary>
/// <param name="Number">The reset's number (1 for the first).</param>
public sealed class SandboxResetEventArgs(long number) : EventArgs
{
    /// <summary>The reset's number (1 for the first).</summary>
    public long Number { get; } = number;
}

/// <summary>A user as the phone simulator sees it.</summary>
/// <param name="Id">Okta user id.</param>
/// <param name="Login">Okta login (an email address).</param>
/// <param name="DisplayName">First and last name.</param>
/// <param name="Status">Okta status: <c>ACTIVE</c>, <c>LOCKED_OUT</c>, <c>SUSPENDED</c>.</param>
/// <param name="Description">What the user is for, in one line.</param>
/// <param name="IsDemoUser">False for generated load-test users.</param>
/// <param name="Factors">Enrolled factors in Okta's order.</param>
/// <param name="NextPush">The scripted outcome of the next push.</param>
/// <param name="NextCall">The scripted fault of the next API call.</param>
/// <param name="PasswordChanged">When the password was last set.</param>
/// <param name="SessionsRevoked">When the user's sessions were last revoked, if ever.</param>
/// <param name="OAuthTokensRevoked">When the user's OAuth tokens were last revoked with the sessions, if ever.</param>
/// <param name="CredentialsProvider"><c>credentials.provider.type</c>: <c>OKTA</c>, <c>IMPORT</c>, <c>ACTIVE_DIRECTORY</c>, <c>LDAP</c>, <c>FEDERATION</c> or <c>SOCIAL</c>.</param>
/// <param name="AdminRoles">Okta administrator role types assigned to the user; empty for everyone else.</param>
public sealed record SandboxUserInfo(
    string Id,
    string Login,
    string DisplayName,
    string Status,
    string Description,
    bool IsDemoUser,
    IReadOnlyList<SandboxFactorInfo> Factors,
    ScriptedPushOutcome NextPush,
    ScriptedCallFault NextCall,
    DateTimeOffset PasswordChanged,
    DateTimeOffset? SessionsRevoked,
    DateTimeOffset? OAuthTokensRevoked,
    string CredentialsProvider,
    IReadOnlyList<string> AdminRoles)
{
    /// <summary>When the user's remembered factors were last cleared on every device with the sessions (<c>forgetDevices</c>), if ever.</summary>
    public DateTimeOffset? DevicesForgotten { get; init; }
}

/// <summary>An enrolled factor.</summary>
/// <param name="Id">Okta factor id.</param>
/// <param name="Kind">What kind of factor.</param>
/// <param name="FactorType">Okta <c>factorType</c>.</param>
/// <param name="Provider">Okta <c>provider</c>.</param>
/// <param name="Label">Human description: phone number, device name, app.</param>
public sealed record SandboxFactorInfo(string Id, SandboxFactorKind Kind, string FactorType, string Provider, string Label);

/// <summary>The factor kinds the sandbox enrolls.</summary>
public enum SandboxFactorKind
{
    /// <summary><c>sms</c> / <c>OKTA</c>.</summary>
    Sms,

    /// <summary><c>call</c> / <c>OKTA</c>.</summary>
    Call,

    /// <summary><c>push</c> / <c>OKTA</c>.</summary>
    OktaVerifyPush,

    /// <summary><c>token:software:totp</c> / <c>OKTA</c>.</summary>
    OktaVerifyTotp,

    /// <summary><c>token:software:totp</c> / <c>GOOGLE</c>.</summary>
    GoogleAuthenticator,

    /// <summary><c>question</c> / <c>OKTA</c>: enrolled so the portal's filtering of unsupported factors shows.</summary>
    SecurityQuestion,

    /// <summary><c>email</c> / <c>OKTA</c>: a code by email, which arrives in the simulator's inbox.</summary>
    Email,
}

/// <summary>How a phone message was delivered.</summary>
public enum PhoneChannel
{
    /// <summary>A text message.</summary>
    Sms,

    /// <summary>A voice call reading the code out.</summary>
    Voice,

    /// <summary>An email with the code (the simulator's inbox).</summary>
    Email,
}

/// <summary>An SMS, voice call or email the sandbox "sent".</summary>
/// <param name="FactorId">The factor that was challenged.</param>
/// <param name="Channel">SMS, voice or email.</param>
/// <param name="PhoneNumber">Where it went (E.164, or the email address for an email).</param>
/// <param name="Code">The 6-digit code.</param>
/// <param name="Text">What the person reads or hears.</param>
/// <param name="SentAt">When it was sent.</param>
/// <param name="ExpiresAt">When the code stops being accepted.</param>
public sealed record PhoneMessage(
    string FactorId,
    PhoneChannel Channel,
    string PhoneNumber,
    string Code,
    string Text,
    DateTimeOffset SentAt,
    DateTimeOffset ExpiresAt);

/// <summary>A mail in a user's inbox.</summary>
/// <param name="To">The address it was sent to.</param>
/// <param name="Subject">Its subject.</param>
/// <param name="Text">Its plain text.</param>
/// <param name="ReceivedAt">When it arrived.</param>
public sealed record InboxMail(string To, string Subject, string Text, DateTimeOffset ReceivedAt);

/// <summary>The code a TOTP factor shows right now.</summary>
/// <param name="FactorId">The TOTP factor.</param>
/// <param name="Kind"><see cref="SandboxFactorKind.OktaVerifyTotp"/> or <see cref="SandboxFactorKind.GoogleAuthenticator"/>.</param>
/// <param name="Code">The current 6-digit code.</param>
/// <param name="SecondsLeft">Seconds until the next code (1 to 30).</param>
/// <param name="OtpAuthUri">The <c>otpauth://</c> URI an authenticator app can enroll from.</param>
public sealed record TotpCode(string FactorId, SandboxFactorKind Kind, string Code, int SecondsLeft, string OtpAuthUri);

/// <summary>A push on the phone, waiting for an answer.</summary>
/// <param name="TransactionId">The Okta transaction id (last segment of the poll link).</param>
/// <param name="FactorId">The push factor.</param>
/// <param name="SentAt">When the push was sent.</param>
/// <param name="ExpiresAt">When it times out.</param>
/// <param name="CorrectAnswer">With number matching: the number the portal shows; else null.</param>
/// <param name="Choices">With number matching: the numbers the phone offers, the correct one among them; else empty.</param>
/// <param name="UserAgent">The browser that asked, as the portal forwarded it.</param>
/// <param name="ClientIp">The IP that asked (<c>X-Forwarded-For</c>), if forwarded.</param>
public sealed record PendingPush(
    string TransactionId,
    string FactorId,
    DateTimeOffset SentAt,
    DateTimeOffset ExpiresAt,
    int? CorrectAnswer,
    IReadOnlyList<int> Choices,
    string UserAgent,
    string? ClientIp);

/// <summary>What answering a push did.</summary>
public enum PushAnswerOutcome
{
    /// <summary>The push now polls as <c>SUCCESS</c>.</summary>
    Approved,

    /// <summary>Denied: polls as <c>REJECTED</c>.</summary>
    Denied,

    /// <summary>The wrong number was picked: polls as <c>REJECTED</c>.</summary>
    WrongNumber,

    /// <summary>No such push, or it was already answered or expired. Nothing changed.</summary>
    NotPending,
}

/// <summary>A trainer's switch for the next push.</summary>
public enum ScriptedPushOutcome
{
    /// <summary>Nothing scripted: the push waits for the phone.</summary>
    None,

    /// <summary>Approved at once (with the right number).</summary>
    Approve,

    /// <summary>Denied at once.</summary>
    Deny,

    /// <summary>Never answered: the first poll reports <c>TIMEOUT</c> without waiting for the lifetime.</summary>
    TimeOut,
}

/// <summary>A trainer's switch for the next Okta API call about a user.</summary>
public enum ScriptedCallFault
{
    /// <summary>Nothing scripted.</summary>
    None,

    /// <summary>429 <c>E0000047</c> with rate-limit headers.</summary>
    TooManyRequests,

    /// <summary>500 <c>E0000009</c>.</summary>
    ServerError,

    /// <summary>Answered normally after <see cref="SandboxFaultOptions.SlowCallDelay"/>.</summary>
    Slow,

    /// <summary>
    /// 429 <c>E0000047</c> with the org's concurrency headers (<c>X-Rate-Limit-Limit: 0</c>, <c>Remaining: 0</c>, an
    /// estimated reset): contract pack <c>errors/E0000047-concurrency-limit.429.json</c>.
    /// </summary>
    ConcurrencyLimit,

    /// <summary>
    /// 429 <c>E0000047</c> for this user alone: the headers report the org's bucket with room left, as Okta's do when
    /// a per-user limit (verify attempts, an authenticator locked for a few minutes) refuses the call.
    /// </summary>
    UserRateLimit,

    /// <summary>403 <c>E0000151</c> "You have reached the limit of call requests, please try again later."</summary>
    CallRateLimit,

    /// <summary>403 <c>E0000099</c>: only numbers in the US and Canada are allowed (international SMS and calls not enabled).</summary>
    InternationalPhoneNotAllowed,

    /// <summary>400 <c>E0000140</c> "Telephony opt out error.": the number opted out of Okta's texts and calls.</summary>
    TelephonyOptOut,

    /// <summary>403 <c>E0000038</c> "This operation is not allowed in the user's current status."</summary>
    NotAllowedInStatus,

    /// <summary>403 <c>E0000032</c> "Unlock is not allowed for this user."</summary>
    UnlockNotAllowed,

    /// <summary>409 <c>E0000112</c>: the user is still being activated; try again in a few minutes.</summary>
    UserBeingActivated,

    /// <summary>409 <c>E0000113</c> "Factor additional challenge exception" (its <c>{0}.</c> summary filled with the factor's words).</summary>
    AdditionalChallenge,
}

/// <summary>Okta API calls counted by operation id (<see cref="OktaOperations"/>).</summary>
/// <param name="Total">Every API call.</param>
/// <param name="ByOperation">Calls per operation id.</param>
/// <param name="ByUser">Calls per login, then per operation id, for calls that named a known user.</param>
public sealed record CallCounts(
    long Total,
    IReadOnlyDictionary<string, long> ByOperation,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByUser);

/// <summary>Okta's operation ids for the calls the sandbox serves (the names the contract fixtures use).</summary>
public static class OktaOperations
{
    /// <summary><c>GET /api/v1/users/{idOrLogin}</c>.</summary>
    public const string GetUser = "getUser";

    /// <summary><c>POST /api/v1/users/{idOrLogin}</c>.</summary>
    public const string UpdateUser = "updateUser";

    /// <summary><c>GET /api/v1/users/{userId}/factors</c>.</summary>
    public const string ListFactors = "listFactors";

    /// <summary><c>GET /api/v1/users/{userId}/factors/{factorId}</c>.</summary>
    public const string GetFactor = "getFactor";

    /// <summary><c>POST /api/v1/users/{userId}/factors/{factorId}/verify</c>.</summary>
    public const string VerifyFactor = "verifyFactor";

    /// <summary><c>GET /api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}</c>.</summary>
    public const string GetFactorTransactionStatus = "getFactorTransactionStatus";

    /// <summary><c>POST /api/v1/users/{idOrLogin}/lifecycle/unlock</c>.</summary>
    public const string UnlockUser = "unlockUser";

    /// <summary><c>DELETE /api/v1/users/{userId}/sessions</c>.</summary>
    public const string RevokeUserSessions = "revokeUserSessions";

    /// <summary>
    /// <c>DELETE /api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}</c>: a push's
    /// <c>_links.cancel</c> (no operation in the spec; the name of the pack's request-parameters entry).
    /// </summary>
    public const string CancelFactorTransaction = "cancelFactorTransaction";

    /// <summary><c>GET /api/v1/users/{userId}/roles</c>.</summary>
    public const string ListAssignedRolesForUser = "listAssignedRolesForUser";

    /// <summary><c>GET /api/v1/users/{userId}/groups</c>.</summary>
    public const string ListUserGroups = "listUserGroups";

    /// <summary><c>GET /api/v1/policies?type=PASSWORD</c>.</summary>
    public const string ListPolicies = "listPolicies";

    /// <summary><c>GET /api/v1/policies/{policyId}/rules</c>.</summary>
    public const string ListPolicyRules = "listPolicyRules";

    /// <summary><c>GET /api/v1/zones</c>.</summary>
    public const string ListNetworkZones = "listNetworkZones";

    /// <summary><c>GET /api/v1/iam/assignees/users</c>.</summary>
    public const string ListUsersWithRoleAssignments = "listUsersWithRoleAssignments";

    /// <summary><c>GET /api/v1/groups</c>.</summary>
    public const string ListGroups = "listGroups";

    /// <summary><c>GET /api/v1/groups/{groupId}/roles</c>.</summary>
    public const string ListGroupAssignedRoles = "listGroupAssignedRoles";

    /// <summary><c>GET /api/v1/groups/{groupId}/users</c>.</summary>
    public const string ListGroupUsers = "listGroupUsers";

    /// <summary>Any other path under <c>/api/v1</c> (answered 404).</summary>
    public const string Unknown = "unknown";
}
