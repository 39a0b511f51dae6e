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

    /// <summary>The SSWS API token. Read it from the environment or user secrets, never from a committed file.</summary>
    public string? ApiToken { get; set; }

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

    /// <summary>Leaves the token out.</summary>
    public override string ToString() =>
        $"OktaOptions {{ OrgUrl = {OrgUrl?.ToString() ?? "(not set)"}, ApiToken = {(string.IsNullOrEmpty(ApiToken) ? "(not set)" : "(set, hidden)")}, " +
        $"AttemptTimeout = {AttemptTimeout}, TotalBudget = {TotalBudget}, ConnectTimeout = {ConnectTimeout}, MaxRetries = {MaxRetries} }}";
}
