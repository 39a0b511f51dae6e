using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MfaReset.Okta.Sandbox.Api;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>An access token the sandbox issued: its scopes, expiry and, for DPoP, the thumbprint of the key it is bound to.</summary>
internal sealed record IssuedToken(IReadOnlySet<string> Scopes, DateTimeOffset ExpiresAt, string? BoundJkt);

/// <summary>A refusal in Okta's words: status, OAuth <c>error</c> and <c>error_description</c>.</summary>
internal sealed record OAuthRefusal(int Status, string Error, string Description);

/// <summary>
/// The org authorization server of the sandbox: the client credentials grant for the one registered service
/// app, checked as Okta documents it (shared/okta-contract reference/oauth-client-assertion.json): the client
/// assertion's signature, <c>kid</c>, <c>iss</c>/<c>sub</c>, <c>aud</c>, <c>exp</c> (at most an hour ahead),
/// <c>iat</c> and single-use <c>jti</c>; DPoP proofs (<c>typ</c>, embedded key, <c>htm</c>, <c>htu</c>,
/// <c>iat</c>, single-use <c>jti</c>, <c>nonce</c>, <c>ath</c>); granted scopes. Tokens are random and live in memory.
/// </summary>
internal sealed class OrgAuthorizationServer
{
    public const string TokenPath = "/oauth2/v1/token";
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxProofAge = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly SandboxServiceAppOptions _app;
    private readonly TimeProvider _clock;
    private readonly OrgUrl _orgUrl;
    private readonly SecurityKey _publicKey;
    private readonly JsonWebTokenHandler _jwt = new();
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _usedIds = new(StringComparer.Ordinal);

    public OrgAuthorizationServer(SandboxServiceAppOptions app, ServiceAppKey key, TimeProvider clock, OrgUrl orgUrl)
    {
        _app = app;
        _clock = clock;
        _orgUrl = orgUrl;
        _publicKey = key.PublicKey;
        Nonce = RandomNonce();
    }

    /// <summary>The DPoP nonce token requests must carry when <see cref="SandboxServiceAppOptions.RequireDpopNonce"/> is set.</summary>
    public string Nonce { get; }

    public string TokenUrl => _orgUrl.Value + TokenPath;

    /// <summary>Runs the client credentials grant; the token, or Okta's refusal (with the nonce to use for <c>use_dpop_nonce</c>).</summary>
    public async Task<(object? Token, OAuthRefusal? Refusal)> GrantAsync(IFormCollection form, string? dpopHeader)
    {
        if (form["client_assertion_type"].ToString() != AssertionType)
        {
            return Refuse(400, "invalid_request", "The client_assertion_type is invalid.");
        }

        if (form["client_assertion"].ToString() is not { Length: > 0 } assertion)
        {
            return Refuse(401, "invalid_client", "No client credentials found.");
        }

        if (await CheckAssertionAsync(assertion).ConfigureAwait(false) is { } assertionRefusal)
        {
            return (null, assertionRefusal);
        }

        if (form["grant_type"].ToString() != "client_credentials")
        {
            return Refuse(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
        }

        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (scopes.Count == 0)
        {
            return Refuse(400, "invalid_scope", "No scopes were requested.");
        }

        if (scopes.Contains("openid"))
        {
            return Refuse(400, "invalid_scope", "Cannot request 'openid' scopes using client credentials.");
        }

        if (!scopes.IsSubsetOf(_app.GrantedScopes))
        {
            return Refuse(400, "consent_required", "You are not allowed any of the requested scopes.");
        }

        string? jkt = null;
        if (dpopHeader is null)
        {
            if (_app.RequireDpop || _app.RequireDpopNonce)
            {
                return Refuse(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
            }
        }
        else
        {
            var proof = await CheckProofAsync(dpopHeader, "POST", TokenUrl, accessToken: null).ConfigureAwait(false);
            if (proof.Refusal is { } proofRefusal)
            {
                return (null, proofRefusal);
            }

            if (_app.RequireDpopNonce && proof.Nonce != Nonce)
            {
                return Refuse(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.");
            }

            jkt = proof.Jkt;
        }

        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _tokens[token] = new IssuedToken(scopes, _clock.GetUtcNow() + _app.TokenLifetime, jkt);
        var scope = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        return (new TokenBody(jkt is null ? "Bearer" : "DPoP", (int)_app.TokenLifetime.TotalSeconds, token, scope), null);
    }

    /// <summary>The live token <paramref name="value"/>, or null when it was never issued or has expired.</summary>
    public IssuedToken? Find(string value) =>
        _tokens.TryGetValue(value, out var token) && _clock.GetUtcNow() < token.ExpiresAt ? token : null;

    /// <summary>Checks a DPoP proof: typ, embedded public key and signature, htm, htu, iat, single-use jti, and ath when a token is given.</summary>
    public async Task<(OAuthRefusal? Refusal, string? Nonce, string? Jkt)> CheckProofAsync(string proof, string method, string url, string? accessToken)
    {
        JsonWebToken read;
        JsonWebKey jwk;
        try
        {
            read = _jwt.ReadJsonWebToken(proof);
            if (!read.TryGetHeaderValue<JsonElement>("jwk", out var jwkJson) || jwkJson.ValueKind != JsonValueKind.Object)
            {
                return (ProofRefusal("The DPoP proof JWT cannot be parsed."), null, null);
            }

            jwk = new JsonWebKey(jwkJson.GetRawText());
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException)
        {
            return (ProofRefusal("The DPoP proof JWT cannot be parsed."), null, null);
        }

        if (read.Typ != "dpop+jwt")
        {
            return (ProofRefusal("'typ' must be 'dpop+jwt' in the DPoP proof JWT."), null, null);
        }

        if (jwk.HasPrivateKey || read.Alg is not ("RS256" or "RS384" or "RS512" or "ES256" or "ES384" or "ES512"))
        {
            return (ProofRefusal("The DPoP proof JWT signature algorithm is invalid."), null, null);
        }

        var validation = await _jwt.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = jwk,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidTypes = ["dpop+jwt"],
        }).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return (ProofRefusal("The DPoP proof JWT signature is invalid."), null, null);
        }

        if (!read.TryGetPayloadValue<string>("htm", out var htm) || htm != method)
        {
            return (ProofRefusal("'htm' claim in the DPoP proof JWT is invalid."), null, null);
        }

        if (!read.TryGetPayloadValue<string>("htu", out var htu) || htu != url)
        {
            return (ProofRefusal("'htu' claim in the DPoP proof JWT is invalid."), null, null);
        }

        if (!read.TryGetPayloadValue<long>("iat", out var iat))
        {
            return (ProofRefusal("'iat' claim in the DPoP proof JWT is invalid."), null, null);
        }

        var now = _clock.GetUtcNow();
        var issued = DateTimeOffset.FromUnixTimeSeconds(iat);
        if (issued > now + ClockSkew)
        {
            return (ProofRefusal("The DPoP proof JWT is issued in the future."), null, null);
        }

        if (issued < now - MaxProofAge)
        {
            return (ProofRefusal("The DPoP proof JWT is issued more than five minutes in the past."), null, null);
        }

        if (!read.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti))
        {
            return (ProofRefusal("'jti' claim in the DPoP proof JWT is invalid."), null, null);
        }

        if (accessToken is not null
            && (!read.TryGetPayloadValue<string>("ath", out var ath) || ath != Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)))))
        {
            return (ProofRefusal("'ath' claim in the DPoP proof does not match the presented access_token."), null, null);
        }

        if (!FirstUse("dpop:" + jti, issued + MaxProofAge))
        {
            return (ProofRefusal("The DPoP proof JWT has already been used."), null, null);
        }

        var nonce = read.TryGetPayloadValue<string>("nonce", out var n) ? n : null;
        return (null, nonce, Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()));
    }

    private async Task<OAuthRefusal?> CheckAssertionAsync(string assertion)
    {
        JsonWebToken read;
        try
        {
            read = _jwt.ReadJsonWebToken(assertion);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException)
        {
            return Client("The parsing of the client_assertion failed.");
        }

        if (read.Alg is not ("RS256" or "RS384" or "RS512" or "ES256" or "ES384" or "ES512"))
        {
            return Client("The client_assertion JWT signature algorithm is invalid.");
        }

        if (!string.IsNullOrEmpty(read.Kid) && read.Kid != _app.KeyId)
        {
            return Client("The client_assertion JWT kid is invalid.");
        }

        var validation = await _jwt.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = _publicKey,
            TryAllIssuerSigningKeys = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        }).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return Client("The client_assertion signature is invalid.");
        }

        if (read.Issuer != _app.ClientId)
        {
            return Client("The issuer claim for client_assertion is not a valid client_id.");
        }

        if (read.Subject != _app.ClientId)
        {
            return Client("The subject claim for client_assertion is not a valid client_id.");
        }

        if (!read.Audiences.Contains(TokenUrl, StringComparer.Ordinal))
        {
            return Client("The audience claim for client_assertion must be the endpoint invoked for the request.");
        }

        // Okta's guide prints exp as a string, its claim table as an integer: both are read.
        if (!read.TryGetPayloadValue<long>("exp", out var exp)
            && !(read.TryGetPayloadValue<string>("exp", out var expText) && long.TryParse(expText, out exp)))
        {
            return Client("The client_assertion must contain the 'exp' claim as seconds since epoch.");
        }

        var now = _clock.GetUtcNow();
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expires <= now)
        {
            return Client("The client_assertion token is expired.");
        }

        if (expires > now + MaxAssertionLifetime + ClockSkew)
        {
            return Client("The client_assertion token has an expiration too far into the future.");
        }

        if (read.TryGetPayloadValue<long>("iat", out var iat) && DateTimeOffset.FromUnixTimeSeconds(iat) > now + ClockSkew)
        {
            return Client("The client_assertion token must be issued before the current time.");
        }

        if (read.Id is { Length: > 0 } jti && !FirstUse("assertion:" + jti, expires))
        {
            return Client("The client_assertion token has already been used.");
        }

        return null;
    }

    /// <summary>Records a single-use id until it could no longer be accepted anyway; false when it was seen before.</summary>
    private bool FirstUse(string id, DateTimeOffset keepUntil)
    {
        var now = _clock.GetUtcNow();
        foreach (var (old, until) in _usedIds)
        {
            if (until < now)
            {
                _usedIds.TryRemove(old, out _);
            }
        }

        return _usedIds.TryAdd(id, keepUntil);
    }

    private static (object?, OAuthRefusal?) Refuse(int status, string error, string description) => (null, new OAuthRefusal(status, error, description));

    private static OAuthRefusal Client(string description) => new(401, "invalid_client", description);

    private static OAuthRefusal ProofRefusal(string description) => new(400, "invalid_dpop_proof", description);

    private static string RandomNonce() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
}

/// <summary>The token endpoint's success body.</summary>
internal sealed record TokenBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope);

/// <summary>The token endpoint's error body: <c>error</c> and <c>error_description</c>, not Okta's errorCode shape.</summary>
internal sealed record OAuthErrorBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription);

/// <summary>
/// The service app's registered public key, from <see cref="SandboxServiceAppOptions.PublicKey"/> or made at start
/// (then <see cref="DemoPrivateKeyPem"/> holds its private half, for whoever started the sandbox).
/// </summary>
internal sealed class ServiceAppKey
{
    private ServiceAppKey(SecurityKey publicKey, string? demoPrivateKeyPem)
    {
        PublicKey = publicKey;
        DemoPrivateKeyPem = demoPrivateKeyPem;
    }

    public SecurityKey PublicKey { get; }

    public string? DemoPrivateKeyPem { get; }

    public static ServiceAppKey From(SandboxServiceAppOptions app)
    {
        if (string.IsNullOrWhiteSpace(app.PublicKey))
        {
            using var rsa = RSA.Create(2048);
            return new ServiceAppKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)) { KeyId = app.KeyId }, rsa.ExportPkcs8PrivateKeyPem());
        }

        var text = app.PublicKey.Trim();
        if (text.StartsWith('{'))
        {
            return new ServiceAppKey(new JsonWebKey(text) { KeyId = app.KeyId }, null);
        }

        if (text.Contains("BEGIN EC", StringComparison.Ordinal) || !TryRsa(text, out var key))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(text);
            return new ServiceAppKey(new ECDsaSecurityKey(ecdsa) { KeyId = app.KeyId }, null);
        }

        return new ServiceAppKey(key, null);

        bool TryRsa(string pem, out SecurityKey rsaKey)
        {
            using var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
                rsaKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)) { KeyId = app.KeyId };
                return true;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                rsaKey = null!;
                return false;
            }
        }
    }
}
