using Microsoft.Playwright;

namespace MfaReset.Browser.Tests.Support;

/// <summary>
/// A person without a mouse: moves with Tab and Shift+Tab, acts with Enter and Space, types into the
/// focused field. Every element reached must show where the focus is.
/// </summary>
public sealed class KeyboardUser(IPage page)
{
    // More stops than any page of the portal has; reaching it means the target is not in the tab order.
    private const int MostPresses = 40;

    private const string IsFocused = "el => el === document.activeElement";

    // A focus indicator the eye can see: the browser's own ring or the page's outline or shadow.
    private const string ShowsFocus = """
        el => {
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          const shadow = s.boxShadow !== 'none';
          return el.matches(':focus-visible') && (outline || shadow);
        }
        """;

    private const string DescribeFocus = """
        () => {
          const el = document.activeElement;
          if (!el || el === document.body) return '(page)';
          const name = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.getAttribute('name') || '';
          return el.tagName.toLowerCase() + ' "' + name.trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
        }
        """;

    /// <summary>Presses Tab until <paramref name="target"/> has the focus, then checks the focus is visible.</summary>
    public Task TabToAsync(ILocator target) => MoveToAsync(target, "Tab");

    /// <summary>Presses Shift+Tab until <paramref name="target"/> has the focus, then checks the focus is visible.</summary>
    public Task ShiftTabToAsync(ILocator target) => MoveToAsync(target, "Shift+Tab");

    /// <summary>Types into the focused field, key by key.</summary>
    public async Task TypeAsync(string text) => await page.Keyboard.TypeAsync(text);

    /// <summary>Presses Tab once (to check where the focus goes first).</summary>
    public async Task PressTabAsync() => await page.Keyboard.PressAsync("Tab");

    /// <summary>Presses Enter on whatever has the focus.</summary>
    public async Task PressEnterAsync() => await page.Keyboard.PressAsync("Enter");

    /// <summary>Presses Space on whatever has the focus.</summary>
    public async Task PressSpaceAsync() => await page.Keyboard.PressAsync("Space");

    private async Task MoveToAsync(ILocator target, string key)
    {
        await Assertions.Expect(target).ToBeVisibleAsync();
        var visited = new List<string>();
        for (var presses = 0; presses < MostPresses; presses++)
        {
            await page.Keyboard.PressAsync(key);
            if (await target.EvaluateAsync<bool>(IsFocused))
            {
                Assert.True(
                    await target.EvaluateAsync<bool>(ShowsFocus),
                    $"The focus reached {await page.EvaluateAsync<string>(DescribeFocus)} but nothing shows it (no outline or shadow under :focus-visible).");
                return;
            }

            visited.Add(await page.EvaluateAsync<string>(DescribeFocus));
        }

        Assert.Fail($"{key} never reached {target}; the focus went through: {string.Join(" → ", visited.Distinct())}");
    }
}
