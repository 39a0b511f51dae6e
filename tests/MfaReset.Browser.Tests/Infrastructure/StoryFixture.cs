using Microsoft.Playwright;

namespace MfaReset.Browser.Tests.Infrastructure;

/// <summary>Whether the person's browser runs the portal's scripts.</summary>
public enum Scripting
{
    Enabled,
    Disabled,
}

/// <summary>
/// Shared by every story in the run: one Chromium and the portals it talks to. Each story gets its own
/// browser contexts (<see cref="PlayAsync"/>), so cookies and storage never leak between stories.
/// </summary>
public sealed class StoryFixture : IAsyncLifetime
{
    // The stock 5 s is tight for a page that waits on a push poll on a busy 2-core machine.
    private static readonly TimeSpan PatienceForOneStep = TimeSpan.FromSeconds(15);

    private readonly Lazy<PortalApp> _portal = new(() => new PortalApp(PortalSettings.Default));
    private readonly Lazy<PortalApp> _shortPushPortal = new(() => new PortalApp(PortalSettings.ShortPushExpiry));
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _axeScript;

    /// <summary>The portal with the settings most stories use.</summary>
    public PortalApp Portal => _portal.Value;

    /// <summary>A second portal whose sandbox lets pushes expire within seconds, for the timeout stories.</summary>
    public PortalApp ShortPushPortal => _shortPushPortal.Value;

    /// <summary>What axe-core found on every page checked during the run.</summary>
    public AxeLedger Axe { get; } = new();

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)PatienceForOneStep.TotalMilliseconds);
        var chromium = BrowserTools.ChromiumPath;
        _axeScript = await File.ReadAllTextAsync(BrowserTools.AxeScriptPath);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        });
    }

    /// <summary>
    /// Runs one story in fresh browser contexts against <paramref name="portal"/> (the default portal
    /// when null). When the story throws, every page it opened is saved (screenshot and HTML) under
    /// the test output folder before the failure is reported.
    /// </summary>
    public async Task PlayAsync(
        ITestOutputHelper output,
        Scripting scripting,
        Func<Story, Task> story,
        PortalApp? portal = null,
        [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var browser = _browser ?? throw new InvalidOperationException("The fixture has not started Chromium.");
        portal ??= Portal;
        var axe = (_axeScript!, Axe);
        await using var play = new Story(browser, portal.Address, scripting, output, axe, PatienceForOneStep);
        try
        {
            await play.StartAsync();
            await story(play);
            play.AssertNoScriptErrors();
        }
        catch (Exception failure)
        {
            var folder = await play.SaveEvidenceAsync(Path.Combine(AppContext.BaseDirectory, "failures", $"{name}-{scripting}"));
            output.WriteLine($"Screenshots and HTML of the failed story: {folder}");
            throw new StoryFailedException($"{name} ({scripting}) failed; evidence saved in {folder}", failure);
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var portal in new[] { _portal, _shortPushPortal }.Where(p => p.IsValueCreated))
        {
            await portal.Value.DisposeAsync();
        }

        Axe.WriteSummary(Path.Combine(AppContext.BaseDirectory, "axe-summary.md"));
    }
}

/// <summary>Every story shares one Chromium and the portals, and runs one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RealBrowserStories : ICollectionFixture<StoryFixture>
{
    public const string Name = "Stories in a real browser";
}

/// <summary>A story failed; the message says where its screenshots and HTML were saved.</summary>
public sealed class StoryFailedException(string message, Exception inner) : Exception(message, inner);
