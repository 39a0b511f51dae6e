using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>A TOTP shared secret, kept both as bytes and in the Base32 form authenticator apps take.</summary>
internal sealed class TotpSecret
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private TotpSecret(byte[] key, string base32)
    {
        Key = key;
        Base32 = base32;
    }

    public byte[] Key { get; }

    public string Base32 { get; }

    /// <summary>Reads an RFC 4648 Base32 secret (no padding), as the seeded demo secrets are written.</summary>
    public static TotpSecret FromBase32(string base32)
    {
        var bytes = new List<byte>(base32.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in base32)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{c}' is not a Base32 character.", nameof(base32));
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return new TotpSecret([.. bytes], base32);
    }

    /// <summary>Writes <paramref name="key"/> as unpadded Base32 (lengths that are multiples of 5 bytes need no padding).</summary>
    public static TotpSecret FromKey(byte[] key)
    {
        var text = new StringBuilder((key.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in key)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(Alphabet[(buffer >> bits) & 31]);
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return new TotpSecret(key, text.ToString());
    }

    /// <summary>Secrets are never printed.</summary>
    public override string ToString() => "TotpSecret";
}

/// <summary>RFC 6238 TOTP as Okta Verify and Google Authenticator use it: HMAC-SHA1, 6 digits, 30-second steps.</summary>
internal static class Totp
{
    public const int StepSeconds = 30;

    /// <summary>How many steps before and after the current one a code is still accepted (Okta: one).</summary>
    public const int AcceptedDrift = 1;

    public static long StepAt(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / StepSeconds;

    public static int SecondsLeft(DateTimeOffset instant) => StepSeconds - (int)(instant.ToUnixTimeSeconds() % StepSeconds);

    public static string Code(TotpSecret secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 and every authenticator app use HMAC-SHA1; it is not used for collision resistance here.
        HMACSHA1.HashData(secret.Key, counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6");
    }

    /// <summary>The step whose code equals <paramref name="passCode"/>, within the accepted drift of <paramref name="now"/>; null when none.</summary>
    public static long? MatchingStep(TotpSecret secret, string passCode, DateTimeOffset now)
    {
        var current = StepAt(now);
        var candidate = Encoding.ASCII.GetBytes(passCode);
        long? match = null;
        for (var step = current - AcceptedDrift; step <= current + AcceptedDrift; step++)
        {
            // Every step is compared, in constant time, so timing does not tell which one matched.
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), candidate))
            {
                match ??= step;
            }
        }

        return match;
    }
}
