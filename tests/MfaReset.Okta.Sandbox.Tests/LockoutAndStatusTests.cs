using System.Net;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class LockoutAndStatusTests
{
    [Fact]
    public async Task FiveConsecutiveFailedVerificationsLockTheUser()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var wrong = WrongCode(sandbox);

        for (var i = 1; i <= 4; i++)
        {
            using var failure = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, wrong);
            await TestSandbox.AssertErrorAsync(failure, 403, "E0000068");
        }

        var statusAfterFour = await sandbox.StatusAsync(Demo.Tom);
        using var fifth = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, wrong);
        var code = sandbox.Control.GetTotpCodes(Demo.Tom).Single().Code;
        using var afterLockout = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, code);

        Assert.Equal("ACTIVE", statusAfterFour);
        await TestSandbox.AssertErrorAsync(fifth, 403, "E0000068");
        Assert.Equal("LOCKED_OUT", await sandbox.StatusAsync(Demo.Tom));
        var locked = await TestSandbox.AssertErrorAsync(afterLockout, 403, "E0000069");
        Assert.Equal("User Locked", locked.GetProperty("errorSummary").GetString());
    }

    [Fact]
    public async Task FailuresCountAcrossFactorsOfTheUser()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            (await sandbox.SendPasscodeAsync(Demo.Max, SandboxFactorKind.OktaVerifyTotp, WrongCode(sandbox, Demo.Max))).Dispose();
        }

        (await sandbox.SendPasscodeAsync(Demo.Max, SandboxFactorKind.Sms, "000000")).Dispose();
        (await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.SecurityQuestion, new { answer = "wrong answer" })).Dispose();

        Assert.Equal("LOCKED_OUT", await sandbox.StatusAsync(Demo.Max));
    }

    [Fact]
    public async Task SuccessResetsTheFailureCount()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var wrong = WrongCode(sandbox);

        for (var i = 0; i < 4; i++)
        {
            (await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, wrong)).Dispose();
        }

        using var success = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, sandbox.Control.GetTotpCodes(Demo.Tom).Single().Code);
        for (var i = 0; i < 4; i++)
        {
            (await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, wrong)).Dispose();
        }

        Assert.Equal(HttpStatusCode.OK, success.StatusCode);
        Assert.Equal("ACTIVE", await sandbox.StatusAsync(Demo.Tom));
    }

    [Fact]
    public async Task UnlockMakesALockedOutUserActiveAndVerificationWorksAgain()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            (await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, WrongCode(sandbox))).Dispose();
        }

        using var unlock = await sandbox.Http.PostAsync($"api/v1/users/{sandbox.UserId(Demo.Tom)}/lifecycle/unlock", content: null, cancellationToken: TestContext.Current.CancellationToken);
        using var verify = await sandbox.SendPasscodeAsync(Demo.Tom, SandboxFactorKind.OktaVerifyTotp, sandbox.Control.GetTotpCodes(Demo.Tom).Single().Code);

        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        Assert.Empty((await TestSandbox.JsonAsync(unlock)).EnumerateObject());
        Assert.Equal("ACTIVE", await sandbox.StatusAsync(Demo.Tom));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task SeededLockedOutUserCanStillVerifySetAPasswordAndBeUnlocked()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var code = await sandbox.ChallengeAsync(Demo.Lou, SandboxFactorKind.Sms);

        using var verify = await sandbox.SendPasscodeAsync(Demo.Lou, SandboxFactorKind.Sms, code);
        using var setPassword = await sandbox.SetPasswordAsync(Demo.Lou, Demo.GoodPassword);
        var statusAfterPassword = await sandbox.StatusAsync(Demo.Lou);
        using var unlock = await sandbox.Http.PostAsync($"api/v1/users/{Demo.Lou}/lifecycle/unlock", content: null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(HttpStatusCode.OK, setPassword.StatusCode);
        Assert.Equal("LOCKED_OUT", statusAfterPassword);
        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        Assert.Equal("ACTIVE", await sandbox.StatusAsync(Demo.Lou));
    }

    [Fact]
    public async Task UnlockOfAnActiveUserChangesNothing()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var unlock = await sandbox.Http.PostAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/lifecycle/unlock", content: null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        Assert.Equal("ACTIVE", await sandbox.StatusAsync(Demo.Sam));
    }

    [Fact]
    public async Task SuspendedUserCanBeLookedUpButNotVerifiedChangedOrUnlocked()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var lookup = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sue}", TestContext.Current.CancellationToken);
        using var factors = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sue)}/factors", TestContext.Current.CancellationToken);
        using var challenge = await sandbox.VerifyAsync(Demo.Sue, SandboxFactorKind.Sms);
        using var setPassword = await sandbox.SetPasswordAsync(Demo.Sue, Demo.GoodPassword);
        using var unlock = await sandbox.Http.PostAsync($"api/v1/users/{Demo.Sue}/lifecycle/unlock", content: null, cancellationToken: TestContext.Current.CancellationToken);

        var user = await TestSandbox.JsonAsync(lookup);
        Assert.Equal("SUSPENDED", user.GetProperty("status").GetString());
        Assert.True(user.GetProperty("_links").TryGetProperty("unsuspend", out _));
        Assert.Equal(HttpStatusCode.OK, factors.StatusCode);
        var error = await TestSandbox.AssertErrorAsync(challenge, 403, "E0000038");
        Assert.Equal("This operation is not allowed in the user's current status.", error.GetProperty("errorSummary").GetString());
        Assert.Empty(sandbox.Control.GetMessages(Demo.Sue));
        await TestSandbox.AssertErrorAsync(setPassword, 403, "E0000038");
        await TestSandbox.AssertErrorAsync(unlock, 403, "E0000038");
        Assert.False(sandbox.Control.IsCurrentPassword(Demo.Sue, Demo.GoodPassword));
    }

    private static string WrongCode(TestSandbox sandbox, string login = Demo.Tom)
    {
        var current = sandbox.Control.GetTotpCodes(login).Select(c => c.Code).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !current.Contains(c));
    }
}
