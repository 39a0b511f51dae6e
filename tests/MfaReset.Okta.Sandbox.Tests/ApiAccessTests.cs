using System.Net;
using System.Net.Http.Headers;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class ApiAccessTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("SSWS wrong-token")]
    [InlineData("Bearer " + TestSandbox.Token)]
    [InlineData("ssws " + TestSandbox.Token)]
    public async Task RequestWithoutTheConfiguredSswsTokenGets401InvalidToken(string? authorization)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/users/{Demo.Sam}");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await sandbox.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        var body = await TestSandbox.AssertErrorAsync(response, 401, "E0000011");
        Assert.Equal("Invalid token provided", body.GetProperty("errorSummary").GetString());
    }

    [Fact]
    public async Task RequestWithTheTokenIsAnswered()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnOperationTheAdminRoleDeniesAnswers403AccessDeniedAndOthersAreAnswered()
    {
        // Okta's answer for a read the role does not permit: errors/E0000006-access-denied.403.json.
        await using var sandbox = await TestSandbox.StartAsync(options => options.ServiceApp.DeniedOperations = [OktaOperations.ListAssignedRolesForUser]);
        var sam = sandbox.Control.GetUser(Demo.Sam).Id;

        using var denied = await sandbox.Http.GetAsync($"api/v1/users/{sam}/roles", TestContext.Current.CancellationToken);
        using var allowed = await sandbox.Http.GetAsync($"api/v1/users/{sam}/groups", TestContext.Current.CancellationToken);

        var body = await TestSandbox.AssertErrorAsync(denied, 403, "E0000006");
        Assert.Equal("You do not have permission to perform the requested action", body.GetProperty("errorSummary").GetString());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task EmptyConfiguredTokenMeansARandomTokenPerStart()
    {
        await using var first = await OktaSandbox.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);
        await using var second = await OktaSandbox.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(first.ApiToken.Length >= 32);
        Assert.NotEqual(first.ApiToken, second.ApiToken);
        Assert.DoesNotContain(first.ApiToken, first.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/v1/users/sam.sms@example.com", 200)]
    [InlineData("api/v1/users/nobody@example.com", 404)]
    [InlineData("api/v1/apps", 404)]
    public async Task EveryApiResponseCarriesRateLimitHeaders(string path, int status)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync(path, TestContext.Current.CancellationToken);
        using var unauthorized = await sandbox.Anonymous.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        foreach (var answer in new[] { response, unauthorized })
        {
            Assert.True(int.Parse(Header(answer, "X-Rate-Limit-Limit")) > 0);
            Assert.True(int.Parse(Header(answer, "X-Rate-Limit-Remaining")) >= 0);
            Assert.True(long.Parse(Header(answer, "X-Rate-Limit-Reset")) > sandbox.Clock.GetUtcNow().ToUnixTimeSeconds());
        }
    }

    [Fact]
    public async Task RemainingCountsDownWithinTheWindow()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var first = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);
        using var second = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        Assert.Equal("2000", Header(first, "X-Rate-Limit-Limit"));
        Assert.Equal("1999", Header(first, "X-Rate-Limit-Remaining"));
        Assert.Equal("1998", Header(second, "X-Rate-Limit-Remaining"));
        Assert.Equal(Header(first, "X-Rate-Limit-Reset"), Header(second, "X-Rate-Limit-Reset"));
    }

    [Fact]
    public async Task ExhaustedBucketAnswers429UntilItsWindowResets()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.RateLimits.UserReadsPerMinute = 2);
        var windowEnd = sandbox.Clock.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds().ToString();

        (await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken)).Dispose();
        (await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken)).Dispose();
        using var third = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);
        using var otherBucket = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors", TestContext.Current.CancellationToken);
        sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        using var afterReset = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(third, 429, "E0000047");
        Assert.Equal("2", Header(third, "X-Rate-Limit-Limit"));
        Assert.Equal("0", Header(third, "X-Rate-Limit-Remaining"));
        Assert.Equal(windowEnd, Header(third, "X-Rate-Limit-Reset"));
        Assert.Equal(HttpStatusCode.OK, otherBucket.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
    }

    [Fact]
    public async Task UnenforcedBucketsStillReportButNeverRunOut()
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.RateLimits.UserReadsPerMinute = 1;
            o.RateLimits.Enforce = false;
        });

        (await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken)).Dispose();
        using var second = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("0", Header(second, "X-Rate-Limit-Remaining"));
    }

    [Fact]
    public async Task DateHeaderFollowsTheSandboxClockSoClientsCanComputeTheResetDelay()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        Assert.Equal(sandbox.Clock.GetUtcNow(), response.Headers.Date);
    }

    [Fact]
    public async Task UnknownApiPathGets404NotFound()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.GetAsync("api/v1/apps", TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 404, "E0000007");
    }

    [Fact]
    public async Task MalformedJsonBodyGets400E0000003()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var content = new StringContent("{\"passCode\": ", new MediaTypeHeaderValue("application/json"));

        using var response = await sandbox.Http.PostAsync(sandbox.VerifyPath(Demo.Sam, SandboxFactorKind.Sms), content, TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 400, "E0000003");
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"No {name} header.");
}
