namespace MfaReset.Okta.Sandbox.Org;

/// <summary>The Key URI Format authenticator apps enroll from (<c>otpauth://totp/...</c>).</summary>
internal static class OtpAuth
{
    public const string Issuer = "MfaReset Sandbox";

    public static string Uri(SeedUser user, SeedFactor factor) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(user.Login)}" +
        $"?secret={factor.TotpSecret!.Base32}&issuer={System.Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period={Totp.StepSeconds}";
}
