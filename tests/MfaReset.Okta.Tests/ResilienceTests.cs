using System.Net;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Support.OktaAnswers;

namespace MfaReset.Okta.Tests;

/// <summary>
/// Retries, timeouts and rate-limit waits, on a test clock: every wait the client starts is observed
/// and the clock moved exactly that far, so no test sleeps and none depends on the machine's speed.
/// </summary>
public sealed class ResilienceTests : IAsyncDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TotalBudget = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(4);
    private static readonly Uri OrgUrl = new("https://example.okta.com");

    private readonly ScriptedHandler _okta = new();
    private readonly ClientHost _host;

    public ResilienceTests() => _host = ClientHost.Create(OrgUrl, primaryHandler: _okta);

    private TestClock Clock => _host.Clock;

    private IOktaClient Client => _host.Client;

    /// <summary>Each idempotent call with what Okta answers when it succeeds.</summary>
    public static TheoryData<string> IdempotentCalls => new(IdempotentCall.All.Keys);

    /// <summary>Each POST; none may ever be repeated by the client.</summary>
    public static TheoryData<string> PostCalls => new(PostCall.All.Keys);

    [Theory]
    [MemberData(nameof(IdempotentCalls))]
    public async Task IdempotentCallIsRetriedAfterAServerErrorAndThenSucceeds(string name)
    {
        var call = IdempotentCall.All[name];
        var result = call.Invoke(Client);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.InternalServerError, ServerErrorJson);
        var backoff = await Clock.NextTimerAsync(due => due > TimeSpan.Zero && due <= LongestBackoff);
        Assert.Equal(1, _okta.RequestCount);
        Clock.Advance(backoff);
        call.Succeed(await _okta.NextRequestAsync());

        Assert.Equal(call.SuccessVariant, ContractAssert.VariantOf(await Settled(result)));
        Assert.Equal(2, _okta.RequestCount);
    }

    [Fact]
    public async Task EveryAnswerOfARetriedCallIsLoggedWithOktasRequestId()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.InternalServerError, ServerErrorJson, r => r.Headers.Add("X-Okta-Request-Id", "reqFirst"));
        Clock.Advance(await Clock.NextTimerAsync(due => due > TimeSpan.Zero && due <= LongestBackoff));
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson, r => r.Headers.Add("X-Okta-Request-Id", "reqSecond"));
        await Settled(result);

        Assert.Contains(_host.Logs.GetSnapshot(), e => e.Id.Id == 1103 && e.GetStructuredStateValue("OktaRequestId") == "reqFirst");
        Assert.Contains(_host.Logs.GetSnapshot(), e => e.Id.Id == 1100 && e.GetStructuredStateValue("OktaRequestId") == "reqSecond");
    }

    [Fact]
    public async Task GetIsRetriedAfterTheAttemptTimesOut()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);

        var first = await _okta.NextRequestAsync();
        await Clock.NextTimerAsync(due => due == AttemptTimeout);
        Clock.Advance(AttemptTimeout);
        Assert.True(first.CancellationToken.IsCancellationRequested);
        var backoff = await Clock.NextTimerAsync(due => due <= LongestBackoff);
        Clock.Advance(backoff);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);

        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(result));
        Assert.Equal(2, _okta.RequestCount);
    }

    [Fact]
    public async Task GetIsRetriedAfterAConnectionFailure()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);

        (await _okta.NextRequestAsync()).Fail(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        Clock.Advance(await Clock.NextTimerAsync(due => due <= LongestBackoff));
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);

        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(result));
    }

    [Fact]
    public async Task GetGivesUpAfterTheConfiguredRetriesAndReportsTheServerError()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (await _okta.NextRequestAsync()).Respond(HttpStatusCode.ServiceUnavailable, ServerErrorJson);
            if (attempt < 3)
            {
                Clock.Advance(await Clock.NextTimerAsync(due => due <= LongestBackoff));
            }
        }

        var unavailable = Assert.IsType<OktaResult<OktaUser>.Unavailable>(await Settled(result));
        Assert.Equal(new OktaUnavailable(OktaUnavailableKind.ServerError, RequestMayHaveReachedOkta: true, 503), unavailable.Reason);
        Assert.Equal(3, _okta.RequestCount);
    }

    [Fact]
    public async Task GetThatKeepsTimingOutEndsWhenTheTotalBudgetIsSpent()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);

        await _okta.NextRequestAsync();
        Clock.Advance(AttemptTimeout);
        var backoff = await Clock.NextTimerAsync(due => due <= LongestBackoff);
        Clock.Advance(backoff);
        await _okta.NextRequestAsync();
        Clock.Advance(TotalBudget - AttemptTimeout - backoff);

        var unavailable = Assert.IsType<OktaResult<OktaUser>.Unavailable>(await Settled(result));
        Assert.Equal(OktaUnavailableKind.Timeout, unavailable.Reason.Kind);
        Assert.Equal(2, _okta.RequestCount);
    }

    [Theory]
    [MemberData(nameof(PostCalls))]
    public async Task PostIsNotRetriedAfterAServerError(string name)
    {
        var result = PostCall.All[name](Client);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.InternalServerError, ServerErrorJson);

        Assert.Equal(new OktaUnavailable(OktaUnavailableKind.ServerError, RequestMayHaveReachedOkta: true, 500), UnavailableReason(await Settled(result)));
        Assert.Equal(1, _okta.RequestCount);
        Assert.Equal([AttemptTimeout], Clock.StartedDueTimes);
    }

    [Theory]
    [MemberData(nameof(PostCalls))]
    public async Task PostIsNotRetriedAfterItTimesOutAndMayHaveReachedOkta(string name)
    {
        var result = PostCall.All[name](Client);

        await _okta.NextRequestAsync();
        Clock.Advance(AttemptTimeout);

        Assert.Equal(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true), UnavailableReason(await Settled(result)));
        Assert.Equal(1, _okta.RequestCount);
    }

    [Theory]
    [MemberData(nameof(PostCalls))]
    public async Task PostThatCouldNotConnectReportsThatNothingReachedOkta(string name)
    {
        var result = PostCall.All[name](Client);

        (await _okta.NextRequestAsync()).Fail(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        Assert.Equal(new OktaUnavailable(OktaUnavailableKind.ConnectionFailed, RequestMayHaveReachedOkta: false), UnavailableReason(await Settled(result)));
        Assert.Equal(1, _okta.RequestCount);
    }

    [Fact]
    public async Task GetRateLimitedWithANearResetWaitsUntilTheResetAndAsksAgain()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        var reset = Clock.GetUtcNow().AddSeconds(3);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.TooManyRequests, RateLimitJson, RateLimited(reset, oktaNow: Clock.GetUtcNow()));
        var wait = await Clock.NextTimerAsync(due => due > AttemptTimeout / 100 && due < AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), wait); // until the reset, plus Okta's recommended second
        Clock.Advance(wait - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _okta.RequestCount);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);

        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(result));
    }

    [Fact]
    public async Task RateLimitWaitIsMeasuredOnOktasClockNotOurs()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        var oktaNow = Clock.GetUtcNow().AddHours(-1);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.TooManyRequests, RateLimitJson, RateLimited(oktaNow.AddSeconds(5), oktaNow));

        Assert.Equal(TimeSpan.FromSeconds(6), await Clock.NextTimerAsync(due => due < AttemptTimeout));
        Clock.Advance(TimeSpan.FromSeconds(6));
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);
        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(result));
    }

    [Fact]
    public async Task GetRateLimitedWithAFarResetReturnsThrottledAtOnce()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        var reset = Clock.GetUtcNow().AddSeconds(60);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.TooManyRequests, RateLimitJson, RateLimited(reset, oktaNow: Clock.GetUtcNow()));

        var throttled = Assert.IsType<OktaResult<OktaUser>.Throttled>(await Settled(result));
        Assert.Equal(new RateLimitInfo(600, 0, reset), throttled.Error.RateLimit);
        Assert.Equal("E0000047", throttled.Error.ErrorCode);
        Assert.Equal(1, _okta.RequestCount);
    }

    [Fact]
    public async Task GetRateLimitedWithoutAResetReturnsThrottledAtOnce()
    {
        var result = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.TooManyRequests, RateLimitJson);

        Assert.IsType<OktaResult<OktaUser>.Throttled>(await Settled(result));
        Assert.Equal(1, _okta.RequestCount);
    }

    [Fact]
    public async Task RateLimitedPostIsNeverRepeatedEvenWithANearReset()
    {
        var result = Client.ChallengeAsync("00u1", "sms1", cancellationToken: TestContext.Current.CancellationToken);

        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.TooManyRequests, RateLimitJson, RateLimited(Clock.GetUtcNow().AddSeconds(1), Clock.GetUtcNow()));

        Assert.IsType<FactorVerifyResult.Throttled>(await Settled(result));
        Assert.Equal(1, _okta.RequestCount);
    }

    [Fact]
    public async Task CallersCancellationIsThrownNotTurnedIntoAResult()
    {
        using var cancellation = new CancellationTokenSource();
        var result = Client.GetUserAsync("ada@example.com", cancellation.Token);

        await _okta.NextRequestAsync();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Settled(result));
        Assert.Equal(1, _okta.RequestCount);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static Action<HttpResponseMessage> RateLimited(DateTimeOffset reset, DateTimeOffset oktaNow) => OktaAnswers.RateLimitHeaders(600, 0, reset, oktaNow);

    private static OktaUnavailable? UnavailableReason(object result) => result switch
    {
        FactorVerifyResult.Unavailable u => u.Reason,
        SetPasswordResult.Unavailable u => u.Reason,
        OktaResult<NoContent>.Unavailable u => u.Reason,
        _ => null,
    };

    private sealed record IdempotentCall(Func<IOktaClient, Task<object>> Invoke, Action<PendingRequest> Succeed, string SuccessVariant = "Ok")
    {
        public static readonly IReadOnlyDictionary<string, IdempotentCall> All = new Dictionary<string, IdempotentCall>
        {
            ["getUser"] = new(async c => await c.GetUserAsync("ada@example.com"), r => r.Respond(HttpStatusCode.OK, UserJson)),
            ["listFactors"] = new(async c => await c.ListFactorsAsync("00u1"), r => r.Respond(HttpStatusCode.OK, "[]")),
            ["pollPush"] = new(
                async c => await c.PollPushAsync(PushPollHandle.Deserialize($"{OrgUrl.AbsoluteUri.TrimEnd('/')}/api/v1/users/00u1/factors/opf1/transactions/v2mst.1")),
                r => r.Respond(HttpStatusCode.OK, """{"factorResult":"SUCCESS"}"""),
                nameof(FactorVerifyResult.Success)),
            ["revokeSessions"] = new(async c => await c.RevokeSessionsAsync("00u1", revokeOAuthTokens: false), r => r.Respond(HttpStatusCode.NoContent)),
        };
    }

    private static class PostCall
    {
        public static readonly IReadOnlyDictionary<string, Func<IOktaClient, Task<object>>> All = new Dictionary<string, Func<IOktaClient, Task<object>>>
        {
            ["challenge"] = async c => await c.ChallengeAsync("00u1", "sms1"),
            ["passcode"] = async c => await c.VerifyPasscodeAsync("00u1", "sms1", "123456"),
            ["push"] = async c => await c.SendPushAsync("00u1", "opf1", new PushRequestContext("203.0.113.9", "Mozilla/5.0", UseNumberMatching: true)),
            ["setPassword"] = async c => await c.SetPasswordAsync("00u1", "Correct-Horse-42"),
            ["unlock"] = async c => await c.UnlockUserAsync("00u1"),
        };
    }
}
