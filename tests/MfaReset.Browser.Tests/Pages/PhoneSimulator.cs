using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Pages;

/// <summary>
/// The sandbox's phone simulator, used like the phone in the person's hand: read the newest text
/// message or call, read the authenticator app's current code, answer a push. Each demo user's phone
/// is a region named after the user; the page refreshes itself, so every read waits for what it needs.
/// </summary>
public sealed partial class PhoneSimulator(IPage page)
{
    private const string PushQuestion = "Approve: pick the number the reset page shows";

    public IPage Page => page;

    /// <summary>The phone of a demo user, by display name (e.g. "Sam Sato").</summary>
    public ILocator PhoneOf(string person) => page.GetByRole(AriaRole.Region, new() { Name = person });

    /// <summary>Waits for a text message (or a voice call) to arrive and reads its 6-digit code.</summary>
    public Task<string> ReadTextMessageCodeAsync(string person) => ReadMessageCodeAsync(person, "SMS");

    /// <summary>Waits for a voice call to arrive and reads the 6-digit code it spoke.</summary>
    public Task<string> ReadVoiceCallCodeAsync(string person) => ReadMessageCodeAsync(person, "Voice call");

    /// <summary>Waits for an email to arrive in the person's inbox and reads its 6-digit code.</summary>
    public Task<string> ReadEmailCodeAsync(string person) => ReadMessageCodeAsync(person, "Email");

    /// <summary>Reads the code the person's authenticator app shows now (their only TOTP factor).</summary>
    public async Task<string> ReadAuthenticatorCodeAsync(string person)
    {
        var code = PhoneOf(person).GetByRole(AriaRole.Definition).Filter(new() { HasTextRegex = SixDigits() });
        await Expect(code).ToHaveCountAsync(1);
        return SixDigitsIn(await code.InnerTextAsync());
    }

    /// <summary>A 6-digit code none of the person's authenticator apps shows now: what a stranger types.</summary>
    public async Task<string> CodeNoAppShowsAsync(string person)
    {
        var shown = string.Concat(await PhoneOf(person).GetByRole(AriaRole.Definition).AllInnerTextsAsync());
        return Enumerable.Range(0, 10).Select(d => (111_111 * d).ToString("D6", CultureInfo.InvariantCulture)).First(code => !shown.Contains(code, StringComparison.Ordinal));
    }

    /// <summary>Waits for the push and taps <paramref name="number"/> among the numbers it offers.</summary>
    public async Task TapNumberAsync(string person, int number)
    {
        var choices = PhoneOf(person).GetByRole(AriaRole.Group, new() { Name = PushQuestion });
        await choices.GetByRole(AriaRole.Button, new() { Name = number.ToString(CultureInfo.InvariantCulture), Exact = true }).ClickAsync();
        await Expect(PhoneOf(person).GetByText("No push waiting.")).ToBeVisibleAsync();
    }

    /// <summary>Waits for the push and taps one of the offered numbers that is not <paramref name="number"/>.</summary>
    public async Task TapAnotherNumberAsync(string person, int number)
    {
        var choices = PhoneOf(person).GetByRole(AriaRole.Group, new() { Name = PushQuestion }).GetByRole(AriaRole.Button);
        await Expect(choices).Not.ToHaveCountAsync(0);
        var offered = await choices.AllInnerTextsAsync();
        var wrong = offered.First(n => n.Trim() != number.ToString(CultureInfo.InvariantCulture)).Trim();
        await TapNumberAsync(person, int.Parse(wrong, CultureInfo.InvariantCulture));
    }

    /// <summary>Waits for the push and denies it.</summary>
    public async Task DenyPushAsync(string person)
    {
        await PhoneOf(person).GetByRole(AriaRole.Button, new() { Name = "Deny", Exact = true }).ClickAsync();
        await Expect(PhoneOf(person).GetByText("No push waiting.")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the person's phone shows a push waiting for an answer.</summary>
    public async Task ShouldShowPushAsync(string person) =>
        await Expect(PhoneOf(person).GetByRole(AriaRole.Group, new() { Name = PushQuestion })).ToBeVisibleAsync();

    /// <summary>Waits until no push waits on the person's phone any more (answered or expired).</summary>
    public async Task ShouldShowNoPushAsync(string person) =>
        await Expect(PhoneOf(person).GetByText("No push waiting.")).ToBeVisibleAsync();

    /// <summary>Waits until the phone has said <paramref name="text"/> in a status message (its live region or a notice).</summary>
    public async Task ShouldSayAsync(string text) =>
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = text })).Not.ToHaveCountAsync(0);

    /// <summary>The account status the simulator shows for the person ("ACTIVE", "LOCKED_OUT", ...).</summary>
    public async Task ShouldShowStatusAsync(string person, string status) =>
        await Expect(PhoneOf(person).GetByText(new Regex($@"^Status: {Regex.Escape(status)}\.", RegexOptions.None))).ToBeVisibleAsync();

    /// <summary>The trainer's "Reset everything…" disclosure at the top of the page.</summary>
    public ILocator ResetEverything => page.GetByText("Reset everything…", new() { Exact = true });

    /// <summary>The button inside it that really resets.</summary>
    public ILocator ConfirmResetEverything => page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset everything", Exact = true });

    /// <summary>Opens "Reset everything…" and confirms.</summary>
    public async Task ResetEverythingAsync()
    {
        await ResetEverything.ClickAsync();
        await ConfirmResetEverything.ClickAsync();
    }

    /// <summary>Sets one of the person's trainer switches (e.g. "Next push" to "Approve at once") and saves.</summary>
    public async Task SetSwitchAsync(string person, string switchLabel, string choice)
    {
        await PhoneOf(person).GetByLabel(switchLabel).SelectOptionAsync(new SelectOptionValue { Label = choice });
        await PhoneOf(person).GetByRole(AriaRole.Button, new() { Name = "Save switches" }).ClickAsync();
        await ShouldSayAsync("Switches saved.");
    }

    /// <summary>The "What happened" lines of the person's phone.</summary>
    public ILocator HistoryOf(string person) => PhoneOf(person).Locator(".history li");

    /// <summary>Waits until nothing at all has arrived on the person's phone.</summary>
    public async Task ShouldShowNoMessagesAsync(string person) =>
        await Expect(PhoneOf(person).GetByText("No SMS or call yet.")).ToBeVisibleAsync();

    private async Task<string> ReadMessageCodeAsync(string person, string channel)
    {
        // Newest first: the first message of the channel is the one just sent.
        var message = PhoneOf(person).GetByRole(AriaRole.Listitem).Filter(new() { HasText = channel }).First;
        await Expect(message).ToBeVisibleAsync();
        return SixDigitsIn(await message.InnerTextAsync());
    }

    private static string SixDigitsIn(string text) =>
        SixDigits().Match(text) is { Success: true } match ? match.Value : throw new InvalidOperationException($"No 6-digit code in \"{text}\".");

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}
