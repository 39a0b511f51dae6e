using Microsoft.Playwright;

namespace MfaReset.Browser.Tests.Support;

/// <summary>
/// Hears what a screen reader would be told: every change of text inside a live region (<c>aria-live</c>,
/// <c>role=status</c>, <c>role=alert</c>) after a page has loaded, kept in the tab's session storage so
/// that announcements made just before a navigation survive it.
/// </summary>
internal static class LiveRegions
{
    private const string StorageKey = "browser-tests:announcements";

    // Injected by Playwright before the page's own scripts (not subject to the page's CSP).
    private const string Recorder = $$"""
        (() => {
          const key = '{{StorageKey}}';
          const region = node => (node.nodeType === 1 ? node : node.parentElement)?.closest('[aria-live], [role=status], [role=alert]');
          const record = text => {
            const heard = JSON.parse(sessionStorage.getItem(key) || '[]');
            if (text && heard[heard.length - 1] !== text) {
              heard.push(text);
              sessionStorage.setItem(key, JSON.stringify(heard));
            }
          };
          document.addEventListener('DOMContentLoaded', () => {
            new MutationObserver(changes => {
              for (const change of changes) {
                const live = region(change.target);
                if (live) record(live.textContent.trim().replace(/\s+/g, ' '));
              }
            }).observe(document.body, { subtree: true, childList: true, characterData: true });
          });
        })();
        """;

    public static Task ListenAsync(IBrowserContext context) => context.AddInitScriptAsync(Recorder);

    public static async Task<IReadOnlyList<string>> HeardAsync(IPage page) =>
        await page.EvaluateAsync<string[]>($"() => JSON.parse(sessionStorage.getItem('{StorageKey}') || '[]')");
}
