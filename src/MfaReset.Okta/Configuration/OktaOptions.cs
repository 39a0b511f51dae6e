namespace MfaReset.Okta;

/// <summary>
/// Where the Okta org is and how long the client may wait for it. Bound from the <c>Okta</c>
/// configuration section and validated at start by <see cref="OktaOptionsValidator"/>.
/// </summary>
public sealed class OktaOptions
{
    /// <summary>The configuration section <see cref="OktaClientServiceCollectionExtensions.AddOktaClient"/> binds by default.</summary>
    public const string DefaultSectionName = "Okta";

    /// <summary>
    /// The org's base URL, e.g. <c>https://example.okta.com</c>: https, or http only on a loopback host
    /// (the sandbox). No path, query or fragment.
    /// </summary>
    public Uri? OrgUrl { get; set; }

    /// <summary>
    /// Further origins of the same org that push poll and cancel links may point at, for an org whose
    /// <see cref="OrgUrl"/> is a custom domain while Okta writes its own host into <c>_links</c> (for
    /// example <c>https://example.okta.com</c>). Same rules as <see cref="OrgUrl"/>; empty by default, and
    /// nothing else is ever followed.
    /// </summary>
    public IList<Uri> AdditionalApiHosts { get; set; } = [];

    /// <summary>The SSWS API token. Read it from the environment or user secrets, never from a committed file.</summary>
    public string? ApiToken { get; set; }

    /// <summary>
    /// How the client authenticates: <see cref="OktaAuthorization.Ssws"/> (the API token) or
    /// <see cref="OktaAuthorization.PrivateKeyJwt"/> (an OAuth 2.0 service app). Unset: <c>Ssws</c> when
    /// <see cref="ApiToken"/> is set, else <c>PrivateKeyJwt</c> when <see cref="ClientId"/> is.
    /// </summary>
    public OktaAuthorization? Authorization { get; set; }

    /// <summary>The service app's client id (<c>PrivateKeyJwt</c>): the client assertion's <c>iss</c> and <c>sub</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The <c>kid</c> of the app's registered public key (<c>PrivateKeyJwt</c>); needed when the app has several keys.</summary>
    public string? KeyId { get; set; }

    /// <summary>
    /// The service app's private key (<c>PrivateKeyJwt</c>) as PEM (PKCS#8, PKCS#1 or SEC1) or as a JWK: RSA
    /// (RS256) or P-256 (ES256). A secret: environment or user secrets only, never a committed file, never logged.
    /// </summary>
    public string? PrivateKey { get; set; }

    /// <summary>
    /// The Okta scopes to request (<c>PrivateKeyJwt</c>). Empty: exactly the scopes the operations the
    /// client calls need (<see cref="OktaScopes.Needed"/>).
    /// </summary>
    public IList<string> Scopes { get; set; } = [];

    /// <summary>The authorization in effect once the defaults are applied; null when neither a token nor a client id is set.</summary>
    public OktaAuthorization? EffectiveAuthorization => Authorization
        ?? (!string.IsNullOrWhiteSpace(ApiToken) ? OktaAuthorization.Ssws
            : !string.IsNullOrWhiteSpace(ClientId) ? OktaAuthorization.PrivateKeyJwt
            : null);

    /// <summary>The scope parameter of the token request.</summary>
    public IReadOnlyList<string> EffectiveScopes => Scopes.Count > 0 ? [.. Scopes] : OktaScopes.Needed;

    /// <summary>How long one HTTP attempt may take, including reading the body.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one client call may take in all, retries and rate-limit waits included.</summary>
    public TimeSpan TotalBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long opening a connection to Okta may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a GET (or the sessions DELETE) is retried after a 5xx, a timeout, a connection
    /// failure or a 429 whose reset fits the budget. POSTs are never retried.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// How many failed attempts in a row (5xx, timeouts, connection failures; not 4xx answers) open the
    /// circuit, after which calls fail fast with <see cref="OktaUnavailableKind.CircuitOpen"/>.
    /// </summary>
    public int CircuitBreakerFailures { get; set; } = 5;

    /// <summary>How long an open circuit fails calls fast before one trial request is let through.</summary>
    public TimeSpan CircuitBreakerDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most requests this process has in flight to Okta at once, well under the org-wide
    /// concurrency limit (75, or 35 on Integrator Free) that all of the org's traffic shares.
    /// </summary>
    public int MaxInFlightRequests { get; set; } = 20;

    /// <summary>
    /// How long a request beyond <see cref="MaxInFlightRequests"/> waits for a slot (out of its time
    /// budget) before it is refused with <see cref="OktaUnavailableKind.InFlightLimit"/>. Zero refuses at once.
    /// </summary>
    public TimeSpan InFlightQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <see cref="IOktaQuotaMonitor.IsLow"/> turns true when a flow-start bucket's <c>X-Rate-Limit-Remaining</c>
    /// falls below this share of its <c>X-Rate-Limit-Limit</c>. Zero turns the check off.
    /// </summary>
    public double LowQuotaFraction { get; set; } = 0.1;

    /// <summary>
    /// The part of an Okta rate-limit bucket (its <c>X-Rate-Limit-Limit</c> per minute, as Okta last reported
    /// it) this process lets itself spend on the calls a waiting person causes, counted per bucket in
    /// one-minute windows: factor verifies (challenges, codes, pushes sent) and, separately, push polls
    /// (<see cref="IOktaQuotaMonitor.TryTakeAllowance"/>). The rest of the bucket stays for the org's other
    /// traffic and the portal's own lookups and password changes. With several instances, divide by their number.
    /// </summary>
    public double PortalBucketShare { get; set; } = 0.25;

    /// <summary>Leaves the token and the private key out.</summary>
    public override string ToString() =>
        $"OktaOptions {{ OrgUrl = {OrgUrl?.ToString() ?? "(not set)"}, AdditionalApiHosts = [{string.Join(", ", AdditionalApiHosts)}], ApiToken = {(string.IsNullOrEmpty(ApiToken) ? "(not set)" : "(set, hidden)")}, " +
        $"Authorization = {EffectiveAuthorization?.ToString() ?? "(not set)"}, ClientId = {ClientId ?? "(not set)"}, KeyId = {KeyId ?? "(not set)"}, " +
        $"PrivateKey = {(string.IsNullOrEmpty(PrivateKey) ? "(not set)" : "(set, hidden)")}, Scopes = [{string.Join(" ", EffectiveScopes)}], " +
        $"AttemptTimeout = {AttemptTimeout}, TotalBudget = {TotalBudget}, ConnectTimeout = {ConnectTimeout}, MaxRetries = {MaxRetries}, " +
        $"CircuitBreakerFailures = {CircuitBreakerFailures}, CircuitBreakerDuration = {CircuitBreakerDuration}, " +
        $"MaxInFlightRequests = {MaxInFlightRequests}, InFlightQueueTimeout = {InFlightQueueTimeout}, LowQuotaFraction = {LowQuotaFraction}, PortalBucketShare = {PortalBucketShare} }}";
}
