using System.Net;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// Users of every credentials provider and status, and administrator roles, as Okta answers them
/// (shared/okta-contract getUser/provider-*, getUser/status-*, listAssignedRolesForUser/*).
/// </summary>
public sealed class PopulationTests
{
    [Theory]
    [InlineData(Demo.Ivy, "getUser/provider-import.200.json")]
    [InlineData(Demo.Fred, "getUser/provider-federation.200.json")]
    [InlineData(Demo.Sol, "getUser/provider-social.200.json")]
    [InlineData(Demo.Paige, "getUser/status-password-expired.200.json")]
    public async Task UserOfAnotherProviderOrStatusMatchesTheFixture(string login, string fixture)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(login)}", TestContext.Current.CancellationToken);

        // The fixtures' profiles carry attributes the sandbox's users do not have; their lastLogin is null.
        await OktaFixture.Load(fixture).AssertMatchesAsync(response, "profile", "lastLogin", "_links", "type");
    }

    [Theory]
    [InlineData(Demo.Fred)]
    [InlineData(Demo.Sol)]
    public async Task UserOfAnIdentityProviderHasNoPasswordAndCannotBeGivenOne(string login)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var read = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(login)}", TestContext.Current.CancellationToken);
        var user = await TestSandbox.JsonAsync(read);
        using var set = await sandbox.SetPasswordAsync(login, Demo.GoodPassword);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, user.GetProperty("passwordChanged").ValueKind);
        Assert.False(user.GetProperty("credentials").TryGetProperty("password", out _));
        await TestSandbox.AssertErrorAsync(set, 400, "E0000001");
        Assert.False(sandbox.Control.IsCurrentPassword(login, Demo.GoodPassword));
    }

    [Theory]
    [InlineData(Demo.Dirk, "ACTIVE_DIRECTORY", "corp.example.com")]
    [InlineData(Demo.Lena, "LDAP", "ldap.example.com")]
    public async Task DirectoryUserNamesTheDirectoryAndTakesAPasswordThroughOkta(string login, string type, string directory)
    {
        // No public example of an ACTIVE_DIRECTORY or LDAP user exists: the body follows the spec's
        // UserCredentials schema (provider.name = the directory instance), like the OKTA users' bodies.
        await using var sandbox = await TestSandbox.StartAsync();

        using var read = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(login)}", TestContext.Current.CancellationToken);
        var provider = (await TestSandbox.JsonAsync(read)).GetProperty("credentials").GetProperty("provider");
        using var set = await sandbox.SetPasswordAsync(login, Demo.GoodPassword);

        Assert.Equal((type, directory), (provider.GetProperty("type").GetString(), provider.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True(sandbox.Control.IsCurrentPassword(login, Demo.GoodPassword));
    }

    [Theory]
    [InlineData(Demo.Paige, "PASSWORD_EXPIRED")]
    [InlineData(Demo.Rita, "RECOVERY")]
    public async Task ExpiredOrRecoveringUserVerifiesAFactorAndIsActiveAfterANewPassword(string login, string status)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var kind = sandbox.Control.GetUser(login).Factors.Single().Kind;
        var code = kind == SandboxFactorKind.Sms
            ? await ChallengeAndReadAsync(sandbox, login)
            : sandbox.Control.GetTotpCodes(login).Single().Code;

        var before = await sandbox.StatusAsync(login);
        using var verify = await sandbox.SendPasscodeAsync(login, kind, code);
        using var set = await sandbox.SetPasswordAsync(login, Demo.GoodPassword);

        Assert.Equal(status, before);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("ACTIVE", await sandbox.StatusAsync(login));
        Assert.True(sandbox.Control.IsCurrentPassword(login, Demo.GoodPassword));
    }

    [Theory]
    [InlineData(Demo.Stan)]
    [InlineData(Demo.Pia)]
    [InlineData(Demo.Dora)]
    [InlineData(Demo.Sue)]
    public async Task UserWhoIsNotActiveCannotVerifyAFactor(string login)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var challenge = await sandbox.VerifyAsync(login, SandboxFactorKind.Sms);

        await TestSandbox.AssertErrorAsync(challenge, 403, "E0000038");
        Assert.Empty(sandbox.Control.GetMessages(login));
    }

    [Fact]
    public async Task DeprovisionedUserCannotBeGivenAPassword()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var set = await sandbox.SetPasswordAsync(Demo.Dora, Demo.GoodPassword);

        await TestSandbox.AssertErrorAsync(set, 403, "E0000038");
    }

    [Fact]
    public async Task AdminsRolesMatchTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Ada)}/roles", TestContext.Current.CancellationToken);

        var roles = await OktaFixture.Load("listAssignedRolesForUser/super-admin.200.json").AssertMatchesAsync(response, "[0].label");
        Assert.Equal("SUPER_ADMIN", roles[0].GetProperty("type").GetString());
        Assert.Equal(1, sandbox.Control.GetCallCounts().ByOperation[OktaOperations.ListAssignedRolesForUser]);
    }

    [Fact]
    public async Task RegularUserHasAnEmptyRoleListAsInTheFixture()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/roles", TestContext.Current.CancellationToken);

        var roles = await OktaFixture.Load("listAssignedRolesForUser/regular-user.200.json").AssertMatchesAsync(response);
        Assert.Equal(0, roles.GetArrayLength());
    }

    private static Task<string> ChallengeAndReadAsync(TestSandbox sandbox, string login) => sandbox.ChallengeAsync(login, SandboxFactorKind.Sms);
}
