using System.Net;
using MfaReset.Okta.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MfaReset.Okta.Tests;

/// <summary>Okta settings are checked when the app starts, with messages that name the key to fix.</summary>
public sealed class OptionsTests
{
    private const string Token = "00SECRET-must-not-appear";

    public static TheoryData<string?, string> BadOrgUrls => new()
    {
        { null, "Okta:OrgUrl is required" },
        { "example.okta.com", "Okta:OrgUrl must be an absolute URL" },
        { "http://example.okta.com", "Okta:OrgUrl must use https; http is accepted only for a loopback host" },
        { "ftp://example.okta.com", "Okta:OrgUrl must use https" },
        { "https://admin:pw@example.okta.com", "Okta:OrgUrl must not carry user information" },
        { "https://example.okta.com/api/v1", "Okta:OrgUrl must be the org's base URL without a path" },
        { "https://example.okta.com/?x=1", "Okta:OrgUrl must be the org's base URL without a path" },
    };

    [Theory]
    [InlineData("http://example.okta.com", "Okta:AdditionalApiHosts:0 must use https")]
    [InlineData("https://example.okta.com/api/v1", "Okta:AdditionalApiHosts:0 must be the org's base URL without a path")]
    public void BadAdditionalApiHostStopsTheStart(string host, string message)
    {
        var failure = StartupFailure(new() { ["Okta:OrgUrl"] = "https://login.example.com", ["Okta:ApiToken"] = Token, ["Okta:AdditionalApiHosts:0"] = host });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadOrgUrls))]
    public void BadOrgUrlStopsTheStartWithAMessageNamingTheKey(string? orgUrl, string message)
    {
        var failure = StartupFailure(new() { ["Okta:OrgUrl"] = orgUrl, ["Okta:ApiToken"] = Token });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.okta.com")]
    [InlineData("https://example.okta.com/")]
    [InlineData("https://login.example.com")]
    [InlineData("http://127.0.0.1:5099")]
    [InlineData("http://localhost:5099")]
    [InlineData("http://[::1]:5099")]
    public async Task HttpsOrgUrlOrHttpOnLoopbackStartsAndReceivesTheClientsCalls(string orgUrl)
    {
        var okta = new ScriptedHandler();
        await using var host = ClientHost.Create(new Uri(orgUrl), primaryHandler: okta, apiToken: Token);
        host.Services.GetRequiredService<IStartupValidator>().Validate();

        var lookup = host.Client.GetUserAsync("someone@example.com", TestContext.Current.CancellationToken);
        var request = await okta.NextRequestAsync();
        request.Respond(HttpStatusCode.NotFound, """{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: someone@example.com (User)","errorCauses":[]}""");

        Assert.IsType<OktaResult<OktaUser>.NotFound>(await lookup);
        Assert.Equal(new Uri(orgUrl).GetLeftPart(UriPartial.Authority), request.Request.RequestUri!.GetLeftPart(UriPartial.Authority));
    }

    [Fact]
    public void MissingTokenStopsTheStartAndSaysWhereTokensBelong()
    {
        var failure = StartupFailure(new() { ["Okta:OrgUrl"] = "https://example.okta.com" });

        Assert.Contains("Okta:ApiToken is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("environment variable or user secrets", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AttemptTimeout", "00:00:30", "Okta:AttemptTimeout must be positive and no longer than Okta:TotalBudget")]
    [InlineData("TotalBudget", "00:00:00", "Okta:TotalBudget must be positive")]
    [InlineData("ConnectTimeout", "00:00:11", "Okta:ConnectTimeout must be positive and no longer than Okta:AttemptTimeout")]
    [InlineData("MaxRetries", "9", "Okta:MaxRetries must be between 0 and 5")]
    [InlineData("MaxRetries", "-1", "Okta:MaxRetries must be between 0 and 5")]
    [InlineData("CircuitBreakerFailures", "0", "Okta:CircuitBreakerFailures must be between 1 and 100")]
    [InlineData("CircuitBreakerDuration", "00:00:00", "Okta:CircuitBreakerDuration must be positive")]
    [InlineData("CircuitBreakerDuration", "01:00:00", "Okta:CircuitBreakerDuration must be positive and at most 00:10:00")]
    [InlineData("MaxInFlightRequests", "0", "Okta:MaxInFlightRequests must be between 1 and 75")]
    [InlineData("MaxInFlightRequests", "76", "Okta:MaxInFlightRequests must be between 1 and 75")]
    [InlineData("InFlightQueueTimeout", "-00:00:01", "Okta:InFlightQueueTimeout must be zero or more and shorter than Okta:AttemptTimeout")]
    [InlineData("InFlightQueueTimeout", "00:00:10", "Okta:InFlightQueueTimeout must be zero or more and shorter than Okta:AttemptTimeout")]
    [InlineData("LowQuotaFraction", "1", "Okta:LowQuotaFraction must be at least 0 (off) and below 1")]
    [InlineData("LowQuotaFraction", "-0.1", "Okta:LowQuotaFraction must be at least 0 (off) and below 1")]
    [InlineData("LowQuotaFraction", "NaN", "Okta:LowQuotaFraction must be at least 0 (off) and below 1")]
    [InlineData("PortalBucketShare", "0", "Okta:PortalBucketShare must be above 0 and at most 1")]
    [InlineData("PortalBucketShare", "1.5", "Okta:PortalBucketShare must be above 0 and at most 1")]
    public void OutOfRangeTimingStopsTheStart(string key, string value, string message)
    {
        var failure = StartupFailure(new() { ["Okta:OrgUrl"] = "https://example.okta.com", ["Okta:ApiToken"] = Token, [$"Okta:{key}"] = value });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesNameTheSectionTheOptionsCameFrom()
    {
        using var services = Services(new() { ["Identity:Okta:OrgUrl"] = "https://example.okta.com" }, "Identity:Okta");

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Identity:Okta:ApiToken is required", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsFollowTheSecurityRequirements()
    {
        var options = new OktaOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.TotalBudget);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(5, options.CircuitBreakerFailures);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreakerDuration);
        Assert.Equal(20, options.MaxInFlightRequests);
        Assert.Equal(TimeSpan.FromSeconds(2), options.InFlightQueueTimeout);
        Assert.Equal(0.1, options.LowQuotaFraction);
    }

    [Fact]
    public void TheQuotaMonitorIsOneSingletonForThePortalToAsk()
    {
        using var services = Services(new() { ["Okta:OrgUrl"] = "https://example.okta.com", ["Okta:ApiToken"] = Token });

        Assert.Same(services.GetRequiredService<IOktaQuotaMonitor>(), services.GetRequiredService<IOktaQuotaMonitor>());
        Assert.False(services.GetRequiredService<IOktaQuotaMonitor>().IsLow);
    }

    [Fact]
    public void OptionsToStringHidesTheToken()
    {
        var options = new OktaOptions { OrgUrl = new Uri("https://example.okta.com"), ApiToken = Token };

        Assert.DoesNotContain(Token, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiToken = (set, hidden)", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("https://example.okta.com", options.ToString(), StringComparison.Ordinal);
    }

    private static OptionsValidationException StartupFailure(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, string section = "Okta")
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOktaClient(section);
        return services.BuildServiceProvider();
    }
}
