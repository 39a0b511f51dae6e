using System.ComponentModel.DataAnnotations;
using MfaReset.Okta.Sandbox.Control;
using Microsoft.Extensions.Options;

namespace MfaReset.Okta.Sandbox;

/// <summary>
/// How the Okta sandbox behaves. Bound from the configuration section <see cref="SectionName"/>;
/// <see cref="OktaSandbox.StartAsync(SandboxOptions, TimeProvider?, CancellationToken)"/> validates it and
/// refuses to start when it is invalid.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Sandbox";

    /// <summary>
    /// The API token clients must send as <c>Authorization: SSWS {token}</c>. Empty: a random token per start,
    /// so a token cannot leak from one run into another.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>How long a push waits for an answer before polls report <c>TIMEOUT</c> (Okta: 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PushLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an SMS or voice code stays valid (Okta: 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Minimum time between two SMS (or two voice) challenges to the same phone number (Okta: 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Okta's email resend throttle: one email per address every 5 seconds (429 <c>E0000118</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan EmailResendCooldown { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many numbers the phone offers for a number-matching push, the correct one among them (Okta Verify: 3).</summary>
    [Range(2, 9)]
    public int NumberMatchingChoices { get; set; } = 3;

    /// <summary>
    /// The org has the "Help desk resets" password policy, scoped to a group, before its Default Policy (on by
    /// default), so a portal that follows the policies reads the person's groups. Off: the Default Policy for
    /// Everyone is the only one, as in an org without group policies (the load driver's figure 1 measures both).
    /// </summary>
    public bool GroupPasswordPolicy { get; set; } = true;

    /// <summary>
    /// Extra generated users (<c>load00001@load.example.com</c>, ...) for load tests, each with SMS, Okta Verify
    /// push and Okta Verify TOTP factors, so thousands of concurrent flows do not share the demo users' phones.
    /// Not shown on the phone simulator page; reachable through the control API. Up to 200,000: the load
    /// driver's figure 4 at 100,000 waiting pushes takes one user per flow and a hundred more.
    /// </summary>
    [Range(0, 200_000)]
    public int LoadTestUsers { get; set; }

    /// <summary>
    /// The portal the simulator's "Back to the portal" link leads to (an absolute http(s) URL); empty: no link.
    /// The embedded sandbox is given the portal's own address; for the standalone one, set it.
    /// </summary>
    [Url]
    public string? PortalUrl { get; set; }

    /// <summary>
    /// The factor kinds the portal offers (<see cref="SandboxFactorKind"/> names), so the simulator can flag the
    /// users' methods it does not offer; empty: not known, nothing is flagged. Set by the embedded portal.
    /// </summary>
#pragma warning disable CA1819 // bound from configuration, where an array is replaced and a list appended to
    public string[] PortalFactorKinds { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>
    /// Identity Engine's factor list: <c>listFactors</c> names a user's verified primary email as an <c>email</c>
    /// factor even when they never enrolled one ("the verified primary email always appears as an email factor",
    /// Okta's Factors API on Identity Engine orgs). Off by default, so the demo users keep their factors; each
    /// user with a password and no email factor then lists one for their primary email, which verifies as any
    /// email factor does.
    /// </summary>
    public bool IdentityEngineEmailFactor { get; set; }

    /// <summary>The org-wide rate-limit buckets reported in <c>X-Rate-Limit-*</c> headers.</summary>
    [Required, ValidateObjectMembers]
    public SandboxRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Injected latency and errors, for tests and benchmarks.</summary>
    [Required, ValidateObjectMembers]
    public SandboxFaultOptions Faults { get; set; } = new();

    /// <summary>The default password policy and its rule, and how policy lists are paged (the trainer's and the tests' switches).</summary>
    [Required, ValidateObjectMembers]
    public SandboxPolicyOptions Policy { get; set; } = new();

    /// <summary>The OAuth service app the token endpoint knows (client credentials with a private-key JWT, DPoP).</summary>
    [Required, ValidateObjectMembers]
    public SandboxServiceAppOptions ServiceApp { get; set; } = new();

    /// <summary>The OpenID Connect web app the help-desk console signs its agents in with.</summary>
    [Required, ValidateObjectMembers]
    public SandboxSignInAppOptions SignInApp { get; set; } = new();

    /// <summary>
    /// Validates these options and their nested sections with their annotations (<see cref="SandboxOptionsValidator"/>);
    /// each message names the setting from the section down, e.g. <c>Sandbox.Faults.ServerErrorRate</c>.
    /// </summary>
    /// <exception cref="ValidationException">The options are invalid; the message lists every problem.</exception>
    public void ThrowIfInvalid()
    {
        var result = new SandboxOptionsValidator().Validate(SectionName, this);
        if (result.Failed)
        {
            throw new ValidationException($"Invalid {SectionName} options: " + string.Join("; ", result.Failures));
        }
    }
}

/// <summary>Written by the options source generator: the annotations of <see cref="SandboxOptions"/> and of its nested sections.</summary>
[OptionsValidator]
internal sealed partial class SandboxOptionsValidator : IValidateOptions<SandboxOptions>;

/// <summary>
/// Okta's org-wide buckets per minute (Workforce Identity defaults from Okta's management rate-limit table).
/// Every API response reports its bucket in <c>X-Rate-Limit-*</c>; an exhausted bucket answers 429 <c>E0000047</c>.
/// </summary>
public sealed class SandboxRateLimitOptions
{
    /// <summary>When false the headers are still sent but no bucket ever runs out.</summary>
    public bool Enforce { get; set; } = true;

    /// <summary><c>GET /api/v1/users/{idOrLogin}</c>.</summary>
    [Range(1, 1_000_000)]
    public int UserReadsPerMinute { get; set; } = 2000;

    /// <summary><c>POST, PUT, DELETE /api/v1/users/{id}</c>.</summary>
    [Range(1, 1_000_000)]
    public int UserWritesPerMinute { get; set; } = 600;

    /// <summary>Everything else under <c>/api/v1</c> (factors, verify, transactions, lifecycle, sessions).</summary>
    [Range(1, 1_000_000)]
    public int OtherPerMinute { get; set; } = 1200;
}

/// <summary>
/// The org's "Default Policy" (password) and its "Default Rule", as <c>GET /api/v1/policies?type=PASSWORD</c> and
/// its rules answer them; the help-desk group's policy is fixed. Defaults: no minimum age, unlock allowed, SMS,
/// voice, push, Google Authenticator codes and email start recovery, no step-up, the rule's own requirements.
/// </summary>
public sealed class SandboxPolicyOptions
{
    /// <summary>
    /// Items per page of the policy and rule lists when the request gives no <c>limit</c> (Okta pages them with
    /// <c>limit</c> and <c>after</c> and a <c>Link: rel="next"</c> header; the spec gives no default size).
    /// </summary>
    [Range(1, 200)]
    public int ListPageSize { get; set; } = 20;

    /// <summary>
    /// The default policy's <c>settings.password.age.minAgeMinutes</c> (0: none; regulated orgs use 1440). A
    /// password set with <c>strict=true</c> within this long of the last change is refused (400 <c>E0000001</c>).
    /// </summary>
    [Range(0, 527_040)]
    public int MinAgeMinutes { get; set; }

    /// <summary>The default rule's <c>actions.selfServiceUnlock.access</c>: <c>ALLOW</c> when true, else <c>DENY</c>.</summary>
    public bool SelfServiceUnlock { get; set; } = true;

#pragma warning disable CA1819 // bound from configuration, where an array is replaced and a list appended to
    /// <summary>
    /// The default rule's <c>requirement.primary.methods</c> (the spec's enum: <c>sms</c>, <c>voice</c>, <c>push</c>,
    /// <c>email</c>, <c>otp</c>). <c>otp</c> is served with the constraint the spec requires, limiting it to Google
    /// Authenticator (<c>methodConstraints: [{method: otp, allowedAuthenticators: [{key: google_otp}]}]</c>).
    /// </summary>
    public string[] Methods { get; set; } = ["sms", "voice", "push", "otp", "email"];

    /// <summary>The default rule's <c>requirement.stepUp.methods</c> when <see cref="StepUpRequired"/> (the spec allows none, or <c>security_question</c>).</summary>
    public string[] StepUpMethods { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>The default rule's <c>requirement.stepUp.required</c>.</summary>
    public bool StepUpRequired { get; set; }

    /// <summary>
    /// The default rule's <c>conditions.network</c>: <c>ANYWHERE</c>, or <c>INCLUDE</c> / <c>EXCLUDE</c> the org's IP
    /// zone "Office network" (<c>ZONE</c> with the zone in <c>include</c> or <c>exclude</c>). Outside an included zone
    /// (inside an excluded one) no rule of the default policy applies: no self-service reset.
    /// </summary>
    [RegularExpression("^(ANYWHERE|INCLUDE|EXCLUDE)$")]
    public string RuleNetwork { get; set; } = "ANYWHERE";

#pragma warning disable CA1819 // bound from configuration, where an array is replaced and a list appended to
    /// <summary>The "Office network" IP zone's gateways, as <c>GET /api/v1/zones</c> serves them (CIDR, or a RANGE <c>a-b</c>).</summary>
    public string[] OfficeZoneGateways { get; set; } = ["127.0.0.0/8", "::1/128"];
#pragma warning restore CA1819

    /// <summary>The default rule's <c>requirement.accessControl</c>: <c>LEGACY</c> (the rule decides) or <c>AUTH_POLICY</c>.</summary>
    [RegularExpression("^(LEGACY|AUTH_POLICY)$")]
    public string AccessControl { get; set; } = "LEGACY";
}

/// <summary>Latency and error injection applied to every Okta API call.</summary>
public sealed class SandboxFaultOptions
{
    /// <summary>Added to every API response.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Latency { get; set; }

    /// <summary>A uniformly random extra delay between zero and this value.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan LatencyJitter { get; set; }

    /// <summary>Fraction (0 to 1) of API calls answered 500 <c>E0000009</c>.</summary>
    [Range(0.0, 1.0)]
    public double ServerErrorRate { get; set; }

    /// <summary>Fraction (0 to 1) of API calls answered 429 <c>E0000047</c>, with the reset time of their bucket.</summary>
    [Range(0.0, 1.0)]
    public double RateLimitRate { get; set; }

    /// <summary>How long a call scripted as "slow" on the phone simulator takes before it is answered.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SlowCallDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Seed for the fault dice, for reproducible runs; empty: a new random sequence per start.</summary>
    public int? RandomSeed { get; set; }
}

/// <summary>
/// The one OAuth service app registered with the sandbox's org authorization server (<c>/oauth2/v1/token</c>):
/// its client id, public key and granted scopes, and whether it requires DPoP and a DPoP nonce.
/// </summary>
public sealed class SandboxServiceAppOptions
{
    /// <summary>The app's client id: the client assertion's <c>iss</c> and <c>sub</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string ClientId { get; set; } = "0oasandboxsvc0app0id";

    /// <summary>The registered key's <c>kid</c>; an assertion naming another kid is refused.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string KeyId { get; set; } = "sandbox-demo-key";

    /// <summary>
    /// The registered public key (PEM or JWK, RSA or P-256). Empty: a demo key pair is made at start and its
    /// private key handed to whoever started the sandbox (<see cref="RunningSandbox.ServiceApp"/>), never stored.
    /// </summary>
    public string? PublicKey { get; set; }

    /// <summary>
    /// The Okta scopes granted to the app; asking for another answers <c>consent_required</c>. An array, so a
    /// configured list replaces the default rather than adding to it.
    /// </summary>
#pragma warning disable CA1819 // bound from configuration, where an array is replaced and a list appended to
    public string[] GrantedScopes { get; set; } = ["okta.groups.read", "okta.networkZones.read", "okta.policies.read", "okta.roles.read", "okta.users.manage", "okta.users.read"];
#pragma warning restore CA1819

    /// <summary>
    /// Operations (<see cref="OktaOperations"/> ids, such as <c>listAssignedRolesForUser</c>) the admin role behind the
    /// app and the SSWS token does not permit: each answers 403 <c>E0000006</c> "You do not have permission to perform
    /// the requested action" (shared/okta-contract errors/E0000006-access-denied.403.json), after the scope check, as
    /// Okta checks the token's scopes before the role's permissions. For rehearsing <c>check-okta</c>.
    /// </summary>
#pragma warning disable CA1819 // bound from configuration, like GrantedScopes
    public string[] DeniedOperations { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>"Require DPoP header in token requests": a proof-less token request answers <c>invalid_dpop_proof</c>.</summary>
    public bool RequireDpop { get; set; }

    /// <summary>Token requests must carry the server's nonce in their proof; without it the answer is <c>use_dpop_nonce</c>.</summary>
    public bool RequireDpopNonce { get; set; }

    /// <summary>How long access tokens live (Okta: one hour for service apps).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
