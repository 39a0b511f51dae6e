using System.Net;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests;

/// <summary>A stored poll handle is followed only to the org's own push transaction path (security.md item 33).</summary>
public sealed class PollHrefTests : IAsyncDisposable
{
    private const string Org = "https://example.okta.com";
    private const string Transaction = "/api/v1/users/00u1/factors/opf1/transactions/v2mst.GldKV5VxTrifyeZmWSQguA";

    private readonly ScriptedHandler _okta = new();
    private readonly ClientHost _host;

    public PollHrefTests() => _host = ClientHost.Create(new Uri(Org), primaryHandler: _okta);

    public static TheoryData<string> ForeignHrefs => new(
        "https://evil.example.com" + Transaction,
        "https://example.okta.com.evil.example" + Transaction,
        "https://example.okta.com." + Transaction,
        "http://example.okta.com" + Transaction,
        "https://example.okta.com:8443" + Transaction,
        "https://example.okta.com@evil.example.com" + Transaction,
        "https://admin@example.okta.com" + Transaction,
        Org + Transaction + "?next=https://evil.example.com",
        Org + Transaction + "#fragment",
        Org + Transaction + "/extra",
        Org + "/api/v1/users/00u1/factors/opf1/verify",
        Org + "/api/v1/users/00u1/factors/opf1/transactions",
        Org + "/api/v1/users/00u1/factors/opf1/transactions/../../../../groups",
        Org + "/api/v1/users/00u1/factors/opf1/transactions/..",
        Org + "/api/v1/users/../factors/opf1/transactions/v2mst.1",
        Org + "/api/v1/users/00u1/factors/opf1/transactions/%2e%2e",
        Org + "/api/v1/users/00u1/factors/opf1/transactions/v2mst%2F1",
        Org + "/api/v1/users//factors/opf1/transactions/v2mst.1",
        Org + "/API/v1/users/00u1/factors/opf1/transactions/v2mst.1",
        Org + "/api/v2/users/00u1/factors/opf1/transactions/v2mst.1",
        Org + @"\api\v1\users\00u1\factors\opf1\transactions\v2mst.1",
        " " + Org + Transaction,
        Org + Transaction + "\n",
        Transaction,
        "//evil.example.com" + Transaction,
        "file:///etc/passwd",
        "javascript:alert(1)");

    [Theory]
    [MemberData(nameof(ForeignHrefs))]
    public async Task ForeignPollHrefIsRefusedWithoutAnyRequest(string href)
    {
        var result = await _host.Client.PollPushAsync(PushPollHandle.Deserialize(href), TestContext.Current.CancellationToken);

        Assert.IsType<FactorVerifyResult.Refused>(result);
        Assert.Equal(0, _okta.RequestCount);
        var refusal = Assert.Single(_host.Logs.GetSnapshot(), e => e.Id.Id == 1106);
        Assert.DoesNotContain("evil", refusal.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("v2mst", refusal.AllText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Org + Transaction)]
    [InlineData("https://EXAMPLE.okta.com" + Transaction)]
    [InlineData("https://example.okta.com:443" + Transaction)]
    public async Task PollHrefOfTheOrgsTransactionPathIsFollowed(string href)
    {
        var result = _host.Client.PollPushAsync(PushPollHandle.Deserialize(href), TestContext.Current.CancellationToken);

        var request = await _okta.NextRequestAsync();
        request.Respond(HttpStatusCode.OK, """{"factorResult":"SUCCESS"}""");

        Assert.IsType<FactorVerifyResult.Success>(await result.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(HttpMethod.Get, request.Request.Method);
        Assert.Equal(new Uri(Org + Transaction), request.Request.RequestUri);
    }

    [Theory]
    [MemberData(nameof(ForeignHrefs))]
    public async Task ForeignCancelHrefIsRefusedWithoutAnyRequest(string href)
    {
        var result = await _host.Client.CancelPushAsync(PushPollHandle.Deserialize(href), TestContext.Current.CancellationToken);

        Assert.IsType<FactorVerifyResult.Refused>(result);
        Assert.Equal(0, _okta.RequestCount);
    }

    /// <summary>Okta documents the cancel link only (same href as the poll link, DELETE) and no answer: any 2xx is a cancellation.</summary>
    [Theory]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData(HttpStatusCode.OK)]
    public async Task CancelDeletesTheOrgsTransaction(HttpStatusCode status)
    {
        var result = _host.Client.CancelPushAsync(PushPollHandle.Deserialize(Org + Transaction), TestContext.Current.CancellationToken);

        var request = await _okta.NextRequestAsync();
        request.Respond(status, status == HttpStatusCode.OK ? "{}" : "");

        Assert.IsType<FactorVerifyResult.Cancelled>(await result.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(HttpMethod.Delete, request.Request.Method);
        Assert.Equal(new Uri(Org + Transaction), request.Request.RequestUri);
    }

    [Fact]
    public async Task PollHrefOnAnAdditionalApiHostIsFollowedWhenConfiguredAndNothingElse()
    {
        // Okta:OrgUrl is the org's custom domain; Okta writes its own host into the push links.
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri("https://login.example.com"), primaryHandler: okta, settings: new Dictionary<string, string?>
        {
            ["Okta:AdditionalApiHosts:0"] = Org,
        });

        var foreign = await host.Client.PollPushAsync(PushPollHandle.Deserialize("https://other.okta.com" + Transaction), TestContext.Current.CancellationToken);
        var poll = host.Client.PollPushAsync(PushPollHandle.Deserialize(Org + Transaction), TestContext.Current.CancellationToken);
        var request = await okta.NextRequestAsync();
        request.Respond(HttpStatusCode.OK, """{"factorResult":"WAITING","_links":{"poll":{"href":"https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst.1"}}}""");

        Assert.IsType<FactorVerifyResult.Refused>(foreign);
        Assert.IsType<FactorVerifyResult.Waiting>(await poll.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(new Uri(Org + Transaction), request.Request.RequestUri);
        Assert.Equal("SSWS", request.Request.Headers.Authorization?.Scheme);
        Assert.Equal(1, okta.RequestCount);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
