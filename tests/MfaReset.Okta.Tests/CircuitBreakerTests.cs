using System.Net;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Support.OktaAnswers;

namespace MfaReset.Okta.Tests;

/// <summary>
/// The circuit breaker (security.md item 77) on a test clock: five failed attempts in a row make calls
/// fail fast without a request for 30 s, then one trial call decides. Answers below 500 prove Okta is up.
/// </summary>
public sealed class CircuitBreakerTests : IAsyncDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);
    private static readonly OktaUnavailable FailedFast = new(OktaUnavailableKind.CircuitOpen, RequestMayHaveReachedOkta: false);

    private readonly ScriptedHandler _okta = new();
    private readonly ClientHost _host;

    public CircuitBreakerTests() => _host = ClientHost.Create(new Uri("https://example.okta.com"), primaryHandler: _okta);

    private TestClock Clock => _host.Clock;

    private IOktaClient Client => _host.Client;

    /// <summary>Answers below 500, each of which shows that Okta is up.</summary>
    public static TheoryData<HttpStatusCode, string?> ClientErrors => new()
    {
        { HttpStatusCode.Forbidden, InvalidPasscodeJson },
        { HttpStatusCode.NotFound, """{"errorCode":"E0000007","errorSummary":"Not found","errorId":"oae4","errorCauses":[]}""" },
        { HttpStatusCode.TooManyRequests, RateLimitJson },
        { HttpStatusCode.BadRequest, null },
    };

    [Fact]
    public async Task FiveFailuresInARowOpenTheCircuitAndEveryKindOfCallThenFailsFastUnsent()
    {
        await FailAsync(request => request.ServerError());
        await FailAsync(request => request.Fail(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")));
        await TimeOutAsync();
        await FailAsync(request => request.Respond(HttpStatusCode.ServiceUnavailable, ServerErrorJson));
        await TimeOutAsync();

        Assert.Equal(FailedFast, Reason(await Settled(Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken))));
        Assert.Equal(FailedFast, Reason(await Settled(Client.ListFactorsAsync("00u1", TestContext.Current.CancellationToken))));
        Assert.Equal(FailedFast, Reason(await Settled(Client.VerifyPasscodeAsync("00u1", "sms1", "123456", cancellationToken: TestContext.Current.CancellationToken))));
        Assert.Equal(FailedFast, Reason(await Settled(Client.SetPasswordAsync("00u1", "Correct-Horse-42", cancellationToken: TestContext.Current.CancellationToken))));
        Assert.Equal(FailedFast, Reason(await Settled(Client.RevokeSessionsAsync("00u1", revokeOAuthTokens: true, cancellationToken: TestContext.Current.CancellationToken))));
        Assert.Equal(5, _okta.RequestCount);
        Assert.Contains(_host.Logs.GetSnapshot(), e => e.Id.Id == 1108);
    }

    [Fact]
    public async Task FourFailuresInARowLeaveTheCircuitClosed()
    {
        await ServerErrorsAsync(4);

        var user = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);

        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(user));
        Assert.Equal(5, _okta.RequestCount);
    }

    [Theory]
    [MemberData(nameof(ClientErrors))]
    public async Task AnAnswerBelow500ProvesOktaIsUpAndStartsTheCountAfresh(HttpStatusCode status, string? json)
    {
        await ServerErrorsAsync(4);

        var answered = Client.VerifyPasscodeAsync("00u1", "sms1", "123456", cancellationToken: TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(status, json);
        Assert.IsNotType<FactorVerifyResult.Unavailable>(await Settled(answered));
        await ServerErrorsAsync(4);

        var user = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);
        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(user));
    }

    [Fact]
    public async Task AfterTheBreakOneTrialCallGoesThroughWhileOthersStillFailFastAndItsSuccessClosesTheCircuit()
    {
        await OpenTheCircuitAsync();

        Clock.Advance(BreakDuration - TimeSpan.FromMilliseconds(1));
        Assert.Equal(FailedFast, Reason(await Settled(Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken))));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var trial = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        var trialRequest = await _okta.NextRequestAsync();
        Assert.Equal(FailedFast, Reason(await Settled(Client.ListFactorsAsync("00u1", TestContext.Current.CancellationToken))));
        trialRequest.Respond(HttpStatusCode.OK, UserJson);
        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(trial));

        var afterwards = Client.ListFactorsAsync("00u1", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, "[]");
        Assert.IsType<OktaResult<IReadOnlyList<OktaFactor>>.Ok>(await Settled(afterwards));
        Assert.Equal(7, _okta.RequestCount);
        Assert.Contains(_host.Logs.GetSnapshot(), e => e.Id.Id == 1110);
    }

    [Fact]
    public async Task AFailedTrialOpensTheCircuitForAnotherFullBreakWithoutRetries()
    {
        await OpenTheCircuitAsync();
        Clock.Advance(BreakDuration);

        var trial = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).ServerError();
        Assert.Equal(new OktaUnavailable(OktaUnavailableKind.ServerError, RequestMayHaveReachedOkta: true, 500), Reason(await Settled(trial)));
        Assert.Equal(6, _okta.RequestCount);

        Clock.Advance(BreakDuration - TimeSpan.FromMilliseconds(1));
        Assert.Equal(FailedFast, Reason(await Settled(Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken))));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var nextTrial = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);
        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(nextTrial));
    }

    [Fact]
    public async Task ACancelledTrialLetsTheNextCallBeTheTrial()
    {
        await OpenTheCircuitAsync();
        Clock.Advance(BreakDuration);

        using var cancellation = new CancellationTokenSource();
        var cancelled = Client.GetUserAsync("ada@example.com", cancellation.Token);
        await _okta.NextRequestAsync();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Settled(cancelled));

        var trial = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);
        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(trial));
    }

    [Fact]
    public async Task AGetWhoseFailureOpensTheCircuitIsNotRetried()
    {
        await ServerErrorsAsync(4);

        var user = Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).ServerError();

        Assert.Equal(new OktaUnavailable(OktaUnavailableKind.ServerError, RequestMayHaveReachedOkta: true, 500), Reason(await Settled(user)));
        Assert.Equal(5, _okta.RequestCount);
    }

    [Fact]
    public async Task ThresholdAndBreakComeFromTheOptions()
    {
        await using var host = ClientHost.Create(
            new Uri("https://example.okta.com"),
            primaryHandler: _okta,
            settings: new Dictionary<string, string?> { ["Okta:CircuitBreakerFailures"] = "2", ["Okta:CircuitBreakerDuration"] = "00:01:00" });

        for (var i = 0; i < 2; i++)
        {
            var call = host.Client.ChallengeAsync("00u1", "sms1", cancellationToken: TestContext.Current.CancellationToken);
            (await _okta.NextRequestAsync()).ServerError();
            await Settled(call);
        }

        host.Clock.Advance(BreakDuration);
        Assert.Equal(FailedFast, Reason(await Settled(host.Client.ChallengeAsync("00u1", "sms1", cancellationToken: TestContext.Current.CancellationToken))));
        Assert.Equal(2, _okta.RequestCount);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task OpenTheCircuitAsync()
    {
        await ServerErrorsAsync(5);

        Assert.Equal(FailedFast, Reason(await Settled(Client.GetUserAsync("ada@example.com"))));
    }

    private async Task ServerErrorsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await FailAsync(request => request.ServerError());
        }
    }

    /// <summary>One POST (never retried, so exactly one attempt) that Okta fails as <paramref name="fail"/> says.</summary>
    private async Task FailAsync(Action<PendingRequest> fail)
    {
        var call = Client.ChallengeAsync("00u1", "sms1");
        fail(await _okta.NextRequestAsync());
        var reason = Reason(await Settled(call));
        Assert.NotNull(reason);
        Assert.NotEqual(OktaUnavailableKind.CircuitOpen, reason.Kind);
    }

    private async Task TimeOutAsync()
    {
        var call = Client.ChallengeAsync("00u1", "sms1");
        await _okta.NextRequestAsync();
        Clock.Advance(AttemptTimeout);
        Assert.Equal(OktaUnavailableKind.Timeout, Reason(await Settled(call))?.Kind);
    }

    private static OktaUnavailable? Reason(object result) => result switch
    {
        OktaResult<OktaUser>.Unavailable u => u.Reason,
        OktaResult<IReadOnlyList<OktaFactor>>.Unavailable u => u.Reason,
        OktaResult<NoContent>.Unavailable u => u.Reason,
        FactorVerifyResult.Unavailable u => u.Reason,
        SetPasswordResult.Unavailable u => u.Reason,
        _ => null,
    };
}
