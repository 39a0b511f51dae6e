using MfaReset.Testing;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Serilog's one event per request (as the host's logging providers receive it): what it carries, at which level, and what it never carries.</summary>
public sealed class RequestLogTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string RequestTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    private int _seen;

    private List<FakeLogRecord> NewRequestEvents() =>
        [.. App.Logs.Since(_seen).Where(r => r.Value("{OriginalFormat}") == RequestTemplate)];

    [Fact]
    public async Task EachRequestIsOneEventWithStatusTimeAndTheFlowsReference()
    {
        using var browser = App.NewBrowser();
        await browser.StartAsync("sam.sms@example.com");
        _seen = App.Logs.Count;

        await browser.GetAsync("/reset/method");

        var logged = Assert.Single(NewRequestEvents());
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Equal("GET", logged.Value("RequestMethod"));
        Assert.Equal("/reset/method", logged.Value("RequestPath"));
        Assert.Equal("200", logged.Value("StatusCode"));
        Assert.NotNull(logged.Value("Elapsed"));
        Assert.Matches("^[0-9a-f]{12}$", logged.Value("FlowRef"));
        Assert.NotEmpty(logged.Value("Reference")!);
    }

    [Fact]
    public async Task OneResetsRequestLinesNameItsFlowFromTheUsernameStepThroughTheRenewedKey()
    {
        using var browser = App.NewBrowser();
        _seen = App.Logs.Count;

        await browser.StartAsync("sam.sms@example.com");
        var started = FlowRefOf(browser);
        var usernameLine = Assert.Single(NewRequestEvents(), e => e.Value("RequestMethod") == "POST");
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        await browser.SendCodeAsync();
        _seen = App.Logs.Count;
        await App.EnterTextedCodeAsync(browser, "sam.sms@example.com");
        var renewed = FlowRefOf(browser);
        var verifyLine = Assert.Single(NewRequestEvents());

        Assert.Equal(started, usernameLine.Value("FlowRef"));
        Assert.NotEqual(started, renewed);
        Assert.Equal(started, verifyLine.Value("FlowRef"));
        Assert.Equal(renewed, verifyLine.Value("NextFlowRef"));
    }

    private static string FlowRefOf(PortalBrowser browser) =>
        MfaReset.Web.Reset.State.FlowSecrets.LogRef(MfaReset.Web.Reset.State.FlowSecrets.KeyOf(browser.Cookie("__Host-MfaReset-Flow")!));

    [Fact]
    public async Task ThePushPagesPollIsLoggedAtDebug()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("pat.push@example.com", "push");
        await browser.SendPushAsync();
        _seen = App.Logs.Count;

        await browser.PollAsync();

        var logged = Assert.Single(NewRequestEvents());
        Assert.Equal("/reset/push/status", logged.Value("RequestPath"));
        Assert.Equal(LogLevel.Debug, logged.Level);
    }

    [Fact]
    public async Task RequestEventsCarryNoQueryValuesCookiesOrFormFields()
    {
        const string Secret = "Query-Or-Form-Secret-77";
        using var browser = App.NewBrowser();
        _seen = App.Logs.Count;

        await browser.GetAsync($"/?token={Secret}");
        await browser.PostAsync("/", ("Input.Username", Secret + "@example.com"));

        var events = NewRequestEvents();
        Assert.Equal(2, events.Count);
        var rendered = string.Join('\n', events.SelectMany(e => e.Texts()));
        Assert.DoesNotContain(Secret, rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookie("__Host-MfaReset-Antiforgery") ?? "no antiforgery cookie", rendered, StringComparison.Ordinal);
        Assert.All(events, e => Assert.DoesNotContain("QueryString", e.StructuredState!.Select(p => p.Key)));
    }

    [Fact]
    public async Task TheReferenceOnAnErrorPageIsOnTheRequestsLogEvent()
    {
        using var browser = App.NewBrowser();
        _seen = App.Logs.Count;

        await browser.GetAsync("/no/such/page");

        var reference = browser.Page.QuerySelector(".panel--problem code")!.TextContent.Trim();
        var logged = Assert.Single(NewRequestEvents());
        Assert.Equal("404", logged.Value("StatusCode"));
        Assert.Equal(reference, logged.Value("Reference"));
    }
}
