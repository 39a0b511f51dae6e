using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>A DPoP proof that passed: the <c>nonce</c> it carries, if any, and the thumbprint of its key (<c>jkt</c>).</summary>
internal sealed record DpopProof(string? Nonce, string Jkt);

/// <summary>
/// DPoP proofs, at the token endpoint and on resource calls: <c>typ</c>, the embedded public key and the
/// signature by it, <c>htm</c>, <c>htu</c>, <c>iat</c> (at most five minutes old), single-use <c>jti</c>, and
/// <c>ath</c> when an access token is presented. Whether a <c>nonce</c> is required is the caller's rule.
/// </summary>
internal sealed class DpopProofValidator(TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler _jwt = new();
    private readonly SingleUseIds _usedIds = new(clock);

    /// <summary>The proof of a <paramref name="method"/> request to <paramref name="url"/>, or Okta's 400 <c>invalid_dpop_proof</c>.</summary>
    public async Task<(DpopProof? Proof, OAuthRefusal? Refusal)> ValidateAsync(string proof, string method, string url, string? accessToken)
    {
        if (_jwt.TryRead(proof) is not { } read || EmbeddedKey(read) is not { } jwk)
        {
            return Refuse("The DPoP proof JWT cannot be parsed.");
        }

        if (read.Typ != "dpop+jwt")
        {
            return Refuse("'typ' must be 'dpop+jwt' in the DPoP proof JWT.");
        }

        if (jwk.HasPrivateKey || !JwtRules.IsSignatureAlgorithm(read.Alg))
        {
            return Refuse("The DPoP proof JWT signature algorithm is invalid.");
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
            return Refuse("The DPoP proof JWT signature is invalid.");
        }

        if (!read.TryGetPayloadValue<string>("htm", out var htm) || htm != method)
        {
            return Refuse("'htm' claim in the DPoP proof JWT is invalid.");
        }

        if (!read.TryGetPayloadValue<string>("htu", out var htu) || htu != url)
        {
            return Refuse("'htu' claim in the DPoP proof JWT is invalid.");
        }

        if (CheckUse(read, accessToken) is { } refusal)
        {
            return (null, refusal);
        }

        var nonce = read.TryGetPayloadValue<string>("nonce", out var n) ? n : null;
        return (new DpopProof(nonce, Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint())), null);
    }

    // When, for which token, and only once.
    private OAuthRefusal? CheckUse(JsonWebToken read, string? accessToken)
    {
        if (!read.TryGetPayloadValue<long>("iat", out var iat))
        {
            return Refusal("'iat' claim in the DPoP proof JWT is invalid.");
        }

        var now = clock.GetUtcNow();
        var issued = DateTimeOffset.FromUnixTimeSeconds(iat);
        if (issued > now + JwtRules.ClockSkew)
        {
            return Refusal("The DPoP proof JWT is issued in the future.");
        }

        if (issued < now - MaxAge)
        {
            return Refusal("The DPoP proof JWT is issued more than five minutes in the past.");
        }

        if (!read.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti))
        {
            return Refusal("'jti' claim in the DPoP proof JWT is invalid.");
        }

        if (accessToken is not null
            && (!read.TryGetPayloadValue<string>("ath", out var ath) || ath != Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)))))
        {
            return Refusal("'ath' claim in the DPoP proof does not match the presented access_token.");
        }

        return _usedIds.FirstUse(jti, issued + MaxAge) ? null : Refusal("The DPoP proof JWT has already been used.");
    }

    // The public key the proof carries in its header (jwk), which it must be signed with.
    private static JsonWebKey? EmbeddedKey(JsonWebToken read)
    {
        try
        {
            return read.TryGetHeaderValue<JsonElement>("jwk", out var jwk) && jwk.ValueKind == JsonValueKind.Object ? new JsonWebKey(jwk.GetRawText()) : null;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException)
        {
            return null;
        }
    }

    private static (DpopProof?, OAuthRefusal?) Refuse(string description) => (null, Refusal(description));

    private static OAuthRefusal Refusal(string description) => new(400, "invalid_dpop_proof", description);
}
