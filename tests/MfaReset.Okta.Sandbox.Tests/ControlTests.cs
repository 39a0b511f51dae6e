using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class ControlTests
{
    [Fact]
    public async Task DemoUsersCoverEveryFactorKindAndStatus()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var users = sandbox.Control.ListUsers();

        Assert.Equal(
            [Demo.Sam, Demo.Vera, Demo.Pat, Demo.Tom, Demo.Gail, Demo.Max, Demo.Lou, Demo.Liam, Demo.Emma, Demo.Sue, Demo.Nora,
             Demo.Ivy, Demo.Dirk, Demo.Lena, Demo.Fred, Demo.Sol, Demo.Ada, Demo.Gus, Demo.Hal, Demo.Paige, Demo.Rita, Demo.Stan, Demo.Pia, Demo.Dora],
            users.Select(u => u.Login));
        Assert.Equal([SandboxFactorKind.Sms], Kinds(users, Demo.Sam));
        Assert.Equal([SandboxFactorKind.Call], Kinds(users, Demo.Vera));
        Assert.Equal([SandboxFactorKind.OktaVerifyPush], Kinds(users, Demo.Pat));
        Assert.Equal([SandboxFactorKind.OktaVerifyTotp], Kinds(users, Demo.Tom));
        Assert.Equal([SandboxFactorKind.GoogleAuthenticator], Kinds(users, Demo.Gail));
        Assert.Equal(Enum.GetValues<SandboxFactorKind>(), Kinds(users, Demo.Max).Order());
        Assert.Equal([SandboxFactorKind.Email], Kinds(users, Demo.Emma));
        Assert.Empty(Kinds(users, Demo.Nora));
        Assert.Equal("LOCKED_OUT", users.Single(u => u.Login == Demo.Lou).Status);
        Assert.Equal("LOCKED_OUT", users.Single(u => u.Login == Demo.Liam).Status);
        Assert.Equal([SandboxFactorKind.OktaVerifyPush, SandboxFactorKind.Sms], Kinds(users, Demo.Liam));
        Assert.Equal("SUSPENDED", users.Single(u => u.Login == Demo.Sue).Status);
        Assert.All(users, u => Assert.True(u.IsDemoUser));
    }

    [Fact]
    public async Task DemoUsersCoverEveryCredentialsProviderStatusAndAnAdmin()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var users = sandbox.Control.ListUsers().ToDictionary(u => u.Login);

        Assert.Equal(
            ["ACTIVE_DIRECTORY", "FEDERATION", "IMPORT", "LDAP", "OKTA", "SOCIAL"],
            users.Values.Select(u => u.CredentialsProvider).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(
            ["ACTIVE", "DEPROVISIONED", "LOCKED_OUT", "PASSWORD_EXPIRED", "PROVISIONED", "RECOVERY", "STAGED", "SUSPENDED"],
            users.Values.Select(u => u.Status).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal([Demo.Ada], users.Values.Where(u => u.AdminRoles.Count > 0).Select(u => u.Login));
        Assert.All(users.Values.Where(u => u.Login != Demo.Nora), u => Assert.NotEmpty(u.Factors));
    }

    [Fact]
    public async Task UserIdsAreStableAcrossStarts()
    {
        await using var first = await TestSandbox.StartAsync();
        await using var second = await TestSandbox.StartAsync();

        Assert.Equal(first.Control.ListUsers().Select(u => (u.Id, u.Factors[0].Id)).Take(8), second.Control.ListUsers().Select(u => (u.Id, u.Factors[0].Id)).Take(8));
        Assert.All(first.Control.ListUsers(), u => Assert.Matches("^00u[0-9A-Za-z]{17}$", u.Id));
    }

    [Fact]
    public async Task LoadTestUsersAreGeneratedWithDistinctPhonesAndSecrets()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.LoadTestUsers = 50);

        var load = sandbox.Control.ListUsers().Where(u => !u.IsDemoUser).ToList();
        var codes = load.Select(u => sandbox.Control.GetTotpCodes(u.Login).Single().OtpAuthUri).ToHashSet();

        Assert.Equal(50, load.Count);
        Assert.Equal("load00001@load.example.com", load[0].Login);
        Assert.Equal(50, codes.Count);
        Assert.Equal(50, load.Select(u => u.Factors.Single(f => f.Kind == SandboxFactorKind.Sms).Label).Distinct().Count());
        using var lookup = await sandbox.Http.GetAsync("api/v1/users/load00050@load.example.com", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }

    [Fact]
    public async Task UnknownLoginThrowsKeyNotFound()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        Assert.Throws<KeyNotFoundException>(() => sandbox.Control.GetMessages("nobody@example.com"));
    }

    [Fact]
    public async Task CallCountsCountEveryApiCallPerOperationAndPerUser()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken)).Dispose();
        (await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors", TestContext.Current.CancellationToken)).Dispose();
        (await sandbox.SendPasscodeAsync(Demo.Sam, SandboxFactorKind.Sms, await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms))).Dispose();
        (await sandbox.SetPasswordAsync(Demo.Sam, Demo.GoodPassword)).Dispose();
        var poll = await sandbox.SendPushAsync(Demo.Pat);
        await sandbox.PollAsync(poll);
        await sandbox.PollAsync(poll);
        (await sandbox.Anonymous.GetAsync("api/v1/users/nobody@example.com", TestContext.Current.CancellationToken)).Dispose();

        var counts = sandbox.Control.GetCallCounts();

        Assert.Equal(9, counts.Total);
        Assert.Equal(2, counts.ByOperation[OktaOperations.GetUser]);
        Assert.Equal(3, counts.ByOperation[OktaOperations.VerifyFactor]);
        Assert.Equal(2, counts.ByOperation[OktaOperations.GetFactorTransactionStatus]);
        Assert.Equal(
            new Dictionary<string, long>
            {
                [OktaOperations.GetUser] = 1,
                [OktaOperations.ListFactors] = 1,
                [OktaOperations.VerifyFactor] = 2,
                [OktaOperations.UpdateUser] = 1,
            },
            counts.ByUser[Demo.Sam]);
        Assert.Equal(3, counts.ByUser[Demo.Pat].Values.Sum());
        sandbox.Control.ResetCallCounts();
        Assert.Equal(0, sandbox.Control.GetCallCounts().Total);
    }

    [Fact]
    public async Task ResetRestoresTheSeedState()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms)).Dispose();
        (await sandbox.SetPasswordAsync(Demo.Sam, Demo.GoodPassword)).Dispose();
        await sandbox.SendPushAsync(Demo.Pat);
        sandbox.Control.ScriptNextCall(Demo.Vera, ScriptedCallFault.ServerError);
        (await sandbox.Http.PostAsync($"api/v1/users/{Demo.Lou}/lifecycle/unlock", content: null, cancellationToken: TestContext.Current.CancellationToken)).Dispose();

        sandbox.Control.Reset();

        Assert.Empty(sandbox.Control.GetMessages(Demo.Sam));
        Assert.False(sandbox.Control.IsCurrentPassword(Demo.Sam, Demo.GoodPassword));
        Assert.Empty(sandbox.Control.GetPendingPushes(Demo.Pat));
        Assert.Equal(ScriptedCallFault.None, sandbox.Control.GetUser(Demo.Vera).NextCall);
        Assert.Equal("LOCKED_OUT", sandbox.Control.GetUser(Demo.Lou).Status);
        Assert.Equal(0, sandbox.Control.GetCallCounts().Total);
        using var challengeAgain = await sandbox.VerifyAsync(Demo.Sam, SandboxFactorKind.Sms);
        Assert.Equal(HttpStatusCode.OK, challengeAgain.StatusCode);
    }

    [Fact]
    public async Task JsonControlEndpointsReadCodesAndAnswerPushes()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.Anonymous;
        (await sandbox.VerifyAsync(Demo.Max, SandboxFactorKind.Sms)).Dispose();
        await sandbox.SendPushAsync(Demo.Max, numberMatching: true);

        var users = await client.GetFromJsonAsync<JsonElement>("simulator/api/users", cancellationToken: TestContext.Current.CancellationToken);
        var messages = await client.GetFromJsonAsync<JsonElement>($"simulator/api/users/{Demo.Max}/messages", cancellationToken: TestContext.Current.CancellationToken);
        var totp = await client.GetFromJsonAsync<JsonElement>($"simulator/api/users/{Demo.Max}/totp", cancellationToken: TestContext.Current.CancellationToken);
        var pushes = await client.GetFromJsonAsync<JsonElement>($"simulator/api/users/{Demo.Max}/pushes", cancellationToken: TestContext.Current.CancellationToken);
        var push = pushes[0];
        using var approve = await client.PostAsJsonAsync($"simulator/api/pushes/{push.GetProperty("transactionId").GetString()}/approve", new { pickedNumber = push.GetProperty("correctAnswer").GetInt32() }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(sandbox.Control.ListUsers().Count, users.GetArrayLength());
        Assert.Equal("sms", users[0].GetProperty("factors")[0].GetProperty("kind").GetString());
        Assert.Equal(sandbox.Control.GetLatestMessage(Demo.Max)!.Code, messages[0].GetProperty("code").GetString());
        Assert.Equal("sms", messages[0].GetProperty("channel").GetString());
        Assert.Equal(sandbox.Control.GetTotpCodes(Demo.Max)[0].Code, totp[0].GetProperty("code").GetString());
        Assert.Equal(3, push.GetProperty("choices").GetArrayLength());
        Assert.Equal("approved", (await TestSandbox.JsonAsync(approve)).GetProperty("outcome").GetString());
        Assert.Empty(sandbox.Control.GetPendingPushes(Demo.Max));
    }

    [Fact]
    public async Task JsonControlEndpointsScriptOutcomesCountCallsAndReset()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.Anonymous;

        using var nextPush = await client.PutAsJsonAsync($"simulator/api/users/{Demo.Pat}/next-push", new { outcome = "deny" }, cancellationToken: TestContext.Current.CancellationToken);
        using var nextCall = await client.PutAsJsonAsync($"simulator/api/users/{Demo.Sam}/next-call", new { fault = "tooManyRequests" }, cancellationToken: TestContext.Current.CancellationToken);
        using var throttled = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);
        var pushResult = await sandbox.PollAsync(await sandbox.SendPushAsync(Demo.Pat));
        var calls = await client.GetFromJsonAsync<JsonElement>("simulator/api/calls", cancellationToken: TestContext.Current.CancellationToken);
        using var reset = await client.PostAsync("simulator/api/reset", content: null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, nextPush.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, nextCall.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("REJECTED", pushResult);
        Assert.Equal(3, calls.GetProperty("total").GetInt64());
        Assert.Equal(1, calls.GetProperty("byUser").GetProperty(Demo.Sam).GetProperty("getUser").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(0, sandbox.Control.GetCallCounts().Total);
    }

    [Fact]
    public async Task JsonControlEndpointsAnswer404ForUnknownLoginsAndNotPendingForUnknownPushes()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var unknownUser = await sandbox.Anonymous.GetAsync("simulator/api/users/nobody@example.com/messages", TestContext.Current.CancellationToken);
        using var unknownPush = await sandbox.Anonymous.PostAsync("simulator/api/pushes/v2mst.nothing/deny", content: null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknownUser.StatusCode);
        Assert.Equal("notPending", (await TestSandbox.JsonAsync(unknownPush)).GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "https://evil.example")]
    public async Task CrossSiteRequestsCannotChangeTheSimulator(string header, string value)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SendPushAsync(Demo.Pat);
        var push = sandbox.Control.GetPendingPushes(Demo.Pat).Single();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"simulator/pushes/{push.TransactionId}/approve")
        {
            Content = new FormUrlEncodedContent([]),
        };
        request.Headers.Add(header, value);

        using var response = await sandbox.Browser.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(sandbox.Control.GetPendingPushes(Demo.Pat));
    }

    [Fact]
    public async Task RequestsForAnotherHostNameAreRefused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "simulator/api/users");
        request.Headers.Host = "attacker.example";

        using var response = await sandbox.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static IEnumerable<SandboxFactorKind> Kinds(IReadOnlyList<SandboxUserInfo> users, string login) =>
        users.Single(u => u.Login == login).Factors.Select(f => f.Kind);
}
