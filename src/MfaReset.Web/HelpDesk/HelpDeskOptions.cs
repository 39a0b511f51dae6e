namespace MfaReset.Web.HelpDesk;

/// <summary>
/// The help-desk console (<c>/helpdesk</c>): agents sign in with the org's Okta (OpenID Connect, code with PKCE)
/// and must be in <see cref="AgentGroup"/>. Off unless <see cref="Enabled"/>; the embedded sandbox turns it on
/// for the demo. <see cref="ClientSecret"/> comes from the environment or user secrets, never a committed file.
/// </summary>
public sealed class HelpDeskOptions
{
    public const string SectionName = "HelpDesk";

    /// <summary>Serve the console. Off: every <c>/helpdesk</c> address answers 404.</summary>
    public bool Enabled { get; set; }

    /// <summary>The OpenID Connect issuer: the org authorization server. Empty: <c>Okta:OrgUrl</c>.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The console's OIDC web app in Okta.</summary>
    public string? ClientId { get; set; }

    /// <summary>The web app's client secret. A secret: environment or user secrets only.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The Okta group whose members may use the console, as the groups claim names it.</summary>
    public string? AgentGroup { get; set; }

    /// <summary>The ID token claim holding the agent's groups (Okta's app "Groups claim").</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>An agent's console session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An agent's console session ends this long after sign-in, however active.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a verified caller's record and actions stay open to the agent after the check.</summary>
    public TimeSpan VerifiedFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many people looked up per agent per <see cref="LookupWindow"/> (looking people up without a call).</summary>
    public int LookupsPerAgent { get; set; } = 40;

    public TimeSpan LookupWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The issuer in use: <see cref="Authority"/>, else the Okta org.</summary>
    public Uri? AuthorityOr(Uri? orgUrl) => Authority ?? orgUrl;
}

/// <summary>Checks <see cref="HelpDeskOptions"/> on start, only when the console is on.</summary>
public sealed class HelpDeskOptionsValidator(IOptions<OktaOptions> okta) : IValidateOptions<HelpDeskOptions>
{
    public ValidateOptionsResult Validate(string? name, HelpDeskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var authority = options.AuthorityOr(okta.Value.OrgUrl);
        if (authority is null || !authority.IsAbsoluteUri || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            failures.Add("HelpDesk:Authority (or Okta:OrgUrl) must be an https URL (http only on loopback, for the sandbox).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("HelpDesk:ClientId is required when HelpDesk:Enabled is true.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret) || KnownPlaceholders.IsPlaceholder(options.ClientSecret))
        {
            failures.Add("HelpDesk:ClientSecret is required when HelpDesk:Enabled is true (environment or user secrets, never a committed file).");
        }

        if (string.IsNullOrWhiteSpace(options.AgentGroup))
        {
            failures.Add("HelpDesk:AgentGroup is required when HelpDesk:Enabled is true: only its members may use the console.");
        }

        if (string.IsNullOrWhiteSpace(options.GroupsClaim))
        {
            failures.Add("HelpDesk:GroupsClaim must name the ID token's groups claim.");
        }

        if (options.IdleTimeout < TimeSpan.FromMinutes(1) || options.IdleTimeout > options.SessionLifetime)
        {
            failures.Add("HelpDesk:IdleTimeout must be at least a minute and no longer than HelpDesk:SessionLifetime.");
        }

        if (options.SessionLifetime > TimeSpan.FromHours(12))
        {
            failures.Add("HelpDesk:SessionLifetime must be at most 12 hours.");
        }

        if (options.VerifiedFor < TimeSpan.FromMinutes(1) || options.VerifiedFor > TimeSpan.FromHours(1))
        {
            failures.Add("HelpDesk:VerifiedFor must be between 1 minute and 1 hour.");
        }

        if (options.LookupsPerAgent is < 1 or > 1000 || options.LookupWindow < TimeSpan.FromMinutes(1) || options.LookupWindow > TimeSpan.FromDays(1))
        {
            failures.Add("HelpDesk:LookupsPerAgent must be 1 to 1000 and HelpDesk:LookupWindow 1 minute to 1 day.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
