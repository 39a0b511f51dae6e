using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta;

/// <summary>
/// The service app's private key (<see cref="OktaOptions.PrivateKey"/>) as signing credentials: RSA keys sign
/// with RS256, P-256 keys with ES256. Read from PEM or from a JWK. Messages never quote the key.
/// </summary>
internal static class ClientAssertionKey
{
    /// <summary>Why <paramref name="text"/> is not a usable key, or null when it is.</summary>
    public static string? Problem(string text)
    {
        try
        {
            _ = Load(text, keyId: null);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException or NotSupportedException or System.Text.Json.JsonException)
        {
            return "is not a usable private key: give an RSA (RS256) or P-256 (ES256) private key as PEM (-----BEGIN PRIVATE KEY-----) or as a JWK with its private part (\"d\").";
        }
    }

    /// <summary>The signing credentials; <paramref name="keyId"/> (when given) becomes the assertion's <c>kid</c>.</summary>
    public static SigningCredentials Load(string text, string? keyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var trimmed = text.Trim();
        return trimmed.StartsWith('{') ? FromJwk(trimmed, keyId) : FromPem(trimmed, keyId);
    }

    private static SigningCredentials FromJwk(string json, string? keyId)
    {
        var jwk = new JsonWebKey(json);
        if (!jwk.HasPrivateKey)
        {
            throw new ArgumentException("The JWK has no private part.");
        }

        if (keyId is not null)
        {
            jwk.KeyId = keyId;
        }

        return jwk.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.RSA => new SigningCredentials(jwk, SecurityAlgorithms.RsaSha256),
            JsonWebAlgorithmsKeyTypes.EllipticCurve when jwk.Crv == JsonWebKeyECTypes.P256 => new SigningCredentials(jwk, SecurityAlgorithms.EcdsaSha256),
            _ => throw new NotSupportedException("Only RSA and P-256 keys are supported."),
        };
    }

    private static SigningCredentials FromPem(string pem, string? keyId)
    {
        if (pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal) || !TryRsa(pem, out var rsa))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            if (ecdsa.KeySize != 256)
            {
                ecdsa.Dispose();
                throw new NotSupportedException("Only P-256 EC keys are supported.");
            }

            _ = ecdsa.ExportParameters(includePrivateParameters: true);
            return new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
        }

        return new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
    }

    private static bool TryRsa(string pem, out RSA rsa)
    {
        rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // A public key imports too; only a private key can sign.
            _ = rsa.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
            return false;
        }
    }
}
