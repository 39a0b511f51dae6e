using System.Net;
using System.Text;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Org;
using OtpNet;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class TotpTests
{
    private const string TomSecret = "MFARESETSANDBOXTOMTOTPOKTAVERIFY";

    // Otp.NET is the oracle: codes an authenticator app (SHA-1, 6 digits, 30 s) would show.
    private static string AuthenticatorCode(string base32Secret, DateTimeOffset instant) =>
        new OtpNet.Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp(instant.UtcDateTime);

    // RFC 6238 appendix B, SHA-1 rows, truncated to the 6 digits Okta uses.
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void CodesMatchTheRfc6238TestVectors(long unixSeconds, string expected)
    {
        var secret = TotpSecret.FromKey(Encoding.ASCII.GetBytes("12345678901234567890"));

        var code = Org.Totp.Code(secret, DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

        Assert.Equal(expected, code);
    }

    [Fact]
    public void Base32SecretsRoundTrip()
    {
        var secret = TotpSecret.FromKey(Encoding.ASCII.GetBytes("12345678901234567890"));

        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", secret.Base32);
        Assert.Equal(secret.Key, TotpSecret.FromBase32(secret.Base32).Key);
        Assert.Equal(Base32Encoding.ToBytes(TomSecret), TotpSecret.FromBase32(TomSecret).Key);
    }

    [Theory]
    [InlineData(Demo.Tom, SandboxFactorKind.OktaVerifyTotp)]
    [InlineData(Demo.Gail, SandboxFactorKind.GoogleAuthenticator)]
    public async Task CurrentCodeOfTheAuthenticatorSucceedsWithoutAChallenge(string login, SandboxFactorKind kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = sandbox.Control.GetTotpCodes(login).Single(c => c.Kind == kind).Code;

        using var response = await sandbox.SendPasscodeAsync(login, kind, code);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("SUCCESS", (await TestSandbox.JsonAsync(response)).GetProperty("factorResult").GetString());
    }

    [Fact]
    public async Task DemoSecretsAreFixedSoEnrolledAppsKeepWorking()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = sandbox.Control.GetTotpCodes(Demo.Tom).Single();

        Assert.Equal(AuthenticatorCode(TomSecret, sandbox.Clock.GetUtcNow()), code.Code);
        Assert.Equal(
            "otpauth://totp/MfaReset%20Sandbox:tom.totp%40example.com?secret=MFARESETSANDBOXTOMTOTPOKTAVERIFY&issuer=MfaReset%20Sandbox&algorithm=SHA1&digits=6&period=30",
            code.OtpAuthUri);
        Assert.Equal(30, code.SecondsLeft);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task CodeOfTheNeighbouringStepIsAccepted(int stepOffset)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = AuthenticatorCode(TomSecret, sandbox.Clock.GetUtcNow().AddSeconds(30 * stepOffset));

        using var response = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, code);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public async Task CodeTwoStepsAwayIsRejected(int stepOffset)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var now = sandbox.Clock.GetUtcNow();
        var code = AuthenticatorCode(TomSecret, now.AddSeconds(30 * stepOffset));
        Assert.DoesNotContain(code, new[] { -1, 0, 1 }.Select(d => AuthenticatorCode(TomSecret, now.AddSeconds(30 * d))));

        using var response = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, code);

        await TestSandbox.AssertErrorAsync(response, 403, "E0000068");
    }

    [Fact]
    public async Task CodeFromAMinuteAgoIsRejectedAfterTheClockMoves()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = sandbox.Control.GetTotpCodes(Demo.Tom).Single().Code;

        sandbox.Clock.Advance(TimeSpan.FromSeconds(60));
        using var response = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, code);

        await TestSandbox.AssertErrorAsync(response, 403, "E0000068");
    }

    [Fact]
    public async Task UsedCodeCannotBeUsedAgain()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = sandbox.Control.GetTotpCodes(Demo.Gail).Single().Code;
        (await sandbox.SendPasscodeAsync(Demo.Gail, SandboxFactorKind.GoogleAuthenticator, code)).Dispose();

        using var replay = await sandbox.SendPasscodeAsync(Demo.Gail, SandboxFactorKind.GoogleAuthenticator, code);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(30));
        var next = sandbox.Control.GetTotpCodes(Demo.Gail).Single().Code;
        using var nextStep = await sandbox.SendPasscodeAsync(Demo.Gail, SandboxFactorKind.GoogleAuthenticator, next);

        await TestSandbox.AssertErrorAsync(replay, 403, "E0000082");
        Assert.Equal(HttpStatusCode.OK, nextStep.StatusCode);
    }

    [Fact]
    public async Task TotpVerifyWithoutPasscodeGets400()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp);

        await TestSandbox.AssertErrorAsync(response, 400, "E0000001");
    }

    [Fact]
    public async Task SecondsLeftCountDownToTheNextCode()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var before = sandbox.Control.GetTotpCodes(Demo.Max);

        sandbox.Clock.Advance(TimeSpan.FromSeconds(12));
        var during = sandbox.Control.GetTotpCodes(Demo.Max);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(18));
        var after = sandbox.Control.GetTotpCodes(Demo.Max);

        Assert.Equal([SandboxFactorKind.OktaVerifyTotp, SandboxFactorKind.GoogleAuthenticator], before.Select(c => c.Kind));
        Assert.All(during, c => Assert.Equal(18, c.SecondsLeft));
        Assert.Equal(before.Select(c => c.Code), during.Select(c => c.Code));
        Assert.NotEqual(before.Select(c => c.Code), after.Select(c => c.Code));
    }

    [Fact]
    public async Task SecurityQuestionAnswerIsComparedIgnoringCase()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var wrong = await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.SecurityQuestion, new { answer = "The Scream" });
        using var right = await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.SecurityQuestion, new { answer = " mona lisa " });

        var error = await TestSandbox.AssertErrorAsync(wrong, 403, "E0000068");
        Assert.Equal("Your answer doesn't match our records. Please try again.", error.GetProperty("errorCauses")[0].GetProperty("errorSummary").GetString());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }
}
