using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MfaReset.Web.Reset.State;

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

    private const int PublicIdBytes = 12; // 96 random bits

    // Set above the 96 bits of a parsed public id, so an id of all zero bits is told from none.
    private static readonly UInt128 PublicIdMarker = UInt128.One << (PublicIdBytes * 8);

    /// <summary>A flow's public id: 96 random bits, hex.</summary>
    public static string NewPublicId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PublicIdBytes));

    /// <summary>A public id of <see cref="NewPublicId"/>'s shape as a number a flow can hold without a string.</summary>
    public static bool TryParsePublicId(string? text, out UInt128 bits)
    {
        bits = UInt128.Zero;
        if (text is not { Length: PublicIdBytes * 2 } || !text.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        bits = UInt128.Parse(text, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture) | PublicIdMarker;
        return true;
    }

    /// <summary>The text of a public id parsed by <see cref="TryParsePublicId"/>.</summary>
    public static string FormatPublicId(UInt128 bits) =>
        (bits & (PublicIdMarker - UInt128.One)).ToString("x24", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A short, non-secret reference to a flow for logs (a prefix of the store key, which is itself a hash).</summary>
    public static string LogRef(string key) => key.Length > 12 ? key[..12] : key;
}
