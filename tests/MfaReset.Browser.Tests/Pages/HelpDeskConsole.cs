using System.Globalization;
using MfaReset.Browser.Tests.Stories;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Pages;

/// <summary>
/// The help-desk console as the agent sees it, found by role, label and text like <see cref="ResetPortal"/>.
/// Each step waits for its page by its heading.
/// </summary>
public sealed class HelpDeskConsole(IPage page, Uri portal)
{
    /// <summary>The sandbox's demo agents, as its sign-in page names them.</summary>
    public static class Agents
    {
        /// <summary>In the help-desk group.</summary>
        public const string Hana = "Hana Agent";

        /// <summary>Signs in at Okta but is not in the group.</summary>
        public const string Olaf = "Olaf Outsider";
    }

    /// <summary>The console's page headings.</summary>
    public static class ConsoleHeadings
    {
        public const string Start = "Help desk console";
        public const string Verify = "Verify the caller";
        public const string Push = "Waiting for the caller's push";
        public const string Code = "Enter the caller's code";
        public const string Person = "Verified caller";
        public const string Confirm = "Confirm";
        public const string Reference = "Reference";
        public const string Refused = "You can't use the help desk console";
        public const string SignedOut = "Signed out of the help desk console";
    }

    /// <summary>What the console says when a push did not verify the caller (denied, or another number tapped).</summary>
    public const string PushNotApproved = "Not verified: the caller denied the push, or tapped a number other than the one shown here.";

    public IPage Page => page;

    public ILocator Heading(string text) => page.GetByRole(AriaRole.Heading, new() { Name = text, Level = 1, Exact = true });

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Link(string name) => page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    /// <summary>The page's notices (results, outcomes of actions).</summary>
    public ILocator Notice => page.Locator("main p.notice");

    public async Task ShouldBeOnAsync(string heading) => await Expect(Heading(heading)).ToBeVisibleAsync();

    /// <summary>The value the verified-caller page (or a reference page) shows for <paramref name="term"/>.</summary>
    public ILocator Fact(string term) =>
        page.Locator("dl.facts dt").Filter(new() { HasTextString = term }).Locator("xpath=following-sibling::dd[1]");

    /// <summary>Opens the console and signs in at the (sandbox's) Okta as <paramref name="agent"/>.</summary>
    public async Task SignInAsync(string agent)
    {
        await page.GotoAsync(new Uri(portal, "/helpdesk").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in as " + agent }).ClickAsync();
    }

    /// <summary>
    /// The opening the console's stories share: Hana signs in and looks <paramref name="caller"/> up, and the
    /// console offers the caller's methods.
    /// </summary>
    public async Task SignInAndLookUpAsync(DemoUser caller)
    {
        await SignInAsync(Agents.Hana);
        await ShouldBeOnAsync(ConsoleHeadings.Start);
        await LookUpAsync(caller);
    }

    /// <summary>Start page: types the caller's username and looks them up.</summary>
    public async Task LookUpAsync(DemoUser caller)
    {
        await page.GetByLabel("Caller's username").FillAsync(caller.Login);
        await Button("Look up and verify").ClickAsync();
        await ShouldBeOnAsync(ConsoleHeadings.Verify);
    }

    /// <summary>Verify page: picks <paramref name="method"/> (a <see cref="ResetPortal.Methods"/> label) and sends it.</summary>
    public async Task SendAsync(string method)
    {
        await page.GetByRole(AriaRole.Radio, new() { Name = method }).CheckAsync();
        await Button("Send").ClickAsync();
    }

    /// <summary>Verify page: sends a push and returns the number the console shows for the caller to tap.</summary>
    public async Task<int> SendPushAsync()
    {
        await SendAsync(ResetPortal.Methods.Push);
        await ShouldBeOnAsync(ConsoleHeadings.Push);
        var number = page.Locator("[data-push-number]");
        await Expect(number).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        return int.Parse(await number.TextContentAsync() ?? "", CultureInfo.InvariantCulture);
    }

    /// <summary>Code page: types the code the caller reads back and presses Verify.</summary>
    public async Task EnterCodeAsync(string code)
    {
        await ShouldBeOnAsync(ConsoleHeadings.Code);
        await page.GetByLabel("Code the caller reads to you").FillAsync(code);
        await Button("Verify").ClickAsync();
    }

    /// <summary>Verified-caller page: follows an action's link, confirms it, and waits for the page to say how it went.</summary>
    public async Task ActAsync(string action, string confirm)
    {
        await ShouldBeOnAsync(ConsoleHeadings.Person);
        await Link(action).ClickAsync();
        await ShouldBeOnAsync(ConsoleHeadings.Confirm);
        await Button(confirm).ClickAsync();
        await ShouldBeOnAsync(ConsoleHeadings.Person);
    }

    /// <summary>Start page: looks up a reference a caller read from a portal page.</summary>
    public async Task LookUpReferenceAsync(string reference)
    {
        await page.GetByLabel("Reference from a portal page").FillAsync(reference);
        await Button("Look up").ClickAsync();
    }
}
