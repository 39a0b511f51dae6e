using System.Net;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class PhoneCodeTests
{
    [Fact]
    public async Task SmsChallengeDeliversASixDigitCodeAndAnswersChallenge()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestSandbox.JsonAsync(response);
        Assert.Equal("CHALLENGE", body.GetProperty("factorResult").GetString());
        Assert.Equal("+12025550101", body.GetProperty("profile").GetProperty("phoneNumber").GetString());
        Assert.EndsWith("/verify", body.GetProperty("_links").GetProperty("verify").GetProperty("href").GetString(), StringComparison.Ordinal);
        var message = sandbox.Control.GetLatestMessage(Demo.Sam)!;
        Assert.Equal(PhoneChannel.Sms, message.Channel);
        Assert.Matches("^[0-9]{6}$", message.Code);
        Assert.Contains(message.Code, message.Text, StringComparison.Ordinal);
        Assert.Equal(sandbox.Clock.GetUtcNow().AddMinutes(5), message.ExpiresAt);
    }

    [Theory]
    [InlineData("es-ES,es;q=0.9", SandboxFactorKind.Sms, "Su código de verificación es {0}")]
    [InlineData("fr", SandboxFactorKind.Sms, "Votre code de vérification est {0}")]
    [InlineData("de-AT,de;q=0.9", SandboxFactorKind.Sms, "Ihr Bestätigungscode lautet {0}")]
    [InlineData("it,es;q=0.5", SandboxFactorKind.Sms, "Su código de verificación es {0}")]
    [InlineData("ja", SandboxFactorKind.Sms, "Your verification code is {0}")]
    [InlineData(null, SandboxFactorKind.Sms, "Your verification code is {0}")]
    [InlineData("de", SandboxFactorKind.Call, "Ihr Bestätigungscode lautet {1}. Noch einmal: {1}.")]
    [InlineData("es", SandboxFactorKind.Call, "Su código de verificación es {1}. Repito: {1}.")]
    [InlineData("fr", SandboxFactorKind.Call, "Votre code de vérification est {1}. Je répète : {1}.")]
    public async Task MessagesSpeakTheLanguageTheChallengeAskedFor(string? acceptLanguage, SandboxFactorKind kind, string text)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var login = kind == SandboxFactorKind.Sms ? Demo.Sam : Demo.Vera;

        using var response = await sandbox.VerifyAsync(login, kind, acceptLanguage: acceptLanguage);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = sandbox.Control.GetLatestMessage(login)!;
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, text, message.Code, string.Join(' ', message.Code.ToCharArray())), message.Text);
    }

    [Theory]
    [InlineData("de", "Ihr Bestätigungscode lautet {0}. Er läuft in 5 Minuten ab. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.")]
    [InlineData("es", "Su código de verificación es {0}. Caduca en 5 minutos. Si no lo ha solicitado, ignore este correo.")]
    [InlineData(null, "Your verification code is {0}. It expires in 5 minutes. If you didn't ask for it, ignore this email.")]
    public async Task EmailsSpeakTheLanguageTheChallengeAskedFor(string? acceptLanguage, string text)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Emma, SandboxFactorKind.Email, acceptLanguage: acceptLanguage);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = sandbox.Control.GetLatestMessage(Demo.Emma)!;
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, text, message.Code), message.Text);
    }

    [Fact]
    public async Task EmptyJsonBodyIsAChallengeToo()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms, new { });

        Assert.Equal("CHALLENGE", (await TestSandbox.JsonAsync(response)).GetProperty("factorResult").GetString());
    }

    [Fact]
    public async Task CorrectSmsCodeSucceedsOnce()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        using var first = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, code);
        using var again = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("SUCCESS", (await TestSandbox.JsonAsync(first)).GetProperty("factorResult").GetString());
        await TestSandbox.AssertErrorAsync(again, 403, "E0000068");
    }

    [Fact]
    public async Task WrongSmsCodeGets403InvalidPasscode()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var wrong = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms) == "000000" ? "111111" : "000000";

        using var response = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, wrong);

        var body = await TestSandbox.AssertErrorAsync(response, 403, "E0000068");
        Assert.Equal("Invalid Passcode/Answer", body.GetProperty("errorSummary").GetString());
        Assert.Equal("Your passcode doesn't match our records. Please try again.", body.GetProperty("errorCauses")[0].GetProperty("errorSummary").GetString());
    }

    [Fact]
    public async Task CodeWithoutAChallengeIsInvalid()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, "123456");

        await TestSandbox.AssertErrorAsync(response, 403, "E0000068");
    }

    [Fact]
    public async Task SecondSmsChallengeWithin30SecondsGets429E0000109AndNothingIsSent()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms)).Dispose();
        sandbox.Clock.Advance(TimeSpan.FromSeconds(29));

        using var tooSoon = await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms);
        var messagesAfterRefusal = sandbox.Control.GetMessages(Demo.Sam).Count;
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        using var inTime = await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms);

        var body = await TestSandbox.AssertErrorAsync(tooSoon, 429, "E0000109");
        Assert.Equal("An SMS message was recently sent. Please wait 30 seconds before trying again.", body.GetProperty("errorSummary").GetString());
        Assert.Equal(1, messagesAfterRefusal);
        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        Assert.Equal(2, sandbox.Control.GetMessages(Demo.Sam).Count);
    }

    [Fact]
    public async Task SecondCallChallengeWithinTheCooldownGets429E0000047()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (await sandbox.VerifyAsync(Demo.Vera, SandboxFactorKind.Call)).Dispose();

        using var tooSoon = await sandbox.VerifyAsync(Demo.Vera, SandboxFactorKind.Call);

        await TestSandbox.AssertErrorAsync(tooSoon, 429, "E0000047");
    }

    [Fact]
    public async Task SmsCooldownDoesNotHoldBackACallToAnotherPhone()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.Sms)).Dispose();

        using var call = await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.Call);

        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal(2, sandbox.Control.GetMessages(Demo.Max).Count);
    }

    [Fact]
    public async Task CodeExpiresAfterFiveMinutes()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        sandbox.Clock.Advance(TimeSpan.FromMinutes(5));
        using var expired = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, code);

        await TestSandbox.AssertErrorAsync(expired, 403, "E0000068");
    }

    [Fact]
    public async Task CodeIsStillValidJustBeforeItExpires()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        sandbox.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        using var response = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, code);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NewChallengeReplacesThePreviousCode()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var first = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(30));
        var second = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        using var old = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, first);
        using var current = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, second);

        // (Two random codes collide once in a million runs.)
        await TestSandbox.AssertErrorAsync(old, 403, "E0000068");

        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal([second, first], sandbox.Control.GetMessages(Demo.Sam).Select(m => m.Code));
    }

    [Fact]
    public async Task VoiceCallReadsTheCodeAndTheChallengeNamesTheExtension()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.Call);

        var profile = (await TestSandbox.JsonAsync(response)).GetProperty("profile");
        Assert.Equal("+12025550104", profile.GetProperty("phoneNumber").GetString());
        Assert.Equal("42", profile.GetProperty("phoneExtension").GetString());
        var message = sandbox.Control.GetLatestMessage(Demo.Max)!;
        Assert.Equal(PhoneChannel.Voice, message.Channel);
        Assert.Contains(string.Join(' ', message.Code.ToCharArray()), message.Text, StringComparison.Ordinal);
        using var verified = await sandbox.SendPasscodeAsync(Demo.Max, SandboxFactorKind.Call, message.Code);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task InboxKeepsTheNewestMessagesFirst()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.ResendCooldown = TimeSpan.Zero);

        for (var i = 0; i < 25; i++)
        {
            (await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms)).Dispose();
            sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var messages = sandbox.Control.GetMessages(Demo.Sam);
        Assert.Equal(20, messages.Count);
        Assert.Equal(messages.OrderByDescending(m => m.SentAt), messages);
    }
}
