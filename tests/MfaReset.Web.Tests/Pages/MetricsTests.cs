using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using MfaReset.Web.Reset.Audit;
using MfaReset.Okta;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The MfaReset meter as an operator sees it: what one reset records, and the Prometheus scrape endpoint.</summary>
public sealed partial class MetricsTests(MetricsTests.ScrapedPortal app) : PortalTests<MetricsTests.ScrapedPortal>(app)
{
    private const string Login = "sam.sms@example.com";

    private const int ScrapePort = 9464;

    /// <summary>The portal with the Prometheus endpoint on, on the default path, on its own port.</summary>
    public sealed class ScrapedPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Metrics:Prometheus"] = "true",
            ["Metrics:PrometheusPort"] = ScrapePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A GET as it arrives on the server port <paramref name="localPort"/> (0: the public listener of the test server), with <paramref name="host"/> as its Host header.</summary>
    private static async Task<HttpResponseMessage> GetOnPortAsync(PortalApp portal, string path, int localPort, string host = "localhost")
    {
        using var client = portal.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://" + host + path));
        request.Headers.Add(PeerAddressFilter.LocalPortHeader, localPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await client.SendAsync(request);
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex LowerSnakeCase();

    private MetricCollector<long> Collect(string instrument) =>
        new(App.Services.GetRequiredService<IMeterFactory>(), PortalMetrics.MeterName, instrument);

    private async Task ResetBySmsAsync()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");
        await browser.SendCodeAsync();
        await browser.EnterCodeAsync("000000"); // one wrong code first
        await App.EnterTextedCodeAsync(browser, Login);
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

        var start = Assert.Single(started.GetMeasurementSnapshot());
        Assert.Equal(("reset", "found"), (start.Tags["purpose"], start.Tags["outcome"]));
        var steps = verifications.GetMeasurementSnapshot().Select(m => $"{m.Tags["factor.kind"]} {m.Tags["step"]} {m.Tags["outcome"]}").ToList();
        Assert.Equal(["sms challenge success", "sms code rejected", "sms code success"], steps);
        var change = Assert.Single(changes.GetMeasurementSnapshot());
        Assert.Equal(("success", "false"), (change.Tags["outcome"], change.Tags["read_back"]));
        var calls = oktaCalls.GetMeasurementSnapshot();
        Assert.Contains(calls, m => Equals(m.Tags["okta.operation"], "get_user") && Equals(m.Tags["http.response.status_code"], 200) && Equals(m.Tags["okta.outcome"], "success"));
        Assert.Contains(calls, m => Equals(m.Tags["okta.operation"], "verify_factor_passcode") && Equals(m.Tags["http.response.status_code"], 403)
            && Equals(m.Tags["error.type"], "e0000068") && Equals(m.Tags["okta.outcome"], "failure"));
        Assert.Contains(calls, m => Equals(m.Tags["okta.operation"], "update_user_password") && Equals(m.Tags["okta.outcome"], "success"));

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
    public async Task EveryTagValueOneResetRecordsOnTheMeterIsLowerSnakeCase()
    {
        var meters = App.Services.GetRequiredService<IMeterFactory>();
        var recorded = new ConcurrentQueue<(string Instrument, string Key, string Value)>();
        using var listener = new MeterListener
        {
            // Only this portal's meter: other tests' portals record on meters of the same name meanwhile.
            InstrumentPublished = (instrument, subscriber) =>
            {
                if (instrument.Meter.Name == PortalMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    subscriber.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            foreach (var tag in tags)
            {
                recorded.Enqueue((instrument.Name, tag.Key, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<int>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();

        await ResetBySmsAsync();
        listener.RecordObservableInstruments();

        Assert.Superset(
            new HashSet<string> { "mfareset.flows.started", "mfareset.verifications", "mfareset.password.changes", "mfareset.flows.ended", "mfareset.okta.calls", "mfareset.okta.call.duration", "mfareset.okta.rate_limit.remaining" },
            recorded.Select(r => r.Instrument).ToHashSet());
        Assert.All(recorded, r => Assert.True(LowerSnakeCase().IsMatch(r.Value), $"{r.Instrument}: {r.Key}={r.Value}"));
    }

    [Fact]
    public async Task PrometheusScrapeShowsTheResetAndTheOktaCallsInItsTextFormat()
    {
        await ResetBySmsAsync();

        using var response = await GetOnPortAsync(App, "/metrics", ScrapePort);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("mfareset_password_changes_total{", text, StringComparison.Ordinal);
        Assert.Contains("okta_operation=\"update_user_password\"", text, StringComparison.Ordinal);
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
        using var gauges = new MetricCollector<long>(App.Services.GetRequiredService<IMeterFactory>(), PortalMetrics.MeterName, "mfareset.pushes.waiting");
        using var live = new MetricCollector<long>(App.Services.GetRequiredService<IMeterFactory>(), PortalMetrics.MeterName, "mfareset.flows.live");

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

        using var fromScrapePort = await GetOnPortAsync(portal, "/internal/metrics", ScrapePort);
        using var fromPublicSide = await GetOnPortAsync(portal, "/internal/metrics", 443);
        using var pageOnScrapePort = await GetOnPortAsync(portal, "/", ScrapePort);

        Assert.Equal(HttpStatusCode.OK, fromScrapePort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fromPublicSide.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pageOnScrapePort.StatusCode);
    }

    [Theory]
    [InlineData("reset.corp.example:9464")]
    [InlineData("localhost:9464")]
    public async Task HostHeaderNamingTheScrapePortGetsNoScrapeOnThePublicListener(string host)
    {
        await using var portal = new OwnPortPortal();
        await portal.InitializeAsync();

        using var response = await GetOnPortAsync(portal, "/internal/metrics", 443, host);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("mfareset_", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentScrapeOnThePublicListenerCannotTellAnAccountFromAnUnknownUsername()
    {
        await using var portal = new DevelopmentPublicScrapePortal();
        await portal.InitializeAsync();
        using (var known = portal.NewBrowser())
        {
            // A whole reset: only a real account reaches a password set, so its outcome must not show either.
            await known.ChooseAsync(Login, "sms");
            await known.SendCodeAsync();
            await known.EnterCodeAsync(portal.Okta.GetLatestMessage(Login)!.Code);
            await known.FollowAsync();
            await known.ChangePasswordAsync();
        }

        using (var unknown = portal.NewBrowser())
        {
            await unknown.ChooseAsync("nobody.here@example.com", "sms");
            await unknown.SendCodeAsync();
        }

        using var response = await GetOnPortAsync(portal, "/metrics", 443);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("mfareset_flows_started_total{", text, StringComparison.Ordinal);
        Assert.Contains("mfareset_verifications_total{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("outcome=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("decoy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("mfareset_okta_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeOnItsOwnPortKeepsTheOutcomesForOperators()
    {
        // A portal of its own: the exporter keeps a scrape for a moment, and another test's must not answer this one.
        await using var portal = new OwnPortPortal();
        await portal.InitializeAsync();
        using (var unknown = portal.NewBrowser())
        {
            await unknown.ChooseAsync("nobody.here@example.com", "sms");
        }

        using var response = await GetOnPortAsync(portal, "/internal/metrics", ScrapePort);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("outcome=\"not_found\"", text, StringComparison.Ordinal);
        Assert.Contains("mfareset_okta_calls_total{", text, StringComparison.Ordinal);
    }

    private sealed class OwnPortPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Metrics:Prometheus"] = "true",
            ["Metrics:PrometheusPath"] = "/internal/metrics",
            ["Metrics:PrometheusPort"] = ScrapePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The portal's public name, as a deployment allows it: host filtering lets any port of it through.
            ["AllowedHosts"] = "reset.corp.example;localhost",
        };
    }

    /// <summary>Development, Prometheus on and no port of its own: the scrape shares the public listener.</summary>
    private sealed class DevelopmentPublicScrapePortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Development");
        }
    }
}
