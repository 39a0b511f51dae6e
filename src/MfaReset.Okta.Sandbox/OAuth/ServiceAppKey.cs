using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

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
