using System.Net;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class EmailCodeTests
{
    [Fact]
    public async Task EmailChallengeDeliversACodeToTheInboxForTheAskedLifetime()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.PostAsync(sandbox.VerifyPath(Demo.Emma, SandboxFactorKind.Email) + "?tokenLifetimeSeconds=600", content: null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestSandbox.JsonAsync(response);
        Assert.Equal("CHALLENGE", body.GetProperty("factorResult").GetString());
        Assert.False(body.TryGetProperty("profile", out _), "Okta's email challenge has no profile.");
        var message = sandbox.Control.GetLatestMessage(Demo.Emma)!;
        Assert.Equal(PhoneChannel.Email, message.Channel);
        Assert.Equal(Demo.Emma, message.PhoneNumber);
        Assert.Matches("^[0-9]{6}$", message.Code);
        Assert.Contains(message.Code, message.Text, StringComparison.Ordinal);
        Assert.Equal(sandbox.Clock.GetUtcNow().AddMinutes(10), message.ExpiresAt);
    }

    [Fact]
    public async Task EmailCodeVerifiesOnceAndAWrongOneGets403()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = await sandbox.ChallengeAsync(Demo.Emma, SandboxFactorKind.Email);
        var wrong = code == "000000" ? "111111" : "000000";

        using var refused = await sandbox.SendPasscodeAsync(Demo.Emma, SandboxFactorKind.Email, wrong);
        using var accepted = await sandbox.SendPasscodeAsync(Demo.Emma, SandboxFactorKind.Email, code);
        using var again = await sandbox.SendPasscodeAsync(Demo.Emma, SandboxFactorKind.Email, code);

        await TestSandbox.AssertErrorAsync(refused, 403, "E0000068");
        Assert.Equal("SUCCESS", (await TestSandbox.JsonAsync(accepted)).GetProperty("factorResult").GetString());
        await TestSandbox.AssertErrorAsync(again, 403, "E0000068");
    }

    [Fact]
    public async Task SecondEmailWithinFiveSecondsGets429E0000118AndNothingIsSent()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (await sandbox.VerifyAsync(Demo.Emma, SandboxFactorKind.Email)).Dispose();
        sandbox.Clock.Advance(TimeSpan.FromSeconds(4));

        using var tooSoon = await sandbox.VerifyAsync(Demo.Emma, SandboxFactorKind.Email);
        Assert.Single(sandbox.Control.GetMessages(Demo.Emma));
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        using var later = await sandbox.VerifyAsync(Demo.Emma, SandboxFactorKind.Email);

        var body = await TestSandbox.AssertErrorAsync(tooSoon, 429, "E0000118");
        Assert.Equal("An email was recently sent. Please wait 5 seconds before trying again.", body.GetProperty("errorSummary").GetString());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(2, sandbox.Control.GetMessages(Demo.Emma).Count);
    }

    [Fact]
    public async Task TokenLifetimeOutsideOktasRangeIsRefused()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.PostAsync(sandbox.VerifyPath(Demo.Emma, SandboxFactorKind.Email) + "?tokenLifetimeSeconds=0", content: null, cancellationToken: TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 400, "E0000001");
        Assert.Empty(sandbox.Control.GetMessages(Demo.Emma));
    }

    [Fact]
    public async Task SimulatorShowsTheEmailInTheInbox()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = await sandbox.ChallengeAsync(Demo.Emma, SandboxFactorKind.Email);

        var html = await sandbox.Browser.GetStringAsync("simulator", TestContext.Current.CancellationToken);

        Assert.Contains("<h3>Inbox</h3>", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"code\">{code}</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"channel\">Email</span>", html, StringComparison.Ordinal);
    }

    // Okta's Factors API on Identity Engine: listFactors answers per the enrollment policy evaluated in the caller's
    // network zone, and a user's verified primary email always appears as an email factor (issue 22 item 12, the
    // egress-zone note in docs/okta-setup.md). The factor's shape is the spec's getFactor "Email" example.
    [Fact]
    public async Task IdentityEngineListsTheVerifiedPrimaryEmailAsAnEmailFactorThatVerifies()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.IdentityEngineEmailFactor = true);

        using var list = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors", TestContext.Current.CancellationToken);

        var factors = (await TestSandbox.JsonAsync(list)).EnumerateArray().ToList();
        Assert.Equal(["sms", "email"], factors.Select(f => f.GetProperty("factorType").GetString()));
        var email = factors[1];
        Assert.Equal(Demo.Sam, email.GetProperty("profile").GetProperty("email").GetString());
        var fixture = OktaFixture.Load("getFactor/email.200.json");
        fixture.AssertShape(fixture.Body, email);
        var code = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Email);
        using var verified = await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Email, code);
        Assert.Equal("SUCCESS", (await TestSandbox.JsonAsync(verified)).GetProperty("factorResult").GetString());
    }

    [Theory]
    [InlineData(Demo.Max, 1)] // enrolled an email factor already: not listed twice
    [InlineData(Demo.Fred, 0)] // signs in at an identity provider: no password, no Okta email factor
    public async Task IdentityEngineAddsNoSecondEmailFactorAndNoneForUsersWithoutAPassword(string login, int emailFactors)
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.IdentityEngineEmailFactor = true);

        Assert.Equal(emailFactors, sandbox.Control.GetUser(login).Factors.Count(f => f.Kind == SandboxFactorKind.Email));
    }

    [Fact]
    public async Task ByDefaultTheDemoUsersKeepTheirOwnFactors()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var list = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors", TestContext.Current.CancellationToken);

        Assert.Equal(["sms"], (await TestSandbox.JsonAsync(list)).EnumerateArray().Select(f => f.GetProperty("factorType").GetString()));
    }
}
