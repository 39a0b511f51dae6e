using System.Collections.Concurrent;
using MfaReset.Browser.Tests.Pages;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Playwright;

namespace MfaReset.Browser.Tests.Support;

/// <summary>
/// One story's world: the person's browser (scripts on or off, as the story asks) and, when the story
/// needs it, the phone in their hand, which is another device and so another browser context.
/// </summary>
public sealed class Story : IAsyncDisposable
{
    private readonly IBrowser _browser;
    private readonly ITestOutputHelper _output;
    private readonly TimeSpan _patience;
    // Filled from Playwright's event thread.
    private readonly ConcurrentQueue<string> _scriptErrors = new();
    private readonly List<(string Name, IPage Page)> _pages = [];
    private readonly List<IBrowserContext> _contexts = [];
    private IPage? _page;
    private IPage? _phone;
    private ScriptSwitch? _scriptSwitch;

    internal Story(IBrowser browser, PortalApp portal, Scripting scripting, ITestOutputHelper output, (string Script, AxeLedger Ledger) axe, TimeSpan patience)
    {
        _browser = browser;
        _output = output;
        _patience = patience;
        Portal = portal.Address;
        PhoneSimulator = portal.PhoneSimulator;
        PortalLogs = portal.Logs;
        Scripting = scripting;
        Axe = new AxeChecker(axe.Script, axe.Ledger, output, page => page == _page ? _scriptSwitch : null);
    }

    /// <summary>The portal's root address.</summary>
    public Uri Portal { get; }

    /// <summary>The embedded sandbox's phone simulator page.</summary>
    public Uri PhoneSimulator { get; }

    /// <summary>What the portal logged so far (its audit events among them).</summary>
    public FakeLogCollector PortalLogs { get; }

    /// <summary>Whether the person's browser runs scripts.</summary>
    public Scripting Scripting { get; }

    /// <summary>The person's browser tab.</summary>
    public IPage Page => _page ?? throw new InvalidOperationException("The story has not started.");

    /// <summary>The reset portal in the person's browser tab.</summary>
    public ResetPortal Reset => new(Page);

    /// <summary>The help-desk console in the tab (in stories told from the agent's side).</summary>
    public HelpDeskConsole HelpDesk => new(Page, Portal);

    /// <summary>What the sandbox's Okta org knows (statuses, password changes, calls made).</summary>
    public SandboxOrg Org => new(PhoneSimulator);

    /// <summary>Runs axe-core on a page and records what it found.</summary>
    public AxeChecker Axe { get; }

    /// <summary>The person's keyboard, for stories told without a mouse.</summary>
    public KeyboardUser Keyboard => new(Page);

    internal async Task StartAsync()
    {
        _page = await OpenAsync("browser");
        await LiveRegions.ListenAsync(_page.Context);
        if (Scripting == Scripting.Disabled)
        {
            _scriptSwitch = await ScriptSwitch.TurnOffAsync(_page);
        }
    }

    /// <summary>The person's phone: the simulator, opened on first use in its own context (a phone runs scripts).</summary>
    public async Task<PhoneSimulator> PhoneAsync()
    {
        if (_phone is null)
        {
            _phone = await OpenAsync("phone");
            await _phone.GotoAsync(PhoneSimulator.ToString());
        }

        return new PhoneSimulator(_phone);
    }

    /// <summary>
    /// Another device showing the simulator: a trainer's phone <paramref name="width"/> pixels wide whose clock
    /// is set to <paramref name="timezoneId"/> (an IANA zone, e.g. "Asia/Tokyo").
    /// </summary>
    public async Task<PhoneSimulator> PhoneOfWidthAsync(int width, string timezoneId)
    {
        var page = await OpenAsync($"phone-{width}", width, timezoneId);
        await page.GotoAsync(PhoneSimulator.ToString());
        return new PhoneSimulator(page);
    }

    /// <summary>
    /// Another person's browser on another computer (its own context, scripts on): the help-desk agent's, while the
    /// caller uses <see cref="Page"/>.
    /// </summary>
    public Task<IPage> AnotherBrowserAsync(string name) => OpenAsync(name);

    /// <summary>Opens the portal's first page in the person's browser.</summary>
    public async Task<ResetPortal> OpenPortalAsync()
    {
        await Page.GotoAsync(Portal.ToString());
        return Reset;
    }

    /// <summary>
    /// The opening most stories share: the portal's first page, <paramref name="login"/> asks for a reset and
    /// chooses <paramref name="method"/> (one of <see cref="ResetPortal.Methods"/>).
    /// </summary>
    public async Task<ResetPortal> OpenAndChooseAsync(string login, string method)
    {
        var portal = await OpenPortalAsync();
        await portal.StartAsync(login);
        await portal.ChooseAsync(method);
        return portal;
    }

    /// <summary>What live regions said in the person's tab so far (with scripts on; nothing changes without them).</summary>
    public Task<IReadOnlyList<string>> AnnouncementsAsync() => LiveRegions.HeardAsync(Page);

    internal void AssertNoScriptErrors() =>
        Assert.True(_scriptErrors.IsEmpty, "The pages reported script errors or CSP violations:\n" + string.Join('\n', _scriptErrors));

    /// <summary>Saves every open page (screenshot and HTML) and the portal's log into <paramref name="folder"/>.</summary>
    internal async Task<string> SaveEvidenceAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(
            Path.Combine(folder, "portal-log.txt"),
            PortalLogs.GetSnapshot().Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Level} {r.Id.Id} {r.Category}: {r.Message}{(r.Exception is { } e ? "\n" + e : "")}"));
        foreach (var (name, page) in _pages.Where(p => !p.Page.IsClosed))
        {
            try
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
                var html = await page.ContentAsync().WaitAsync(_patience);
                await File.WriteAllTextAsync(Path.Combine(folder, $"{name}.html"), html);
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                // The evidence is a courtesy; the story's own failure is what gets reported.
                _output.WriteLine($"Could not save the {name} page: {e.Message}");
            }
        }

        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }

    // Scripts are turned off per page (ScriptSwitch), not per context, so that axe-core can still run.
    private async Task<IPage> OpenAsync(string name, int width = 1000, string? timezoneId = null)
    {
        var context = await _browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = 800 },
            ColorScheme = ColorScheme.Light,
            Locale = "en-US",
            TimezoneId = timezoneId,
        });
        context.SetDefaultTimeout((float)_patience.TotalMilliseconds);
        _contexts.Add(context);

        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            _output.WriteLine($"[{name} console {message.Type}] {message.Text}");
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _scriptErrors.Enqueue($"{name}: {message.Text}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _output.WriteLine($"[{name}] {response.Status} {response.Request.Method} {response.Url}");
            }
        };
        page.PageError += (_, error) =>
        {
            _output.WriteLine($"[{name} page error] {error}");
            _scriptErrors.Enqueue($"{name}: {error}");
        };
        _pages.Add((name, page));
        return page;
    }
}
