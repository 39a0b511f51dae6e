using System.ComponentModel.DataAnnotations;

namespace MfaReset.Web.Options;

/// <summary>How the reset flow behaves: the factor menu, lifetimes and limits. Bound from <c>Reset</c>.</summary>
public sealed class ResetOptions : IValidatableObject
{
    public const string SectionName = "Reset";

    /// <summary>
    /// The longest <see cref="FlowLifetime"/>, <see cref="IdleTimeout"/> and <see cref="PushLifetime"/> the load driver
    /// may set with <c>Benchmark:LongPushWaits</c>; without it the production caps of <see cref="ResetLifetimeCaps"/> hold.
    /// </summary>
    public static readonly TimeSpan BenchmarkLifetimeCap = TimeSpan.Parse(BenchmarkLifetimeCapText, System.Globalization.CultureInfo.InvariantCulture);

    private const string BenchmarkLifetimeCapText = "01:00:00";

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

    /// <summary>
    /// Absolute lifetime of a flow, from the username step: at most 15 minutes (<see cref="ResetLifetimeCaps"/>;
    /// the bound here is <see cref="BenchmarkLifetimeCap"/>, reached only with <c>Benchmark:LongPushWaits</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:02:00", BenchmarkLifetimeCapText)]
    public TimeSpan FlowLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A flow with no activity for this long ends: at most 5 minutes (<see cref="ResetLifetimeCaps"/>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", BenchmarkLifetimeCapText)]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// However often browsers poll, Okta is asked about a push at most this often per flow: Okta's own widget pace
    /// (4 s), and slower as Okta's <c>/api/v1</c> bucket runs low (<see cref="Reset.OktaCalls.PollPace"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:30")]
    public TimeSpan PushPollInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// A push nobody answered is treated as timed out after this long: at most Okta's own push lifetime, 5 minutes
    /// (<see cref="ResetLifetimeCaps"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", BenchmarkLifetimeCapText)]
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
    /// Also clear the person's remembered factors on every device when sessions are revoked (<c>forgetDevices</c>,
    /// always sent): a device someone else had MFA remembered on must pass MFA again. True by default, Identity
    /// Engine's own default (Classic Engine's is false, hence always sent). The cost: the person's own devices ask
    /// for MFA at their next sign-in.
    /// </summary>
    public bool ForgetDevices { get; set; } = true;

    /// <summary>
    /// Obey the org's Okta password policy rule that applies to the person, as Okta's own recovery does:
    /// whether self-service reset is allowed and which methods may start it (checked after verification),
    /// and the policy's complexity on the password page. When the policy cannot be read no reset is offered
    /// (the outage page).
    /// </summary>
    public bool FollowOktaRecoveryPolicy { get; set; } = true;

    /// <summary>
    /// Method kinds accepted to start a reset beyond those the org's rule lists, when the rule allows self-service
    /// reset. Empty by default. Identity Engine rules cannot list Okta Verify codes (<c>otp</c> is Google
    /// Authenticator only): an org that wants them names <see cref="FactorKind.OktaVerifyTotp"/> here, knowingly.
    /// </summary>
    public IList<FactorKind> ExtraRecoveryMethods { get; set; } = [];

    /// <summary>
    /// For rules with <c>accessControl: AUTH_POLICY</c>, whose requirements Okta's account management policy decides
    /// (which the portal does not read): accept the rule's own <c>primary.methods</c> instead. Off by default: such
    /// rules then allow nothing here (the help desk page).
    /// </summary>
    public bool AcceptAuthPolicyRuleMethods { get; set; }

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
    /// The org's Okta password policy in Okta's terms, the password page's checklist (each line checked as the
    /// policy's own) when the policy itself is not followed (<see cref="FollowOktaRecoveryPolicy"/> off): the fallback.
    /// </summary>
    [ValidateObjectMembers]
    public PasswordComplexityOptions? PasswordComplexity { get; set; }

    /// <summary>
    /// Further sentences of the org's policy for the fallback checklist, shown as configured (translated when the
    /// resources hold them), after <see cref="PasswordComplexity"/>'s lines; Okta checks them on submit.
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

        foreach (var kind in ExtraRecoveryMethods.Where(k => !SupportedKinds.Contains(k)))
        {
            yield return new($"Reset:ExtraRecoveryMethods: {kind} is not a method the portal offers.", [nameof(ExtraRecoveryMethods)]);
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
