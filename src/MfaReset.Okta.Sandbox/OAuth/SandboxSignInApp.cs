using System.ComponentModel.DataAnnotations;

namespace MfaReset.Okta.Sandbox;

/// <summary>
/// The OpenID Connect web app registered with the sandbox's org authorization server: the help-desk console's
/// sign-in (authorization code with PKCE, <c>client_secret_basic</c> or <c>client_secret_post</c>), with a
/// groups claim in the ID token. Its demo agents are <see cref="OAuth.DemoAgents"/>.
/// </summary>
public sealed class SandboxSignInAppOptions
{
    /// <summary>The app's client id.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string ClientId { get; set; } = "0oasandboxhelpdesk0id";

    /// <summary>
    /// The client secret; empty: the app has none and the token endpoint refuses every code. A secret: the
    /// embedded portal makes one per run and hands it to both sides in memory.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>The sign-in redirect URIs, compared exactly (Okta's "Sign-in redirect URIs").</summary>
#pragma warning disable CA1819 // bound from configuration, where an array is replaced and a list appended to
    public string[] RedirectUris { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>
    /// Also accept a redirect URI on a loopback host (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) with any
    /// port whose path is <see cref="LoopbackRedirectPath"/>, as RFC 8252 allows for loopback redirects: the
    /// embedded portal's port is known only once it listens. The sandbox itself listens on loopback only.
    /// </summary>
    public bool AllowLoopbackRedirects { get; set; }

    /// <summary>The path a loopback redirect URI must have (the console's callback).</summary>
    [RegularExpression("^/[A-Za-z0-9/_-]{0,200}$")]
    public string LoopbackRedirectPath { get; set; } = "/helpdesk/signin-oidc";

    /// <summary>How long an authorization code may wait for its redemption (Okta: 60 seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long ID and access tokens live (Okta: one hour).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
