using System.Net;
using System.Text.Json;
using MfaReset.Okta.Tests.Support;
using MfaReset.Okta.Wire;

namespace MfaReset.Okta.Tests;

/// <summary>How Flurl is set up over the typed client's HttpClient: no redirects of its own, errors as answers, source-generated JSON only.</summary>
public sealed class FlurlTransportTests
{
    [Fact]
    public async Task ARedirectIsAnAnswerAndIsNotFollowed()
    {
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri("https://example.okta.com"), primaryHandler: okta);

        var call = host.Client.GetUserAsync("ada@example.com", TestContext.Current.CancellationToken);
        (await okta.NextRequestAsync()).Respond(HttpStatusCode.Found, headers: r => r.Headers.Location = new Uri("https://elsewhere.example/api/v1/users/ada"));

        var failed = Assert.IsType<OktaResult<OktaUser>.Failed>(await call);
        Assert.Equal(302, failed.Error.HttpStatus);
        Assert.Equal(1, okta.RequestCount);
    }

    [Fact]
    public void FlurlKeepsTheHttpClientTimeoutAndUsesTheOktaSerializer()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(17) };

        var flurl = OktaFlurl.Over(http, new Uri("https://example.okta.com/ignored/path"));

        Assert.Equal(TimeSpan.FromSeconds(17), http.Timeout);
        Assert.Null(flurl.Settings.Timeout);
        Assert.False(flurl.Settings.Redirects.Enabled);
        Assert.Equal("*", flurl.Settings.AllowedHttpStatusRange);
        Assert.Equal("https://example.okta.com", flurl.BaseUrl);
        Assert.Empty(flurl.Headers);
        Assert.Same(OktaJsonSerializer.Okta, flurl.Request("api").Settings.JsonSerializer);
    }

    [Fact]
    public void TheSerializerWritesAndReadsTheContextsTypesAndRefusesAnyOther()
    {
        Assert.Equal("""{"passCode":"123456"}""", OktaJsonSerializer.Okta.Serialize(new PasscodeRequestWire("123456")));
        Assert.Equal("E0000007", OktaJsonSerializer.Okta.Deserialize<ErrorWire>("""{"errorCode":"E0000007","extra":1}""").ErrorCode);
        using var stream = new MemoryStream("""{"factorResult":"WAITING"}"""u8.ToArray());
        Assert.Equal("WAITING", OktaJsonSerializer.Okta.Deserialize<VerifyResultWire>(stream).FactorResult);

        Assert.Throws<NotSupportedException>(() => OktaJsonSerializer.Okta.Serialize(new Uri("https://example.okta.com")));
        Assert.Throws<NotSupportedException>(() => OktaJsonSerializer.Okta.Deserialize<JsonElement>("{}"));
    }
}
