using Microsoft.Playwright;

namespace MfaReset.Browser.Tests.Support;

/// <summary>
/// Turns a page's scripts off the way Playwright's <c>JavaScriptEnabled = false</c> does (the DevTools
/// command <c>Emulation.setScriptExecutionDisabled</c>: scripts are skipped and <c>noscript</c> content is
/// shown), but through a session the tests own, so the accessibility check can switch them back on for
/// the moment axe-core runs. Playwright's own switch cannot be flipped back, and axe-core schedules its
/// work on timers that never fire while scripts are off.
/// </summary>
public sealed class ScriptSwitch
{
    private readonly ICDPSession _devTools;

    private ScriptSwitch(ICDPSession devTools) => _devTools = devTools;

    /// <summary>Turns scripts off in <paramref name="page"/>; call before its first navigation.</summary>
    public static async Task<ScriptSwitch> TurnOffAsync(IPage page)
    {
        // The session stays open with the page: closing it would undo its setting.
        var scripts = new ScriptSwitch(await page.Context.NewCDPSessionAsync(page));
        await scripts.SetAsync(enabled: false);
        return scripts;
    }

    /// <summary>
    /// Runs <paramref name="action"/> with scripts on. Scripts the page skipped while loading stay
    /// skipped; only code evaluated meanwhile (and its timers) runs.
    /// </summary>
    public async Task<T> WhileOnAsync<T>(Func<Task<T>> action)
    {
        await SetAsync(enabled: true);
        try
        {
            return await action();
        }
        finally
        {
            await SetAsync(enabled: false);
        }
    }

    private async Task SetAsync(bool enabled) =>
        await _devTools.SendAsync("Emulation.setScriptExecutionDisabled", new() { ["value"] = !enabled });
}
