using System.Diagnostics.Metrics;
using System.Net;
using MfaReset.Okta;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The MfaReset meter as an operator sees it: what one reset records, and the Prometheus scrape endpoint.</summary>
public sealed class MetricsTests(MetricsTests.ScrapedPortal app) : PortalTests<MetricsTests.ScrapedPortal>(app)
{
    private const string Login = "sam.sms@example.com";

    /// <summary>The portal with the Prometheus endpoint on, on the default path.</summary>
    public sealed class ScrapedPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" };
    }

    private MetricCollector<long> Collect(string instrument) =>
        new(App.Services.GetRequiredService<IMeterFactory>(), OktaMetrics.MeterName, instrument);

    private async Task ResetBySmsAsync()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");
        await browser.SendCodeAsync();
        await browser.EnterCodeAsync("000000"); // one wrong code first
        await browser.EnterCodeAsync(App.Okta.GetLatestMessage(Login)!.Code);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
    }

    [Fact]
    public async Task OneResetIsCountedStepByStepWithoutAnythingThatNamesThePerson()
    {
        using var started = Collect("mfareset.flows.started");
        using var verifications = Collect("mfareset.verifications");
        using var changes = Collect("mfareset.password.changes");
        using var oktaCalls = Collect("mfareset.okta.calls");

        await ResetBySmsAsync();

        Assert.Equal("found", Assert.Single(started.GetMeasurementSnapshot()).Tags["outcome"]);
        var steps = verifications.GetMeasurementSnapshot().Select(m => $"{m.Tags["factor.kind"]} {m.Tags["step"]} {m.Tags["outcome"]}").ToList();
        Assert.Equal(["Sms challenge ChallengeSent", "Sms code InvalidPasscode", "Sms code Success"], steps);
        Assert.Equal("changed", Assert.Single(changes.GetMeasurementSnapshot()).Tags["outcome"]);
        var calls = oktaCalls.GetMeasurementSnapshot();
        Assert.Contains(calls, m => Equals(m.Tags["okta.operation"], "getUser") && Equals(m.Tags["http.response.status_code"], 200) && Equals(m.Tags["okta.outcome"], "answered"));
        Assert.Contains(calls, m => Equals(m.Tags["okta.operation"], "verifyFactor.passcode") && Equals(m.Tags["http.response.status_code"], 403)
            && Equals(m.Tags["error.type"], "E0000068") && Equals(m.Tags["okta.outcome"], "error"));
        Assert.Contains(calls, m => Equals(m.Tags["okta.operation"], "updateUser.password") && Equals(m.Tags["okta.outcome"], "answered"));

        var userId = App.Okta.GetUser(Login).Id;
        var tagValues = new[] { started, verifications, changes, oktaCalls }
            .SelectMany(c => c.GetMeasurementSnapshot())
            .SelectMany(m => m.Tags.Values)
            .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)
            .ToList();
        Assert.NotEmpty(tagValues);
        Assert.DoesNotContain(tagValues, v => v.Contains('@', StringComparison.Ordinal) || v.Contains(userId, StringComparison.Ordinal) || v.Contains('/', StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrometheusScrapeShowsTheResetAndTheOktaCallsInItsTextFormat()
    {
        await ResetBySmsAsync();
        using var scraper = App.NewBrowser();

        var response = await scraper.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("mfareset_password_changes_total{", text, StringComparison.Ordinal);
        Assert.Contains("okta_operation=\"updateUser.password\"", text, StringComparison.Ordinal);
        Assert.Contains("mfareset_okta_call_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Login, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GaugesCountTheFlowsUnderWayAndThePushesWaitingInTheStore()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("pat.push@example.com", "push");
        await browser.SendPushAsync();
        using var other = App.NewBrowser();
        await other.ChooseAsync(Login, "sms");
        using var gauges = new MetricCollector<long>(App.Services.GetRequiredService<IMeterFactory>(), OktaMetrics.MeterName, "mfareset.pushes.waiting");
        using var live = new MetricCollector<long>(App.Services.GetRequiredService<IMeterFactory>(), OktaMetrics.MeterName, "mfareset.flows.live");

        App.Clock.Advance(TimeSpan.FromSeconds(30)); // the census interval: the sampler counts the store
        await WaitForCountAsync(live, expected: 2);

        gauges.RecordObservableInstruments();
        Assert.Equal(1, gauges.LastMeasurement!.Value);
    }

    private static async Task WaitForCountAsync(MetricCollector<long> gauge, long expected)
    {
        // The sampler runs on its own timer thread once the fake clock passes the interval.
        for (var i = 0; i < 100; i++)
        {
            gauge.RecordObservableInstruments();
            if (gauge.LastMeasurement?.Value == expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Equal(expected, gauge.LastMeasurement?.Value);
    }

    [Fact]
    public async Task ScrapeEndpointIsOffUnlessTurnedOn()
    {
        await using var plain = new PortalApp();
        await plain.InitializeAsync();
        using var browser = plain.NewBrowser();

        var response = await browser.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ScrapeEndpointOnItsOwnPortAnswersNowhereElse()
    {
        await using var portal = new OwnPortPortal();
        await portal.InitializeAsync();
        using var publicSide = portal.NewBrowser();
        using var scraper = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost:9464/") });

        var fromPublicSide = await publicSide.GetAsync("/internal/metrics");
        using var fromScraper = await scraper.GetAsync("/internal/metrics");

        Assert.Equal(HttpStatusCode.NotFound, fromPublicSide.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromScraper.StatusCode);
    }

    private sealed class OwnPortPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Metrics:Prometheus"] = "true",
            ["Metrics:PrometheusPath"] = "/internal/metrics",
            ["Metrics:PrometheusPort"] = "9464",
        };
    }
}
