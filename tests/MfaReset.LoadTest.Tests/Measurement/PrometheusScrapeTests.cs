using MfaReset.LoadTest.Measurement;

namespace MfaReset.LoadTest.Tests.Measurement;

public sealed class PrometheusScrapeTests
{
    private const string Scrape = """
        # TYPE mfareset_flow_store_operations_total counter
        # HELP mfareset_flow_store_operations_total Calls on the flow store, by operation.
        mfareset_flow_store_operations_total{otel_scope_name="MfaReset",operation="get"} 120 1764642000000
        mfareset_flow_store_operations_total{otel_scope_name="MfaReset",operation="replace"} 20 1764642000000
        mfareset_flow_store_operations_total{otel_scope_name="Other",operation="get"} 3
        mfareset_flow_store_operations_bucket{operation="get",le="1"} 999
        mfareset_flows_started_total{suboperation="get",outcome="found"} 7

        """;

    [Fact]
    public void SamplesOfTheCounterAreSummedPerLabelValue()
    {
        var sums = PrometheusScrape.SumByLabel(Scrape, "mfareset_flow_store_operations", "operation");

        Assert.Equal(new Dictionary<string, double> { ["get"] = 123, ["replace"] = 20 }, sums);
    }

    [Fact]
    public void ALabelWhoseNameEndsLikeTheOneAskedForIsNotIt() =>
        Assert.Empty(PrometheusScrape.SumByLabel(Scrape, "mfareset_flows_started", "operation"));
}
