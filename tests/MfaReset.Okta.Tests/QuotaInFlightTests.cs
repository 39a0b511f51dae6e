using System.Net;
using MfaReset.Okta.Tests.Support;
using static MfaReset.Okta.Tests.Support.OktaAnswers;

namespace MfaReset.Okta.Tests;

/// <summary>
/// The quota guard counts calls in flight against what a bucket has left: a burst arriving while the
/// bucket is a little above the margin cannot start more flows than Okta still has room for.
/// </summary>
public sealed class QuotaInFlightTests : IAsyncDisposable
{
    private const int Limit = 600; // margin: 10% = 60

    private readonly ScriptedHandler _okta = new();
    private readonly ClientHost _host;

    // No retries: each call is one attempt, so what is in flight is exactly what the test holds.
    public QuotaInFlightTests() => _host = ClientHost.Create(
        new Uri("https://example.okta.com"), primaryHandler: _okta, settings: new Dictionary<string, string?> { ["Okta:MaxRetries"] = "0" });

    private DateTimeOffset Now => _host.Clock.GetUtcNow();

    [Fact]
    public async Task LookupsInFlightCountAgainstWhatTheBucketHasLeft()
    {
        var first = _host.Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson, RateLimitHeaders(Limit, 62, Now.AddSeconds(30), Now));
        await Settled(first);
        Assert.False(_host.Quota.IsLow);

        var burst = Enumerable.Range(0, 3).Select(i => _host.Client.GetUserAsync($"user{i}@example.com")).ToList();
        var pending = new List<PendingRequest>();
        for (var i = 0; i < burst.Count; i++)
        {
            pending.Add(await _okta.NextRequestAsync());
        }

        Assert.True(_host.Quota.IsLow); // 62 left, 3 on their way: 59 < 60
        pending[0].Respond(HttpStatusCode.OK, UserJson, RateLimitHeaders(Limit, 61, Now.AddSeconds(30), Now));
        await Settled(burst[0]);
        Assert.True(_host.Quota.IsLow); // 61 left, 2 on their way
        foreach (var request in pending[1..])
        {
            request.Respond(HttpStatusCode.NotFound, """{"errorCode":"E0000007","errorSummary":"Not found","errorId":"oae9","errorCauses":[]}""");
        }

        await Task.WhenAll(burst.Select(Settled));
        Assert.False(_host.Quota.IsLow); // 61 left, nothing on its way
    }

    [Fact]
    public async Task ACallThatGetsNoAnswerStopsCountingAsInFlight()
    {
        var first = _host.Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await _okta.NextRequestAsync()).Respond(HttpStatusCode.OK, UserJson, RateLimitHeaders(Limit, 60, Now.AddSeconds(30), Now));
        await Settled(first);
        var lost = _host.Client.GetUserAsync("bob@example.com", TestContext.Current.CancellationToken);
        var request = await _okta.NextRequestAsync();
        Assert.True(_host.Quota.IsLow);

        request.Fail(new HttpRequestException("connection reset"));

        Assert.IsType<OktaResult<OktaUser>.Unavailable>(await Settled(lost));
        Assert.False(_host.Quota.IsLow);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
