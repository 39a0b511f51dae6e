using System.Net;
using System.Text.Json;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class UserAndFactorTests
{
    [Theory]
    [InlineData("sam.sms@example.com")]
    [InlineData("SAM.SMS@EXAMPLE.COM")]
    [InlineData("sam.sms%40example.com")]
    [InlineData("sam.sms")]
    public async Task UserIsFoundByLoginInAnyCaseEncodedOrAsShortName(string login)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{login}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await TestSandbox.JsonAsync(response);
        Assert.Equal(sandbox.UserId(Demo.Sam), user.GetProperty("id").GetString());
        Assert.Equal(Demo.Sam, user.GetProperty("profile").GetProperty("login").GetString());
        Assert.Equal("ACTIVE", user.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UserIsFoundById()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Max)}", TestContext.Current.CancellationToken);

        var user = await TestSandbox.JsonAsync(response);
        Assert.Equal(Demo.Max, user.GetProperty("profile").GetProperty("login").GetString());
    }

    [Fact]
    public async Task UnknownUserGets404NamingTheLookedUpValue()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync("api/v1/users/missing%40example.com", TestContext.Current.CancellationToken);

        var body = await TestSandbox.AssertErrorAsync(response, 404, "E0000007");
        Assert.Equal("Not found: Resource not found: missing@example.com (User)", body.GetProperty("errorSummary").GetString());
    }

    [Fact]
    public async Task UserAnswerNeverContainsAPasswordAndLinksUseTheSandboxOrgUrl()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Lou}", TestContext.Current.CancellationToken);

        var user = await TestSandbox.JsonAsync(response);
        Assert.Equal("LOCKED_OUT", user.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Object, user.GetProperty("credentials").GetProperty("password").ValueKind);
        Assert.Empty(user.GetProperty("credentials").GetProperty("password").EnumerateObject());
        Assert.Equal("OKTA", user.GetProperty("credentials").GetProperty("provider").GetProperty("type").GetString());
        var links = user.GetProperty("_links");
        Assert.Equal($"{sandbox.OrgUrl}/api/v1/users/{sandbox.UserId(Demo.Lou)}", links.GetProperty("self").GetProperty("href").GetString());
        Assert.Equal($"{sandbox.OrgUrl}/api/v1/users/{sandbox.UserId(Demo.Lou)}/lifecycle/unlock", links.GetProperty("unlock").GetProperty("href").GetString());
    }

    [Fact]
    public async Task ListFactorsReturnsEveryEnrolledFactorWithVerifySelfAndUserLinks()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var userId = sandbox.UserId(Demo.Max);

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{userId}/factors", TestContext.Current.CancellationToken);

        var factors = (await TestSandbox.JsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal(
            ["sms/OKTA", "call/OKTA", "push/OKTA", "token:software:totp/OKTA", "token:software:totp/GOOGLE", "question/OKTA", "email/OKTA"],
            factors.Select(f => $"{f.GetProperty("factorType").GetString()}/{f.GetProperty("provider").GetString()}"));
        Assert.All(factors, f =>
        {
            Assert.Equal("ACTIVE", f.GetProperty("status").GetString());
            var id = f.GetProperty("id").GetString();
            var links = f.GetProperty("_links");
            Assert.Equal($"{sandbox.OrgUrl}/api/v1/users/{userId}/factors/{id}/verify", links.GetProperty("verify").GetProperty("href").GetString());
            Assert.Equal($"{sandbox.OrgUrl}/api/v1/users/{userId}/factors/{id}", links.GetProperty("self").GetProperty("href").GetString());
            Assert.Equal($"{sandbox.OrgUrl}/api/v1/users/{userId}", links.GetProperty("user").GetProperty("href").GetString());
        });
        Assert.Equal("+12025550103", factors[0].GetProperty("profile").GetProperty("phoneNumber").GetString());
        Assert.Equal("+12025550104", factors[1].GetProperty("profile").GetProperty("phoneNumber").GetString());
        Assert.Equal("Max's Pixel", factors[2].GetProperty("profile").GetProperty("name").GetString());
        Assert.Equal(Demo.Max, factors[3].GetProperty("profile").GetProperty("credentialId").GetString());
        Assert.Equal(Demo.Max, factors[6].GetProperty("profile").GetProperty("email").GetString());
    }

    [Fact]
    public async Task UserWithoutFactorsHasAnEmptyList()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Nora)}/factors", TestContext.Current.CancellationToken);

        Assert.Empty((await TestSandbox.JsonAsync(response)).EnumerateArray());
    }

    [Fact]
    public async Task FactorPathsTakeUserIdsNotLogins()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}/factors", TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 404, "E0000007");
    }

    [Fact]
    public async Task GetFactorReturnsOneFactorAndAnUnknownFactorIs404()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var factor = sandbox.Factor(Demo.Pat, SandboxFactorKind.OktaVerifyPush);

        using var found = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Pat)}/factors/{factor.Id}", TestContext.Current.CancellationToken);
        using var otherUsers = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors/{factor.Id}", TestContext.Current.CancellationToken);

        var body = await TestSandbox.JsonAsync(found);
        Assert.Equal(factor.Id, body.GetProperty("id").GetString());
        Assert.Equal("push", body.GetProperty("factorType").GetString());
        Assert.Equal("IOS", body.GetProperty("profile").GetProperty("platform").GetString());
        await TestSandbox.AssertErrorAsync(otherUsers, 404, "E0000007");
    }

    [Fact]
    public async Task RevokeSessionsAnswers204AndIsRecorded()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.DeleteAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/sessions?oauthTokens=true", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(sandbox.Clock.GetUtcNow(), sandbox.Control.GetUser(Demo.Sam).SessionsRevoked);
    }

    /// <summary>The spec's <c>forgetDevices</c>: "Clears the user's remembered factors for all devices", default true (Identity Engine).</summary>
    [Theory]
    [InlineData("", true)]
    [InlineData("?forgetDevices=true", true)]
    [InlineData("?forgetDevices=false", false)]
    public async Task RevokeSessionsForgetsRememberedDevicesUnlessToldNot(string query, bool forgotten)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.DeleteAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/sessions{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(forgotten, sandbox.Control.GetUser(Demo.Sam).DevicesForgotten is not null);
    }
}
