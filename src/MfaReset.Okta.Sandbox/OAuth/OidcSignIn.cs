using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MfaReset.Okta.Sandbox.Api;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>An authorize request the sign-in page holds while the person picks who they are.</summary>
internal sealed record PendingAuthorization(string RedirectUri, string State, string? Nonce, string CodeChallenge, string Scope, DateTimeOffset ExpiresAt);

/// <summary>An issued authorization code: single use, bound to the redirect URI and the PKCE challenge.</summary>
internal sealed record AuthorizationCode(DemoAgent Agent, PendingAuthorization Request, DateTimeOffset ExpiresAt);

/// <summary>
/// The org authorization server's OpenID Connect side for the one web app (<see cref="SandboxSignInAppOptions"/>):
/// authorize (the redirect URI checked before anything is redirected to it, PKCE S256 required), the
/// authorization code grant (client secret, single-use code, same redirect URI, code verifier) and ID tokens
/// signed with a key made at start, published as a JWKS. Claims as Okta's org server issues them.
/// </summary>
internal sealed class OidcSignIn
{
    public const string AuthorizePath = "/oauth2/v1/authorize";
    public const string KeysPath = "/oauth2/v1/keys";
    public const string LogoutPath = "/oauth2/v1/logout";
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    private static readonly TimeSpan SignInPageLifetime = TimeSpan.FromMinutes(10);

    private readonly SandboxSignInAppOptions _app;
    private readonly TimeProvider _clock;
    private readonly OrgUrl _orgUrl;
    private readonly RsaSecurityKey _signingKey;
    private readonly JsonWebTokenHandler _jwt = new();
    private readonly ConcurrentDictionary<string, PendingAuthorization> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);

    public OidcSignIn(SandboxSignInAppOptions app, TimeProvider clock, OrgUrl orgUrl)
    {
        _app = app;
        _clock = clock;
        _orgUrl = orgUrl;
        using var rsa = RSA.Create(2048);
        _signingKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = "sandbox-" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(9)) };
    }

    public string Issuer => _orgUrl.Value;

    public string ClientId => _app.ClientId;

    /// <summary>The public signing key as a JWK (<c>kty</c>, <c>alg</c>, <c>kid</c>, <c>use</c>, <c>e</c>, <c>n</c>).</summary>
    public IReadOnlyDictionary<string, string> PublicJwk => new Dictionary<string, string>
    {
        ["kty"] = "RSA",
        ["alg"] = "RS256",
        ["kid"] = _signingKey.KeyId,
        ["use"] = "sig",
        ["e"] = Base64UrlEncoder.Encode(_signingKey.Parameters.Exponent),
        ["n"] = Base64UrlEncoder.Encode(_signingKey.Parameters.Modulus),
    };

    /// <summary>
    /// Checks an authorize request. A bad client or redirect URI is shown on an error page (never redirected to);
    /// anything else wrong goes back to the redirect URI as <c>error</c>. Else the sign-in page's request id.
    /// </summary>
    public AuthorizeDecision Authorize(IQueryCollection query)
    {
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        if (!FixedTimeEquals(clientId, _app.ClientId))
        {
            return new AuthorizeDecision.ErrorPage("invalid_client", "Invalid value for 'client_id' parameter.");
        }

        if (!IsRegistered(redirectUri))
        {
            return new AuthorizeDecision.ErrorPage("invalid_request", "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings");
        }

        var state = query["state"].ToString();
        if (query["response_type"].ToString() != "code")
        {
            return new AuthorizeDecision.Redirect(redirectUri, state, "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code].");
        }

        var scopes = query["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!scopes.Contains("openid", StringComparer.Ordinal))
        {
            return new AuthorizeDecision.Redirect(redirectUri, state, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
        }

        if (query["code_challenge_method"].ToString() != "S256" || query["code_challenge"].ToString() is not { Length: >= 43 and <= 128 } challenge)
        {
            return new AuthorizeDecision.Redirect(redirectUri, state, "invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.");
        }

        if (string.IsNullOrEmpty(state))
        {
            return new AuthorizeDecision.Redirect(redirectUri, state, "invalid_request", "The authentication request has an invalid 'state' parameter.");
        }

        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        var nonce = query["nonce"].ToString();
        _pending[id] = new PendingAuthorization(redirectUri, state, nonce.Length == 0 ? null : nonce, challenge, string.Join(' ', scopes), _clock.GetUtcNow() + SignInPageLifetime);
        return new AuthorizeDecision.SignInPage(id);
    }

    /// <summary>The person picked on the sign-in page signs in: the redirect with a fresh code, or null when the page's request is gone.</summary>
    public string? SignIn(string requestId, string agentLogin)
    {
        if (!_pending.TryRemove(requestId, out var request) || request.ExpiresAt <= _clock.GetUtcNow()
            || DemoAgents.All.FirstOrDefault(a => a.Login == agentLogin) is not { } agent)
        {
            return null;
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new AuthorizationCode(agent, request, _clock.GetUtcNow() + _app.CodeLifetime);
        return QueryHelpers.AddQueryString(request.RedirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = request.State });
    }

    /// <summary>The authorization code grant; the token body, or Okta's refusal.</summary>
    public (IReadOnlyDictionary<string, object>? Body, OAuthRefusal? Refusal) Redeem(IFormCollection form, string? basicAuthorization)
    {
        var (clientId, secret) = ClientCredentials(form, basicAuthorization);
        if (clientId is null || secret is null)
        {
            return (null, new OAuthRefusal(401, "invalid_client", "No client credentials found."));
        }

        if (!FixedTimeEquals(clientId, _app.ClientId) || string.IsNullOrEmpty(_app.ClientSecret) || !FixedTimeEquals(secret, _app.ClientSecret))
        {
            return (null, new OAuthRefusal(401, "invalid_client", "The client secret supplied for a confidential client is invalid."));
        }

        // A code is spent by its first redemption, whatever follows (RFC 6749 4.1.2).
        if (!_codes.TryRemove(form["code"].ToString(), out var code) || code.ExpiresAt <= _clock.GetUtcNow())
        {
            return (null, new OAuthRefusal(400, "invalid_grant", "The authorization code is invalid or has expired."));
        }

        if (form["redirect_uri"].ToString() != code.Request.RedirectUri)
        {
            return (null, new OAuthRefusal(400, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request."));
        }

        var verifier = form["code_verifier"].ToString();
        var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (verifier.Length is < 43 or > 128 || !FixedTimeEquals(computed, code.Request.CodeChallenge))
        {
            return (null, new OAuthRefusal(400, "invalid_grant", "PKCE verification failed."));
        }

        var now = _clock.GetUtcNow();
        var accessToken = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var idToken = IdToken(code, accessToken, now);
        return (new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)_app.TokenLifetime.TotalSeconds,
            ["access_token"] = accessToken,
            ["scope"] = code.Request.Scope,
            ["id_token"] = idToken,
        }, null);
    }

    private string IdToken(AuthorizationCode code, string accessToken, DateTimeOffset now)
    {
        var agent = code.Agent;
        var scopes = code.Request.Scope.Split(' ');
        var claims = new Dictionary<string, object>
        {
            ["ver"] = 1,
            ["jti"] = "ID." + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24)),
            ["amr"] = new[] { "pwd" },
            ["idp"] = "00osandboxorg0idp0id",
            ["auth_time"] = now.ToUnixTimeSeconds(),
            // at_hash: the left half of SHA-256 of the access token (OIDC Core 3.1.3.6).
            ["at_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]),
        };
        if (code.Request.Nonce is { } nonce)
        {
            claims["nonce"] = nonce;
        }

        if (scopes.Contains("profile"))
        {
            claims["name"] = agent.Name;
            claims["preferred_username"] = agent.Login;
        }

        if (scopes.Contains("email"))
        {
            claims["email"] = agent.Login;
        }

        if (scopes.Contains("groups"))
        {
            claims["groups"] = agent.Groups.ToArray();
        }

        return _jwt.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = _app.ClientId,
            Subject = new ClaimsIdentity([new Claim("sub", agent.UserId)]),
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + _app.TokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private bool IsRegistered(string redirectUri)
    {
        if (_app.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return true;
        }

        return _app.AllowLoopbackRedirects
            && Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.IsLoopback
            && uri.Host is "localhost" or "127.0.0.1" or "[::1]"
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            && uri.AbsolutePath == _app.LoopbackRedirectPath;
    }

    private static (string? ClientId, string? Secret) ClientCredentials(IFormCollection form, string? basic)
    {
        if (basic is { Length: > 6 } && basic.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? (null, null) : (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        var id = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        return id.Length == 0 || secret.Length == 0 ? (null, null) : (id, secret);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}

/// <summary>What an authorize request leads to.</summary>
internal abstract record AuthorizeDecision
{
    private AuthorizeDecision()
    {
    }

    /// <summary>The sign-in page for the held request <paramref name="RequestId"/>.</summary>
    public sealed record SignInPage(string RequestId) : AuthorizeDecision;

    /// <summary>Back to the client with an OAuth error.</summary>
    public sealed record Redirect(string RedirectUri, string State, string Error, string Description) : AuthorizeDecision;

    /// <summary>Shown at Okta: the client or its redirect URI cannot be trusted with a redirect.</summary>
    public sealed record ErrorPage(string Error, string Description) : AuthorizeDecision;
}
