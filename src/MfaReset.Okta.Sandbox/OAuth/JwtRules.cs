using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>What the token endpoint holds both of its JWTs to (the client assertion and the DPoP proof).</summary>
internal static class JwtRules
{
    /// <summary>Okta signs and accepts asymmetric signatures only.</summary>
    public static readonly IReadOnlyList<string> SignatureAlgorithms = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"];

    /// <summary>How far ahead of the sandbox's clock an <c>iat</c> or <c>exp</c> may be.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static bool IsSignatureAlgorithm(string? alg) => alg is not null && SignatureAlgorithms.Contains(alg, StringComparer.Ordinal);

    /// <summary>The JWT's header and claims, unvalidated; null when it is not a JWT at all.</summary>
    public static JsonWebToken? TryRead(this JsonWebTokenHandler handler, string jwt)
    {
        try
        {
            return handler.ReadJsonWebToken(jwt);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException)
        {
            return null;
        }
    }
}
