using OtpNet;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>A TOTP shared secret, kept both as bytes and in the Base32 form authenticator apps take.</summary>
internal sealed class TotpSecret
{
    private TotpSecret(byte[] key, string base32)
    {
        Key = key;
        Base32 = base32;
    }

    public byte[] Key { get; }

    public string Base32 { get; }

    /// <summary>Reads an RFC 4648 Base32 secret (no padding), as the seeded demo secrets are written.</summary>
    public static TotpSecret FromBase32(string base32) => new(Base32Encoding.ToBytes(base32), base32);

    /// <summary>Writes <paramref name="key"/> as Base32; keys whose length is a multiple of 5 bytes get no padding.</summary>
    public static TotpSecret FromKey(byte[] key) => new(key, Base32Encoding.ToString(key));

    /// <summary>Secrets are never printed.</summary>
    public override string ToString() => "TotpSecret";
}

/// <summary>RFC 6238 TOTP as Okta Verify and Google Authenticator use it: HMAC-SHA1, 6 digits, 30-second steps.</summary>
internal static class Totp
{
    public const int StepSeconds = 30;

    private const int Digits = 6;

    /// <summary>How many steps before and after the current one a code is still accepted (Okta: one).</summary>
    private static readonly VerificationWindow AcceptedDrift = new(previous: 1, future: 1);

    public static int SecondsLeft(DateTimeOffset instant) => StepSeconds - (int)(instant.ToUnixTimeSeconds() % StepSeconds);

    /// <summary>The code an authenticator shows at <paramref name="instant"/>.</summary>
    public static string Code(TotpSecret secret, DateTimeOffset instant) => Generator(secret.Key).ComputeTotp(instant.UtcDateTime);

    /// <summary>The step whose code equals <paramref name="passCode"/>, within the accepted drift of <paramref name="now"/>; null when none.</summary>
    public static long? MatchingStep(TotpSecret secret, string passCode, DateTimeOffset now) =>
        Generator(secret.Key).VerifyTotp(now.UtcDateTime, passCode, out var step, AcceptedDrift) ? step : null;

    private static OtpNet.Totp Generator(byte[] key) => new(key, step: StepSeconds, mode: OtpHashMode.Sha1, totpSize: Digits);
}
