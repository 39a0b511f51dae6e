using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>How the reset flow behaves: the factor menu, lifetimes and limits. Bound from <c>Reset</c>.</summary>
public sealed class ResetOptions : IValidatableObject
{
    public const string SectionName = "Reset";

    /// <summary>The factor kinds the portal can offer, in the order they are listed (app-based methods before phone ones).</summary>
    public static readonly IReadOnlyList<FactorKind> SupportedKinds =
        [FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp, FactorKind.GoogleAuthenticator, FactorKind.Sms, FactorKind.Call, FactorKind.Email];

    /// <summary>
    /// The kinds offered when <see cref="EnabledFactorKinds"/> is empty. Email is offered only when listed
    /// there: an org that uses Okta's email factor for MFA opts in (a mailbox is often what a person who
    /// lost their password cannot reach).
    /// </summary>
    public static readonly IReadOnlyList<FactorKind> DefaultKinds = [.. SupportedKinds.Where(k => k != FactorKind.Email)];

    /// <summary><see cref="FactorMenuMode.Generic"/> (default) shows every person the same menu of method kinds.</summary>
    public FactorMenuMode FactorMenu { get; set; } = FactorMenuMode.Generic;

    /// <summary>
    /// The method kinds offered; empty means <see cref="DefaultKinds"/> (every supported kind but email).
    /// SMS and voice can be switched off here, email switched on. (Empty rather than pre-filled: the configuration binder appends to a pre-filled list.)
    /// </summary>
    public IList<FactorKind> EnabledFactorKinds { get; set; } = [];

    /// <summary>The kinds actually offered, in menu order.</summary>
    public IReadOnlyList<FactorKind> OfferedKinds =>
        [.. EnabledFactorKinds.Count == 0 ? DefaultKinds : SupportedKinds.Where(EnabledFactorKinds.Contains)];

    /// <summary>
    /// Offer "Unlock my account": a person who is locked out but knows their password verifies as for a
    /// reset, and the portal unlocks the account without setting a password.
    /// </summary>
    public bool AllowUnlock { get; set; } = true;

    /// <summary>Ask Okta for a number-matching challenge on every push.</summary>
    public bool NumberMatching { get; set; } = true;

    /// <summary>How long the portal's one-time reset token is valid after verification.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:10:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Absolute lifetime of a flow, from the username step.</summary>
    [Range(typeof(TimeSpan), "00:02:00", "00:15:00")]
    public TimeSpan FlowLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A flow with no activity for this long ends.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:05:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>However often browsers poll, Okta is asked about a push at most this often per flow.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:30")]
    public TimeSpan PushPollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A push nobody answered is treated as timed out after this long (Okta's own push lifetime is 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:05:00")]
    public TimeSpan PushLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After Okta gave no usable answer to a call that starts a flow, every new flow is shown the outage
    /// page for this long, whatever its username (see <c>OktaHealth</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:05:00")]
    public TimeSpan OktaOutageHold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What a verified ACTIVE_DIRECTORY or LDAP user is offered: <see cref="DirectoryUsersMode.HelpDesk"/>
    /// (default) or <see cref="DirectoryUsersMode.SetThroughOkta"/>, for orgs whose directory agent writes
    /// a password set in Okta back to the directory.
    /// </summary>
    public DirectoryUsersMode DirectoryUsers { get; set; } = DirectoryUsersMode.HelpDesk;

    /// <summary>
    /// Let holders of an Okta administrator role reset through the portal. Off by default: after
    /// verification the portal refuses anyone who has one (how it knows: <see cref="AdminCheck"/>).
    /// </summary>
    public bool AllowAdmins { get; set; }

    /// <summary>
    /// How the portal knows who is an administrator when <see cref="AllowAdmins"/> is off:
    /// <see cref="AdminCheckMode.OrgList"/> (default, no Okta call per reset) or <see cref="AdminCheckMode.PerReset"/>.
    /// </summary>
    public AdminCheckMode AdminCheck { get; set; } = AdminCheckMode.OrgList;

    /// <summary>
    /// How often the org's list of administrators is read again (<see cref="AdminCheckMode.OrgList"/>). Someone
    /// made an administrator is refused from the next read on; until then, at most this long, they are not yet
    /// on the list. A list older than twice this is not used: it is read again before anyone is answered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan AdminListRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>End the person's Okta sessions after the password is changed.</summary>
    public bool RevokeSessions { get; set; } = true;

    /// <summary>
    /// Also revoke the person's OAuth tokens when sessions are revoked (<c>?oauthTokens=true</c>): a refresh
    /// token stolen with the old password stops working. The cost: every app signed in with Okta tokens
    /// (mobile apps, desktop clients) asks the person to sign in again. See the README.
    /// </summary>
    public bool RevokeOAuthTokens { get; set; } = true;

    /// <summary>
    /// Obey the org's Okta password policy rule that applies to the person, as Okta's own recovery does:
    /// whether self-service reset is allowed and which methods may start it (checked after verification),
    /// and the policy's complexity on the password page. When the policy cannot be read no reset is offered
    /// (the outage page).
    /// </summary>
    public bool FollowOktaRecoveryPolicy { get; set; } = true;

    /// <summary>
    /// How many distinct methods a reset must verify before a new password may be set: 1, or 2 (as Microsoft
    /// Entra's self-service reset offers). A rule of the org that requires a second check (<c>stepUp.required</c>)
    /// asks for 2 as well. Unlocks need one.
    /// </summary>
    [Range(1, 2)]
    public int MethodsRequired { get; set; } = 1;

    /// <summary>How long the org's password policies and rules are kept before they are read again.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan RecoveryPolicyCacheLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The rules of the org's Okta password policy, shown as a checklist on the password page when the
    /// policy itself is not followed (<see cref="FollowOktaRecoveryPolicy"/> off): the fallback.
    /// </summary>
    public IList<string> PasswordPolicy { get; set; } = [];

    /// <summary>
    /// Okta stores and checks only the first 72 characters of a password and silently ignores the rest
    /// (Okta's "maximum length of an Okta password"); a longer one would be cut without anyone knowing.
    /// </summary>
    public const int OktaMaxPasswordLength = 72;

    /// <summary>Longest password the portal forwards to Okta; longer ones are refused with the reason before any Okta call, never truncated.</summary>
    [Range(8, OktaMaxPasswordLength)]
    public int MaxPasswordLength { get; set; } = OktaMaxPasswordLength;

    /// <summary>
    /// Key for the keyed hash that derives a stable decoy factor list for unknown users in
    /// <see cref="FactorMenuMode.Enrolled"/> mode. A secret: environment or secret store only.
    /// </summary>
    public string? DecoyKey { get; set; }

    /// <summary>
    /// Used as the expected Okta latency before the portal has observed real calls; unknown users'
    /// responses are padded by samples of recent real latencies (see <c>OktaLatency</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan DefaultOktaLatency { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// How far Okta's clock may run behind the portal's. When the answer to a password set is lost, the
    /// portal reads the user back and counts the change as made only if Okta's <c>passwordChanged</c> is
    /// no earlier than the moment just before sending, less this allowance. Both clocks normally follow
    /// NTP to well under a second; a larger value risks taking someone else's change, made in that
    /// window, for this one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan OktaClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The domain of the org's logins (<c>corp.example</c>). Okta resolves an unambiguous short name (<c>alice</c>)
    /// to its login (<c>alice@corp.example</c>); for a name Okta does not know, the portal counts the short name as
    /// that login, so both spellings share limits and leases as a real account's do. Unset, a short name is
    /// counted on its own. The embedded sandbox sets its demo domain.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$", ErrorMessage = "Reset:LoginDomain must be a domain name such as corp.example.")]
    public string? LoginDomain { get; set; }

    /// <summary>Attempt limits, all below Okta's own lockout after 5 failures.</summary>
    [Required, ValidateObjectMembers]
    public ResetLimits Limits { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var kind in EnabledFactorKinds.Where(k => !SupportedKinds.Contains(k)))
        {
            yield return new($"Reset:EnabledFactorKinds: {kind} cannot be offered.", [nameof(EnabledFactorKinds)]);
        }

        if (FactorMenu == FactorMenuMode.Enrolled && (DecoyKey is null || DecoyKey.Length < 32))
        {
            yield return new("Reset:DecoyKey must be a secret of at least 32 characters when Reset:FactorMenu is Enrolled.", [nameof(DecoyKey)]);
        }
        else if (FactorMenu == FactorMenuMode.Enrolled && KnownPlaceholders.IsPlaceholder(DecoyKey))
        {
            // The example's text is public: decoy lists keyed with it could be recomputed, telling decoys from real people.
            yield return new("Reset:DecoyKey is a placeholder (such as appsettings.example.json's), not a secret: set a random one of 32+ characters in the environment (Reset__DecoyKey).", [nameof(DecoyKey)]);
        }

        if (TokenLifetime > FlowLifetime)
        {
            yield return new("Reset:TokenLifetime must not exceed Reset:FlowLifetime.", [nameof(TokenLifetime)]);
        }
    }
}

/// <summary>How the portal tells an Okta administrator from anyone else.</summary>
public enum AdminCheckMode
{
    /// <summary>
    /// The org's administrators are read for everyone every <see cref="ResetOptions.AdminListRefreshInterval"/>
    /// (users holding a role, and the members of groups holding one); a reset costs no Okta call for it.
    /// </summary>
    OrgList,

    /// <summary>Each verified person's roles are read from Okta (<c>GET /api/v1/users/{id}/roles</c>): one call per reset, never stale.</summary>
    PerReset,
}

/// <summary>What the portal does for a user whose password lives in Active Directory or LDAP.</summary>
public enum DirectoryUsersMode
{
    /// <summary>After verification, the person is sent to the help desk; nothing is set.</summary>
    HelpDesk,

    /// <summary>
    /// The password is set through Okta like any other; Okta's AD or LDAP agent writes it to the directory
    /// (the org must have enabled password updates through the agent, see the README).
    /// </summary>
    SetThroughOkta,
}

/// <summary>Whether the factor menu is the same for everyone or lists the person's own factors.</summary>
public enum FactorMenuMode
{
    /// <summary>The same menu of enabled method kinds for every username (no enumeration).</summary>
    Generic,

    /// <summary>The person's own factors with masked labels; a stable decoy list for unknown users. An accepted enumeration risk.</summary>
    Enrolled,
}

/// <summary>Per-flow and per-person attempt limits.</summary>
public sealed class ResetLimits : IValidatableObject
{
    /// <summary>Okta locks a user after this many consecutive failed MFA attempts; every portal limit stays below it.</summary>
    public const int OktaLockoutThreshold = 5;

    /// <summary>
    /// Code checks a person may fail in a row (since the last success the portal saw, in it or in Okta)
    /// before the portal pauses code checks for them: one below Okta's lockout, so a stranger typing wrong
    /// codes never locks the account. Pushes are not counted: Okta does not count a denied or unanswered push.
    /// </summary>
    public const int ConsecutiveFailures = OktaLockoutThreshold - 1;

    /// <summary>
    /// Flows started per typed username within <see cref="PerUserWindow"/>. Counted before Okta is asked,
    /// so real and unknown usernames hit it alike.
    /// </summary>
    [Range(1, 100)]
    public int StartsPerUsername { get; set; } = 10;

    /// <summary>
    /// How long a verification pause lasts at most, counted from the first of the failed code checks that
    /// caused it (it ends sooner when Okta shows a success, or when the help desk lifts it). Hours, not days:
    /// whoever typed the wrong codes, a stranger among them, holds the person's code methods that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:15:00", "1.00:00:00")]
    public TimeSpan PauseDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Failed code checks one client (an IPv4 address, or an IPv6 /64) may cause within an hour, across
    /// all usernames; beyond it the client's code checks are refused before any person's count is touched,
    /// so pausing many people takes many addresses. Raise it for many people behind one address.
    /// </summary>
    [Range(1, 1000)]
    public int CountedFailuresPerClientPerHour { get; set; } = 5;

    /// <summary>Code checks (and rejected pushes) per flow.</summary>
    [Range(1, 4)]
    public int CodeAttemptsPerFlow { get; set; } = 3;

    /// <summary>
    /// Failed code checks (and rejected pushes) per person within <see cref="PerUserWindow"/>, across flows.
    /// Each check is reserved before Okta is asked and given back when the code was right, so successful
    /// resets never spend it.
    /// </summary>
    [Range(1, OktaLockoutThreshold - 1)]
    public int CodeAttemptsPerUser { get; set; } = 4;

    /// <summary>Failed code checks (and rejected pushes) per person per day; like <see cref="CodeAttemptsPerUser"/>, a right code is given back.</summary>
    [Range(1, 100)]
    public int CodeAttemptsPerUserPerDay { get; set; } = 10;

    /// <summary>SMS or voice codes sent per flow.</summary>
    [Range(1, 10)]
    public int SendsPerFlow { get; set; } = 3;

    /// <summary>SMS or voice codes sent per person within <see cref="PerUserWindow"/>.</summary>
    [Range(1, 10)]
    public int SendsPerUser { get; set; } = 3;

    /// <summary>SMS or voice codes sent per person per day.</summary>
    [Range(1, 50)]
    public int SendsPerUserPerDay { get; set; } = 10;

    /// <summary>
    /// SMS and voice codes the whole portal sends within 24 hours (security.md 24: a cap on what an
    /// attacker can make the org pay for). Beyond it the send step offers the other methods and Okta is
    /// not called. Decoy sends for unknown usernames count too, so an exhausted budget looks the same
    /// for every username; the per-username and per-client limits bound how fast anyone can use it up.
    /// </summary>
    [Range(1, 10_000_000)]
    public int SendsPerDayGlobal { get; set; } = 5000;

    /// <summary>Wait before another SMS or voice code may be sent (Okta throttles at about 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:05:00")]
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pushes per flow.</summary>
    [Range(1, 10)]
    public int PushesPerFlow { get; set; } = 3;

    /// <summary>Pushes per person within <see cref="PerUserWindow"/>.</summary>
    [Range(1, 10)]
    public int PushesPerUser { get; set; } = 3;

    /// <summary>Pushes per person per day.</summary>
    [Range(1, 50)]
    public int PushesPerUserPerDay { get; set; } = 5;

    /// <summary>Wait between two pushes to the same person.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:15:00")]
    public TimeSpan PushCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Passwords Okta may reject before the reset token is used up.</summary>
    [Range(1, 10)]
    public int PasswordAttemptsPerToken { get; set; } = 5;

    /// <summary>
    /// Form posts per client IP per minute, counted in the flow store (so across instances), answered 429
    /// beyond. Generous by default: many employees may share one corporate egress address. The push page's
    /// status poll is not counted here but under <see cref="PollsPerMinutePerClient"/>.
    /// </summary>
    [Range(10, 100_000)]
    public int PostsPerMinutePerClient { get; set; } = 120;

    /// <summary>
    /// Push status polls per client IP per minute on each instance, counted in the instance's memory (no
    /// store write), answered 429 beyond. 30,000 (500 a second) lets about 500 people behind one NAT
    /// address wait on a push at once on one instance with their pages polling every second (the page
    /// polls once per <see cref="ResetOptions.PushPollInterval"/>, so in practice more); raise it for larger
    /// offices behind one address.
    /// </summary>
    [Range(10, 1_000_000)]
    public int PollsPerMinutePerClient { get; set; } = 30_000;

    /// <summary>The rolling window of the per-person limits.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan PerUserWindow { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CodeAttemptsPerFlow > CodeAttemptsPerUser)
        {
            yield return new("Reset:Limits:CodeAttemptsPerFlow must not exceed Reset:Limits:CodeAttemptsPerUser.", [nameof(CodeAttemptsPerFlow)]);
        }
    }
}
