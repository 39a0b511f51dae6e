using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(StoryFixture))]

namespace MfaReset.Browser.Tests.Support;

/// <summary>Whether the person's browser runs the portal's scripts.</summary>
public enum Scripting
{
    Enabled,
    Disabled,
}

/// <summary>
/// Shared by every story in the run (an assembly fixture): one Chromium, whose contexts stories in both
/// collections open side by side. Each story gets its own portal (with its own
/// embedded sandbox) and its own browser contexts (<see cref="PlayAsync"/>): the portal's per-person
/// limits (one push a minute, codes per quarter hour), the sandbox's password history, lockouts and
/// used TOTP codes would otherwise tie stories about the same demo user to each other.
/// </summary>
public sealed class StoryFixture : IAsyncLifetime
{
    // The stock 5 s is tight for a page that waits on a push poll on a busy 2-core machine.
    private static readonly TimeSpan PatienceForOneStep = TimeSpan.FromSeconds(15);

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _axeScript;

    /// <summary>What axe-core found on every page checked during the run, written out when the run ends.</summary>
    public AxeLedger Axe { get; } = new();

    public async ValueTask InitializeAsync()
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
    /// Runs one story in fresh browser contexts against a portal of its own, configured with
    /// <see cref="PortalSettings.Default"/> and <paramref name="settings"/>. When the story throws,
    /// every page it opened is saved (screenshot and HTML) under the test output folder before the
    /// failure is reported.
    /// </summary>
    public async Task PlayAsync(
        ITestOutputHelper output,
        Scripting scripting,
        Func<Story, Task> story,
        IReadOnlyDictionary<string, string?>? settings = null,
        [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var browser = _browser ?? throw new InvalidOperationException("The fixture has not started Chromium.");
        await using var portal = new PortalApp(PortalSettings.With(settings));
        var axe = (_axeScript!, Axe);
        await using var play = new Story(browser, portal, scripting, output, axe, PatienceForOneStep);
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

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();

        Axe.WriteSummary(Path.Combine(AppContext.BaseDirectory, "axe-summary.md"));
    }
}

/// <summary>
/// Most stories run one after another: two cores gain nothing from running busy stories at once. Stories that
/// mostly wait out Okta's real pauses are in <see cref="StoriesThatWaitOutOktasPauses"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealBrowserStories
{
    public const string Name = "Stories in a real browser";
}

/// <summary>
/// Stories that spend most of their time idle, waiting out the 30-second pause between codes (the shortest
/// <c>Reset:Limits:ResendCooldown</c> allows, as Okta's own SMS throttle): a collection of their own runs beside
/// <see cref="RealBrowserStories"/>, so those waits overlap the busy stories instead of adding to them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StoriesThatWaitOutOktasPauses
{
    public const string Name = "Stories that wait out Okta's pauses";
}

/// <summary>A story failed; the message says where its screenshots and HTML were saved.</summary>
public sealed class StoryFailedException(string message, Exception inner) : Exception(message, inner);
