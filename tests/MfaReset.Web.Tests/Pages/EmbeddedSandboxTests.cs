using System.Diagnostics;
using System.Net;
using MfaReset.Testing.Hosting;
using MfaReset.Web.Hosting;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.Pages;

/// <summary>With no Okta org configured the portal runs the sandbox itself, on loopback, and says so.</summary>
public sealed class EmbeddedSandboxTests : IClassFixture<EmbeddedSandboxTests.UnconfiguredPortal>
{
    private readonly UnconfiguredPortal _app;

    public EmbeddedSandboxTests(UnconfiguredPortal app) => _app = app;

    [Fact]
    public async Task PortalWithoutAnOrgShowsTheSandboxBannerAndWorks()
    {
        var cookies = new CookieContainer();
        using var browser = new PortalBrowser(_app.CreateDefaultClient(PortalBrowser.BaseAddress, new CookieContainerHandler(cookies)), cookies);
        await browser.GetAsync("/");

        var link = browser.Page.QuerySelector(".sandbox-banner a")!;
        Assert.Equal("Open the phone simulator", link.TextContent);
        Assert.Equal("/sandbox/phone", link.GetAttribute("href"));
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        Assert.Equal("/reset/method", browser.Location);
    }

    [Fact]
    public async Task SandboxHostIsBuiltOutsideTheExecutionContextOfWhoeverStartsThePortal()
    {
        // WebApplicationFactory tells its app's host builds from others by an AsyncLocal on the thread
        // that runs Program; a sandbox built in that context received the factory's configuration too.
        using var hostBuilds = new HostBuildingWitness();
        await using var portal = new UnconfiguredPortal();

        hostBuilds.Marker.Value = true;
        _ = portal.Server; // builds and starts the portal, and with it the embedded sandbox
        hostBuilds.Marker.Value = false;

        Assert.NotNull(portal.Services.GetRequiredService<SandboxInfo>().PhoneSimulatorUrl); // the sandbox was built and runs
        Assert.Equal(1, hostBuilds.InMarkedContext); // but only the portal's host build inherited this test's context
    }

    [Fact]
    public async Task SandboxAnswersOnLoopback()
    {
        using var browser = new PortalBrowser(_app.CreateDefaultClient(PortalBrowser.BaseAddress), new CookieContainer());
        await browser.GetAsync("/sandbox/phone");
        Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
        var simulator = new Uri(browser.Location!);
        Assert.Equal("127.0.0.1", simulator.Host);
        using var http = new HttpClient();

        using var response = await http.GetAsync(simulator, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ResetEverythingOnTheSimulatorAlsoClearsThePortalsFlowsAndCooldowns()
    {
        var cookies = new CookieContainer();
        using var browser = new PortalBrowser(_app.CreateDefaultClient(PortalBrowser.BaseAddress, new CookieContainerHandler(cookies)), cookies);
        await browser.ChooseAsync("sam.sms@example.com", "sms");
        await browser.SendCodeAsync();
        Assert.Equal("Enter the code we sent", browser.Heading);

        await browser.GetAsync("/sandbox/phone");
        var simulator = new Uri(browser.Location!);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var reset = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator, "/simulator/reset")) { Content = new FormUrlEncodedContent([]) };
        reset.Headers.Add("Origin", "null"); // Chromium, from the simulator's no-referrer page
        reset.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var answer = await http.SendAsync(reset, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith("/simulator?done=reset&", answer.Headers.Location!.OriginalString + "&", StringComparison.Ordinal); // "the portal's holds were cleared too"

        await browser.GetAsync("/reset/code");
        Assert.Equal("/reset/problem/start-again", browser.Location); // the flow is gone
        await browser.ChooseAsync("sam.sms@example.com", "sms");
        await browser.SendCodeAsync();
        Assert.Equal("Enter the code we sent", browser.Heading); // no 30-second wait left over from before the reset
        Assert.Null(browser.Page.QuerySelector(".notice"));
    }

    /// <summary>Counts the "HostBuilding" events of this process that see <see cref="Marker"/> set.</summary>
    private sealed class HostBuildingWitness : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _subscription;
        private readonly List<IDisposable> _listeners = [];
        private int _inMarkedContext;

        public HostBuildingWitness() => _subscription = DiagnosticListener.AllListeners.Subscribe(this);

        public AsyncLocal<bool> Marker { get; } = new();

        /// <summary>Host builds in the marked context; hosts other tests build meanwhile are never marked.</summary>
        public int InMarkedContext => Volatile.Read(ref _inMarkedContext);

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                lock (_listeners)
                {
                    _listeners.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilding" && Marker.Value)
            {
                Interlocked.Increment(ref _inMarkedContext);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _subscription.Dispose();
            lock (_listeners)
            {
                _listeners.ForEach(listener => listener.Dispose());
            }
        }
    }

    public sealed class UnconfiguredPortal : PortalFactory<Program>
    {
        protected override string? EnvironmentName => "Development";
    }
}
