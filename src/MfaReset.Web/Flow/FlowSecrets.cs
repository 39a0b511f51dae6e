using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MfaReset.Web.Flow;

/// <summary>Random secrets for flow cookies and reset tokens, and the hashes the store keeps instead of them.</summary>
public static class FlowSecrets
{
    private const int SecretBytes = 32; // 256 bits from the CSPRNG
    private static readonly int SecretLength = Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>A new URL-safe secret of 256 random bits.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Whether <paramref name="value"/> has the shape of a secret this class issued (cheap pre-check before any lookup).</summary>
    public static bool IsWellFormed(string? value) =>
        value is not null && value.Length == SecretLength && Base64Url.IsValid(value);

    /// <summary>The store key for a flow secret: lowercase hex SHA-256.</summary>
    public static string KeyOf(string secret) => Convert.ToHexStringLower(Hash(secret));

    /// <summary>SHA-256 of a secret.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string? presented, byte[]? storedHash) =>
        presented is not null && storedHash is not null && IsWellFormed(presented)
        && CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);

    /// <summary>A flow's public id: 96 random bits, hex.</summary>
    public static string NewPublicId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>A short, non-secret reference to a flow for logs (a prefix of the store key, which is itself a hash).</summary>
    public static string LogRef(string key) => key.Length > 12 ? key[..12] : key;
}
