using System.Net;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;
using static MfaReset.Okta.Tests.Support.OktaAnswers;

namespace MfaReset.Okta.Tests;

/// <summary>
/// The cap on concurrent Okta requests (security.md item 76), on a test clock: requests beyond the cap
/// wait for a slot, up to the queue timeout, and are then refused without being sent.
/// </summary>
public sealed class InFlightLimitTests : IAsyncDisposable
{
    private static readonly int Cap = new OktaOptions().MaxInFlightRequests;
    private static readonly TimeSpan QueueTimeout = new OktaOptions().InFlightQueueTimeout;

    private readonly ScriptedHandler _okta = new();
    private readonly ClientHost _host;

    public InFlightLimitTests() => _host = ClientHost.Create(new Uri("https://example.okta.com"), primaryHandler: _okta);

    private TestClock Clock => _host.Clock;

    private IOktaClient Client => _host.Client;

    [Fact]
    public async Task ARequestBeyondTheCapWaitsAndIsRefusedUnsentWhenNoSlotFreesInTime()
    {
        var (slow, pending) = await FillEverySlotAsync();

        var extra = Client.ChallengeAsync("00u1", "sms1", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(QueueTimeout, await Clock.NextTimerAsync(due => due == QueueTimeout));
        Clock.Advance(QueueTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(extra.IsCompleted);
        Clock.Advance(TimeSpan.FromMilliseconds(1));

        var refused = Assert.IsType<FactorVerifyResult.Unavailable>(await Settled(extra));
        Assert.Equal(new OktaUnavailable(OktaUnavailableKind.InFlightLimit, RequestMayHaveReachedOkta: false), refused.Reason);
        Assert.Equal(Cap, _okta.RequestCount);
        await AnswerAllAsync(slow, pending);
    }

    [Fact]
    public async Task AWaitingRequestIsSentAsSoonAsASlotFrees()
    {
        var (slow, pending) = await FillEverySlotAsync();

        var extra = Client.GetUserAsync("grace@example.com", TestContext.Current.CancellationToken);
        await Clock.NextTimerAsync(due => due == QueueTimeout);
        Assert.Equal(Cap, _okta.RequestCount);
        pending[0].Respond(HttpStatusCode.OK, UserJson);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);

        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(extra));
        Assert.Equal(Cap + 1, _okta.RequestCount);
        await AnswerAllAsync(slow, pending[1..]);
    }

    [Fact]
    public async Task ASlotIsGivenBackHoweverTheRequestEnds()
    {
        await using var host = ClientHost.Create(
            new Uri("https://example.okta.com"), primaryHandler: _okta, settings: new Dictionary<string, string?> { ["Okta:MaxInFlightRequests"] = "1" });

        var failed = host.Client.ChallengeAsync("00u1", "sms1", cancellationToken: TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).ServerError();
        await Settled(failed);
        var unreachable = host.Client.ChallengeAsync("00u1", "sms1", cancellationToken: TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Fail(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        await Settled(unreachable);
        var timedOut = host.Client.ChallengeAsync("00u1", "sms1", cancellationToken: TestContext.Current.CancellationToken);
        await _okta.NextRequestAsync();
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await Settled(timedOut);
        using var cancellation = new CancellationTokenSource();
        var cancelled = host.Client.ChallengeAsync("00u1", "sms1", cancellationToken: cancellation.Token);
        await _okta.NextRequestAsync();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Settled(cancelled));

        var last = host.Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson);

        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(last));
        Assert.DoesNotContain(QueueTimeout, host.Clock.StartedDueTimes);
    }

    [Fact]
    public async Task WithNoQueueTimeoutARequestBeyondTheCapIsRefusedAtOnce()
    {
        await using var host = ClientHost.Create(
            new Uri("https://example.okta.com"),
            primaryHandler: _okta,
            settings: new Dictionary<string, string?> { ["Okta:MaxInFlightRequests"] = "1", ["Okta:InFlightQueueTimeout"] = "00:00:00" });
        var slow = host.Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        var pending = await _okta.NextRequestAsync();

        var refused = Assert.IsType<OktaResult<OktaUser>.Unavailable>(await Settled(host.Client.GetUserAsync("grace@example.com", TestContext.Current.CancellationToken)));

        Assert.Equal(OktaUnavailableKind.InFlightLimit, refused.Reason.Kind);
        Assert.Equal(1, _okta.RequestCount);
        pending.Respond(HttpStatusCode.OK, UserJson);
        Assert.IsType<OktaResult<OktaUser>.Ok>(await Settled(slow));
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>Starts as many calls as the cap allows and waits until every one of them is at Okta, unanswered.</summary>
    private async Task<(Task<OktaResult<OktaUser>>[] Calls, PendingRequest[] Requests)> FillEverySlotAsync()
    {
        var calls = Enumerable.Range(0, Cap).Select(i => Client.GetUserAsync($"user{i}@example.com")).ToArray();
        var requests = new PendingRequest[Cap];
        for (var i = 0; i < Cap; i++)
        {
            requests[i] = await _okta.NextRequestAsync();
        }

        Assert.Equal(Cap, _okta.RequestCount);
        return (calls, requests);
    }

    private static async Task AnswerAllAsync(Task<OktaResult<OktaUser>>[] calls, IEnumerable<PendingRequest> requests)
    {
        foreach (var request in requests)
        {
            request.Respond(HttpStatusCode.OK, UserJson);
        }

        Assert.All(await Settled(Task.WhenAll(calls)), result => Assert.IsType<OktaResult<OktaUser>.Ok>(result));
    }
}
