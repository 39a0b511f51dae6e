using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// Self-signed RSA certificates in .pfx files under the temp directory, made once per test run, for
/// <c>FlowStore:KeyCertificatePath</c>: the one every instance of a test shares, and another one.
/// </summary>
public static class TestKeyCertificate
{
    public const string Password = "test-only-key-certificate";

    private static readonly Lazy<string> Shared = new(() => Create("MfaReset test keys"));

    private static readonly Lazy<string> Other = new(() => Create("MfaReset other keys"));

    /// <summary>The certificate file most tests use.</summary>
    public static string Path => Shared.Value;

    /// <summary>A second certificate: keys encrypted to <see cref="Path"/> cannot be read with it.</summary>
    public static string OtherPath => Other.Value;

    private static string Create(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mfareset-keys-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
