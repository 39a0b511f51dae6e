using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace MfaReset.Web.Hosting;

/// <summary>
/// The certificate that protects the Data Protection keys at rest in PostgreSQL
/// (<see cref="FlowStoreOptions.KeyCertificatePath"/>): each new key is encrypted to it before it is
/// stored, and decrypted with its private key when read. The certificate is read from a file named in
/// configuration, its password from the environment, so neither the framework's certificate stores nor
/// their files are involved.
/// </summary>
public static class KeyCertificate
{
    /// <summary>The certificate the options name, or null when they name none. Validation has checked that it loads.</summary>
    public static X509Certificate2? From(FlowStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.KeyCertificatePath is { Length: > 0 } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.KeyCertificatePassword)
            : null;
    }

    /// <summary>Why the configured certificate cannot protect the keys, or null when it can. Never repeats the password.</summary>
    public static string? Problem(FlowStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.KeyCertificatePath))
        {
            return "FlowStore:KeyCertificatePath names no readable file.";
        }

        try
        {
            using var certificate = From(options)!;
            using var rsa = certificate.GetRSAPrivateKey();
            return rsa is null ? "FlowStore:KeyCertificatePath must hold an RSA certificate with its private key." : null;
        }
        catch (CryptographicException)
        {
            return "FlowStore:KeyCertificatePath could not be read as a PKCS#12 file with FlowStore:KeyCertificatePassword.";
        }
    }
}

/// <summary>Encrypts each new Data Protection key to the key certificate, naming <see cref="KeyCertificateDecryptor"/> to read it back.</summary>
internal sealed class KeyCertificateEncryptor(X509Certificate2 certificate, ILoggerFactory loggerFactory) : IXmlEncryptor
{
    private readonly CertificateXmlEncryptor _encryptor = new(certificate, loggerFactory);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(_encryptor.Encrypt(plaintextElement).EncryptedElement, typeof(KeyCertificateDecryptor));
}

/// <summary>
/// Decrypts a key that <see cref="KeyCertificateEncryptor"/> wrote, with the private key of the configured
/// certificate only. A key encrypted to another certificate cannot be read; the key ring then makes a new
/// key, and only forms and flows begun under the old one are lost.
/// </summary>
/// <remarks>Created by the Data Protection key manager, by type name, with the application's services.</remarks>
internal sealed class KeyCertificateDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        // Read when the key ring is loaded (at start and about once a day), so the file is the only copy kept.
        using var certificate = KeyCertificate.From(services.GetRequiredService<IOptions<FlowStoreOptions>>().Value)
            ?? throw new InvalidOperationException("A Data Protection key is encrypted to a certificate, and FlowStore:KeyCertificatePath names none.");

        // EncryptedXml decrypts in place inside a document; the element is wrapped so it is not the document's root.
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using (var reader = new XElement("root", encryptedElement).CreateReader())
        {
            document.Load(reader);
        }

        new WithCertificate(document, certificate).DecryptDocument();
        using var decrypted = new XmlNodeReader(document.DocumentElement!.FirstChild!);
        return XElement.Load(decrypted);
    }

    /// <summary><see cref="EncryptedXml"/> that takes the session key's decryption key from one certificate, never from a certificate store.</summary>
    private sealed class WithCertificate(XmlDocument document, X509Certificate2 certificate) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            ArgumentNullException.ThrowIfNull(encryptedKey);
            var namesOurs = encryptedKey.KeyInfo.OfType<KeyInfoX509Data>()
                .SelectMany(data => data.Certificates?.OfType<X509Certificate2>() ?? [])
                .Any(named => string.Equals(named.Thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase));
            if (!namesOurs || encryptedKey.CipherData.CipherValue is not { } wrapped)
            {
                throw new CryptographicException("The Data Protection key was encrypted to another certificate than FlowStore:KeyCertificatePath's.");
            }

            using var rsa = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("The key certificate has no RSA private key.");
            return DecryptKey(wrapped, rsa, encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl);
        }
    }
}
