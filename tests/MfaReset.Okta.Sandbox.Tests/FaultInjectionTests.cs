using System.Net;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task ServerErrorRateOfOneAnswersEveryCall500()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Faults.ServerErrorRate = 1);

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 500, "E0000009");
    }

    [Fact]
    public async Task RateLimitRateOfOneAnswers429WithTheBucketsResetTime()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Faults.RateLimitRate = 1);

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 429, "E0000047");
        Assert.Equal("0", ApiAccessTests.Header(response, "X-Rate-Limit-Remaining"));
        Assert.Equal("2000", ApiAccessTests.Header(response, "X-Rate-Limit-Limit"));
        Assert.Equal(sandbox.Clock.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds().ToString(), ApiAccessTests.Header(response, "X-Rate-Limit-Reset"));
    }

    [Fact]
    public async Task FaultRatesOfZeroNeverFail()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Faults.RandomSeed = 7);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task SeededFractionalRatesInjectSomeFaultsReproducibly()
    {
        async Task<List<HttpStatusCode>> RunAsync()
        {
            await using var sandbox = await TestSandbox.StartAsync(o =>
            {
                o.Faults.ServerErrorRate = 0.3;
                o.Faults.RandomSeed = 42;
            });
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 40; i++)
            {
                using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}");
                statuses.Add(response.StatusCode);
            }

            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Contains(HttpStatusCode.InternalServerError, first);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task LatencyHoldsTheAnswerUntilTheClockHasMoved()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Faults.Latency = TimeSpan.FromSeconds(2));

        var pending = sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);
        await WaitForTimerAsync(sandbox);
        var answeredEarly = pending.IsCompleted;
        sandbox.Clock.Advance(TimeSpan.FromSeconds(2));
        using var response = await pending;

        Assert.False(answeredEarly);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(ScriptedCallFault.TooManyRequests, 429, "E0000047")]
    [InlineData(ScriptedCallFault.ServerError, 500, "E0000009")]
    public async Task ScriptedFaultHitsTheNextCallAboutThatUserOnly(ScriptedCallFault fault, int status, string errorCode)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Control.ScriptNextCall(Demo.Sam, fault);

        using var otherUser = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Vera}", TestContext.Current.CancellationToken);
        using var scripted = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors", TestContext.Current.CancellationToken);
        using var next = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
        await TestSandbox.AssertErrorAsync(scripted, status, errorCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(ScriptedCallFault.None, sandbox.Control.GetUser(Demo.Sam).NextCall);
    }

    [Fact]
    public async Task ScriptedTooManyRequestsCarriesRateLimitHeaders()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Control.ScriptNextCall(Demo.Sam, ScriptedCallFault.TooManyRequests);

        using var response = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);

        Assert.Equal("0", ApiAccessTests.Header(response, "X-Rate-Limit-Remaining"));
        Assert.True(long.Parse(ApiAccessTests.Header(response, "X-Rate-Limit-Reset")) > sandbox.Clock.GetUtcNow().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task FaultScriptedForOneOperationLetsTheUsersOtherCallsThrough()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Control.ScriptNextCall(Demo.Sam, ScriptedCallFault.ServerError, OktaOperations.ListFactors);

        using var before = await sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);
        using var scripted = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors", TestContext.Current.CancellationToken);
        using var after = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await TestSandbox.AssertErrorAsync(scripted, 500, "E0000009");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ScriptedSlowCallIsAnsweredAfterTheSlowDelay()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Faults.SlowCallDelay = TimeSpan.FromSeconds(20));
        sandbox.Control.ScriptNextCall(Demo.Sam, ScriptedCallFault.Slow);

        var pending = sandbox.Http.GetAsync($"api/v1/users/{Demo.Sam}", TestContext.Current.CancellationToken);
        await WaitForTimerAsync(sandbox);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(19));
        var answeredEarly = pending.IsCompleted;
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending;

        Assert.False(answeredEarly);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Waits until the request has reached the sandbox's delay on the fake clock.
    private static Task<TimeSpan> WaitForTimerAsync(TestSandbox sandbox) => sandbox.Clock.NextTimerAsync(dueTime => dueTime > TimeSpan.Zero);
}

/// <summary>
/// The trainer's scripted refusals that are not outages (issue 22 item 8) answer with Okta's codes and statuses
/// (okta-developer-docs data/error-codes.json, 2023.02.1), and a 429's headers say whose limit it is.
/// </summary>
public sealed class ScriptedRefusalTests
{
    [Theory]
    [InlineData(ScriptedCallFault.CallRateLimit, 403, "E0000151")]
    [InlineData(ScriptedCallFault.InternationalPhoneNotAllowed, 403, "E0000099")]
    [InlineData(ScriptedCallFault.TelephonyOptOut, 400, "E0000140")]
    [InlineData(ScriptedCallFault.NotAllowedInStatus, 403, "E0000038")]
    [InlineData(ScriptedCallFault.UnlockNotAllowed, 403, "E0000032")]
    [InlineData(ScriptedCallFault.UserBeingActivated, 409, "E0000112")]
    [InlineData(ScriptedCallFault.AdditionalChallenge, 409, "E0000113")]
    public async Task EachScriptedRefusalAnswersWithOktasCodeAndStatusAndSendsNothing(ScriptedCallFault fault, int status, string code)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var sms = sandbox.Factor(Demo.Sam, SandboxFactorKind.Sms);
        sandbox.Control.ScriptNextCall(Demo.Sam, fault, OktaOperations.VerifyFactor);

        using var response = await sandbox.Http.PostAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors/{sms.Id}/verify", null, TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, status, code);
        Assert.Empty(sandbox.Control.GetMessages(Demo.Sam));
    }

    [Theory]
    [InlineData(ScriptedCallFault.ConcurrencyLimit, "0", "0")]
    [InlineData(ScriptedCallFault.UserRateLimit, "1200", "1199")]
    [InlineData(ScriptedCallFault.TooManyRequests, "1200", "0")]
    public async Task A429SaysWhoseLimitItIsInItsHeaders(ScriptedCallFault fault, string limit, string remaining)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var sms = sandbox.Factor(Demo.Sam, SandboxFactorKind.Sms);
        sandbox.Control.ScriptNextCall(Demo.Sam, fault, OktaOperations.VerifyFactor);

        using var response = await sandbox.Http.PostAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}/factors/{sms.Id}/verify", null, TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 429, "E0000047");
        Assert.Equal(limit, ApiAccessTests.Header(response, "X-Rate-Limit-Limit"));
        Assert.Equal(remaining, ApiAccessTests.Header(response, "X-Rate-Limit-Remaining"));
    }
}
