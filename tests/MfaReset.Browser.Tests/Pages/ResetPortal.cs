using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Pages;

/// <summary>
/// The reset portal as the person sees it, found the way a screen reader finds things: by role, label
/// and text. Each step waits for its page by its heading, so a story reads as the person's journey.
/// </summary>
public sealed partial class ResetPortal(IPage page)
{
    /// <summary>The method names the factor menu offers.</summary>
    public static class Methods
    {
        public const string Push = "Okta Verify push notification";
        public const string OktaVerifyCode = "Okta Verify code";
        public const string GoogleAuthenticator = "Google Authenticator code";
        public const string Sms = "Text message (SMS)";
        public const string Voice = "Voice call";
        public const string Email = "Email me a code";
    }

    /// <summary>The page headings of the flow.</summary>
    public static class Headings
    {
        public const string ForgotPassword = "Forgot your password?";
        public const string ChooseMethod = "Confirm it's you";
        public const string GetSmsCode = "Get a code by text message";
        public const string GetVoiceCode = "Get a code by voice call";
        public const string EnterSentCode = "Enter the code we sent";
        public const string EnterToldCode = "Enter the code we told you";
        public const string EnterOktaVerifyCode = "Enter the code from Okta Verify";
        public const string EnterGoogleAuthenticatorCode = "Enter the code from Google Authenticator";
        public const string GetPush = "Get a push notification";
        public const string CheckYourPhone = "Check your phone";
        public const string PushExpired = "The push notification expired";
        public const string PushDenied = "The push wasn't approved";
        public const string NewPassword = "Choose a new password";
        public const string Done = "Your password has been changed";
        public const string Unlock = "Unlock your account";
        public const string Unlocked = "Your account is unlocked";
        public const string GetEmailCode = "Get a code by email";
        public const string EnterEmailedCode = "Enter the code we emailed you";
    }

    public IPage Page => page;

    /// <summary>The page's main heading.</summary>
    public ILocator Heading(string text) => page.GetByRole(AriaRole.Heading, new() { Name = text, Level = 1, Exact = true });

    /// <summary>The error summary at the top of a form ("There is a problem"), an alert.</summary>
    public ILocator ErrorSummary => page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "There is a problem" });

    public ILocator Username => page.GetByLabel("Username or email");

    public ILocator CodeField => page.GetByLabel("Verification code");

    public ILocator NewPasswordField => page.GetByLabel("New password", new() { Exact = true });

    public ILocator ConfirmPasswordField => page.GetByLabel("Confirm new password");

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Link(string name) => page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public ILocator Method(string name) => page.GetByRole(AriaRole.Radio, new() { Name = name, Exact = true });

    public async Task ShouldBeOnAsync(string heading) => await Expect(Heading(heading)).ToBeVisibleAsync();

    /// <summary>Forgot password: types the username and continues to the method menu.</summary>
    public Task StartAsync(string username) => StartAsync(username, Headings.ForgotPassword);

    /// <summary>Unlock my account: types the username and continues to the method menu.</summary>
    public Task StartUnlockAsync(string username) => StartAsync(username, Headings.Unlock);

    private async Task StartAsync(string username, string heading)
    {
        await ShouldBeOnAsync(heading);
        await Username.FillAsync(username);
        await Button("Continue").ClickAsync();
        await ShouldBeOnAsync(Headings.ChooseMethod);
    }

    /// <summary>Method menu: picks a method and continues.</summary>
    public async Task ChooseAsync(string method)
    {
        await ShouldBeOnAsync(Headings.ChooseMethod);
        await Method(method).CheckAsync();
        await Button("Continue").ClickAsync();
    }

    /// <summary>Method menu: picks a text message, sends the code and waits for the page to enter it.</summary>
    public async Task SendTextMessageCodeAsync()
    {
        await ChooseAsync(Methods.Sms);
        await Button("Send code").ClickAsync();
        await ShouldBeOnAsync(Headings.EnterSentCode);
    }

    /// <summary>Code page: types a code and presses Verify.</summary>
    public async Task EnterCodeAsync(string code)
    {
        await CodeField.FillAsync(code);
        await Button("Verify").ClickAsync();
    }

    /// <summary>Password page: types the new password twice and submits.</summary>
    public async Task ChangePasswordAsync(string password, string? confirmation = null)
    {
        await ShouldBeOnAsync(Headings.NewPassword);
        await NewPasswordField.FillAsync(password);
        await ConfirmPasswordField.FillAsync(confirmation ?? password);
        await Button("Change password").ClickAsync();
    }

    /// <summary>
    /// Push page without scripts: presses "I've approved it" after the phone has answered, and again
    /// while the page says it has not heard yet, as it tells the person to (the portal asks Okta at most
    /// once per poll interval, so an answer given just after an earlier press shows up on a later one).
    /// Returns once the page headed <paramref name="expectedHeading"/> shows. Each press waits for the
    /// document it leads to, never for a load event: the old page is marked before the press, so its
    /// "not approved yet" notice is never mistaken for the answer to the new press.
    /// </summary>
    public async Task PressIveApprovedItAsync(string expectedHeading)
    {
        const int MostPresses = 50;
        for (var press = 0; press < MostPresses; press++)
        {
            await page.EvaluateAsync("() => document.documentElement.setAttribute('data-pressed', '')");
            await Button("I've approved it").ClickAsync();
            await Expect(page.Locator("html:not([data-pressed])")).ToBeAttachedAsync();
            await Expect(Heading(expectedHeading).Or(NotApprovedYet)).ToBeVisibleAsync();
            if (await Heading(expectedHeading).IsVisibleAsync())
            {
                return;
            }
        }

        Assert.Fail($"The push page still had no answer after {MostPresses} presses of \"I've approved it\".");
    }

    /// <summary>The push page's notice after "I've approved it" was pressed too early.</summary>
    public ILocator NotApprovedYet => page.GetByText("We haven't had your approval yet.");

    /// <summary>Push page: the number the person must tap on the phone.</summary>
    public async Task<int> NumberToTapAsync()
    {
        var line = page.GetByText(NumberToTapLine());
        await Expect(line).ToBeVisibleAsync();
        var text = await line.TextContentAsync() ?? "";
        return int.Parse(NumberToTapLine().Match(text).Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Number to tap:\s*(?<number>\d+)")]
    private static partial Regex NumberToTapLine();
}
