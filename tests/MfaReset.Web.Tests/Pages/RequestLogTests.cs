using MfaReset.Web.Tests.Support;
using Serilog.Events;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Serilog's one event per request: what it carries, at which level, and what it never carries.</summary>
public sealed class RequestLogTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string RequestTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    private int _seen;

    private List<LogEvent> NewRequestEvents() =>
        [.. App.Logs.Events.Skip(_seen).Where(e => e.MessageTemplate.Text == RequestTemplate)];

    private static string? Scalar(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var raw } ? Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture) : null;

    [Fact]
    public async Task EachRequestIsOneEventWithStatusTimeAndTheFlowsReference()
    {
        using var browser = App.NewBrowser();
        await browser.StartAsync("sam.sms@example.com");
        _seen = App.Logs.Events.Count;

        await browser.GetAsync("/reset/method");

        var logged = Assert.Single(NewRequestEvents());
        Assert.Equal(LogEventLevel.Information, logged.Level);
        Assert.Equal("GET", Scalar(logged, "RequestMethod"));
        Assert.Equal("/reset/method", Scalar(logged, "RequestPath"));
        Assert.Equal("200", Scalar(logged, "StatusCode"));
        Assert.NotNull(Scalar(logged, "Elapsed"));
        Assert.Matches("^[0-9a-f]{12}$", Scalar(logged, "FlowRef"));
        Assert.NotEmpty(Scalar(logged, "Reference")!);
    }

    [Fact]
    public async Task OneResetsRequestLinesNameItsFlowFromTheUsernameStepThroughTheRenewedKey()
    {
        using var browser = App.NewBrowser();
        _seen = App.Logs.Events.Count;

        await browser.StartAsync("sam.sms@example.com");
        var started = FlowRefOf(browser);
        var usernameLine = Assert.Single(NewRequestEvents(), e => Scalar(e, "RequestMethod") == "POST");
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        await browser.SendCodeAsync();
        _seen = App.Logs.Events.Count;
        await browser.EnterCodeAsync(App.Okta.GetLatestMessage("sam.sms@example.com")!.Code);
        var renewed = FlowRefOf(browser);
        var verifyLine = Assert.Single(NewRequestEvents());

        Assert.Equal(started, Scalar(usernameLine, "FlowRef"));
        Assert.NotEqual(started, renewed);
        Assert.Equal(started, Scalar(verifyLine, "FlowRef"));
        Assert.Equal(renewed, Scalar(verifyLine, "NextFlowRef"));
    }

    private static string FlowRefOf(PortalBrowser browser) =>
        MfaReset.Web.Flow.FlowSecrets.LogRef(MfaReset.Web.Flow.FlowSecrets.KeyOf(browser.Cookie("__Host-MfaReset-Flow")!));

    [Fact]
    public async Task ThePushPagesPollIsLoggedAtDebug()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("pat.push@example.com", "push");
        await browser.SendPushAsync();
        _seen = App.Logs.Events.Count;

        await browser.PollAsync();

        var logged = Assert.Single(NewRequestEvents());
        Assert.Equal("/reset/push/status", Scalar(logged, "RequestPath"));
        Assert.Equal(LogEventLevel.Debug, logged.Level);
    }

    [Fact]
    public async Task RequestEventsCarryNoQueryValuesCookiesOrFormFields()
    {
        const string Secret = "Query-Or-Form-Secret-77";
        using var browser = App.NewBrowser();
        _seen = App.Logs.Events.Count;

        await browser.GetAsync($"/?token={Secret}");
        await browser.PostAsync("/", ("Input.Username", Secret + "@example.com"));

        var events = NewRequestEvents();
        Assert.Equal(2, events.Count);
        var rendered = string.Join('\n', events.SelectMany(e => e.Properties.Select(p => p.Value.ToString())));
        Assert.DoesNotContain(Secret, rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookie("__Host-MfaReset-Antiforgery") ?? "no antiforgery cookie", rendered, StringComparison.Ordinal);
        Assert.All(events, e => Assert.DoesNotContain("QueryString", e.Properties.Keys));
    }

    [Fact]
    public async Task TheReferenceOnAnErrorPageIsOnTheRequestsLogEvent()
    {
        using var browser = App.NewBrowser();
        _seen = App.Logs.Events.Count;

        await browser.GetAsync("/no/such/page");

        var reference = browser.Page.QuerySelector(".panel--problem code")!.TextContent.Trim();
        var logged = Assert.Single(NewRequestEvents());
        Assert.Equal("404", Scalar(logged, "StatusCode"));
        Assert.Equal(reference, Scalar(logged, "Reference"));
    }
}
