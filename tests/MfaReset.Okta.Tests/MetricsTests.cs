using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using MfaReset.Okta.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MfaReset.Okta.Tests;

/// <summary>Every Okta call is counted once, by operation and outcome, with its duration; never with an id or URL.</summary>
public sealed class MetricsTests
{
    private static readonly Uri OrgUrl = new("https://example.okta.com");

    private sealed class FixedNetwork(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }

    private static (MetricCollector<long> Calls, MetricCollector<double> Durations) Collect(ClientHost host)
    {
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        return (new(meters, OktaMetrics.MeterName, "mfareset.okta.calls"), new(meters, OktaMetrics.MeterName, "mfareset.okta.call.duration"));
    }

    [Fact]
    public async Task CallThatCouldNotConnectIsCountedAsUnavailableWithItsKind()
    {
        await using var host = ClientHost.Create(OrgUrl, primaryHandler: new FixedNetwork(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")));
        var (calls, durations) = Collect(host);

        await host.Client.ChallengeAsync("00u1", "mbl1", cancellationToken: TestContext.Current.CancellationToken);

        var call = Assert.Single(calls.GetMeasurementSnapshot());
        Assert.Equal("verify_factor_challenge", call.Tags["okta.operation"]);
        Assert.Equal("unavailable", call.Tags["okta.outcome"]);
        Assert.Equal("connection_failed", call.Tags["error.type"]);
        Assert.False(call.Tags.ContainsKey("http.response.status_code"));
        Assert.Single(durations.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task OktaErrorIsCountedWithItsStatusAndErrorCodeOnly()
    {
        const string Body = """{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: jane@example.com (User)","errorLink":"E0000007","errorId":"oaeX","errorCauses":[]}""";
        await using var host = ClientHost.Create(OrgUrl, primaryHandler: new FixedNetwork(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        }));
        var (calls, _) = Collect(host);

        await host.Client.GetUserAsync("jane@example.com", TestContext.Current.CancellationToken);

        var call = Assert.Single(calls.GetMeasurementSnapshot());
        Assert.Equal(
            [
                new("okta.operation", "get_user"),
                new("okta.outcome", "failure"),
                new("http.response.status_code", 404),
                new("error.type", "e0000007"),
            ],
            call.Tags.OrderBy(t => t.Key switch { "okta.operation" => 0, "okta.outcome" => 1, "http.response.status_code" => 2, _ => 3 }).ToList<KeyValuePair<string, object?>>());
    }

    [Theory]
    [InlineData("verifyFactor.passcode", "verify_factor_passcode")]
    [InlineData("getFactorTransactionStatus", "get_factor_transaction_status")]
    [InlineData("OktaVerifyPush", "okta_verify_push")]
    [InlineData("E0000068", "e0000068")]
    [InlineData("codes-per-user", "codes_per_user")]
    [InlineData("ineligible-PasswordExpired", "ineligible_password_expired")]
    [InlineData("HTTPTimeout", "http_timeout")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("--", "none")]
    public void TagValuesAreLowerSnakeCase(string name, string tagValue) => Assert.Equal(tagValue, MetricTagValue.Of(name));

    [Fact]
    public void ATagValueIsConvertedOnceAndTheSameStringIsRecordedEveryTime()
    {
        Assert.Same(MetricTagValue.Of(DayOfWeek.Wednesday), MetricTagValue.Of(DayOfWeek.Wednesday));
        Assert.Equal("wednesday", MetricTagValue.Of(DayOfWeek.Wednesday));
        Assert.Same(MetricTagValue.Of("verifyFactor.passcode"), MetricTagValue.Of("verifyFactor.passcode"));

        // A value outside the enum's members still gets a tag, converted from its number.
        Assert.Equal("42", MetricTagValue.Of((DayOfWeek)42));
    }
}
