using System.Text.RegularExpressions;
using AngleSharp.Dom;
using MfaReset.Web.Hosting;
using MfaReset.Web.Http;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The portal with the pseudo-locale on, a help desk and a sign-in page.</summary>
public sealed class PseudoLocalePortalApp : PortalApp
{
    public const string OrganizationName = "Example Corp";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Localization:PseudoLocale"] = "true",
        ["Reset:EnabledFactorKinds:0"] = "OktaVerifyPush",
        ["Reset:EnabledFactorKinds:1"] = "OktaVerifyTotp",
        ["Reset:EnabledFactorKinds:2"] = "GoogleAuthenticator",
        ["Reset:EnabledFactorKinds:3"] = "Sms",
        ["Reset:EnabledFactorKinds:4"] = "Call",
        ["Reset:EnabledFactorKinds:5"] = "Email",
        ["Branding:OrganizationName"] = OrganizationName,
        ["Branding:SignInUrl"] = "https://example.okta.com/",
        ["Branding:HelpDeskPhone"] = "+1 (202) 555-0100",
        ["Branding:HelpDeskHours"] = "Monday to Friday, 8:00 to 18:00",
        ["Branding:HelpUrl"] = "https://help.example.com/password",
        ["Branding:HelpUrlText"] = "Open a help desk ticket",
    };
}

/// <summary>
/// Every page in the pseudo-locale <c>qps-ploc</c>, where each text from the resources that has a Spanish,
/// French and German translation is shown accented (<c>[Ƒóŕĝóţ ýóúŕ þáššŵóŕď?]</c>): a plain ASCII letter in any
/// visible text or announced attribute is a text that did not come from the resources, or lacks a translation.
/// </summary>
public sealed partial class PseudoLocaleTests(PseudoLocalePortalApp app) : PortalTests<PseudoLocalePortalApp>(app)
{
    /// <summary>Attributes a person reads or hears, or that the script shows.</summary>
    private static readonly string[] AnnouncedAttributes = ["aria-label", "alt", "title", "placeholder", "data-countdown-done", "data-warning-text", "data-ended-text"];

    private readonly List<string> _unlocalized = [];

    private PortalBrowser NewPseudoBrowser()
    {
        var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(PortalLocalization.PseudoLocale);
        return browser;
    }

    [Fact]
    public async Task FlowPagesShowOnlyTextsFromTheResources()
    {
        using var browser = NewPseudoBrowser();
        await Check(browser, "forgot password", () => browser.GetAsync("/"));
        await Check(browser, "username missing", () => browser.PostAsync("/", ("Input.Username", string.Empty)));
        await Check(browser, "method choice", () => browser.StartAsync("max.multi@example.com"));
        await Check(browser, "no method chosen", () => browser.PostAsync("/reset/method", ("Input.Choice", string.Empty)));
        await Check(browser, "unknown method", () => browser.PostAsync("/reset/method", ("Input.Choice", "fax")));
        await Check(browser, "phone unavailable", () => browser.GetAsync("/reset/method?notice=phone-unavailable"));

        foreach (var channel in new[] { "sms", "call" })
        {
            await Check(browser, $"{channel}: send step", () => browser.PostAndFollowAsync("/reset/method", ("Input.Choice", channel)));
            await Check(browser, $"{channel}: code sent", () => browser.SendCodeAsync());
            await Check(browser, $"{channel}: sent too soon", () => browser.SendCodeAsync());
            foreach (var notice in new[] { "resent", "phone-busy" })
            {
                await Check(browser, $"{channel}: {notice}", () => browser.GetAsync($"/reset/code?notice={notice}"));
            }

            await Check(browser, $"{channel}: code missing", () => browser.EnterCodeAsync(string.Empty));
            await Check(browser, $"{channel}: code malformed", () => browser.EnterCodeAsync("12ab"));
            await browser.GetAsync("/reset/method");
        }

        await Check(browser, "totp code", () => browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "okta-code")));
        await Check(browser, "wrong code", () => browser.EnterCodeAsync("000000"));
        await Check(browser, "google code", () => browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "google-code")));
        await Check(browser, "push send step", () => browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "push")));
        await Check(browser, "push waiting", () => browser.SendPushAsync());
        await Check(browser, "push not approved yet", () => browser.PostAndFollowAsync("/reset/push/check"));
        await Check(browser, "push sent too soon", () => browser.GetAsync("/reset/push?notice=wait"));

        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "okta-code"));
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes("max.multi@example.com")[0].Code);
        await Check(browser, "new password", () => browser.FollowAsync());
        await Check(browser, "password missing", () => browser.ChangePasswordAsync(string.Empty, string.Empty));
        await Check(browser, "passwords differ", () => browser.ChangePasswordAsync(PortalBrowser.Password, PortalBrowser.Password + "x"));
        await Check(browser, "password too long", () => browser.ChangePasswordAsync(new string('x', 200)));
        await Check(browser, "weak password", () => browser.ChangePasswordAsync("password1"));
        await Check(browser, "okta refuses the password", () => browser.ChangePasswordAsync("correct horse battery staple zebra"));
        await browser.ChangePasswordAsync();
        await Check(browser, "done", () => browser.FollowAsync());
        Assert.Equal(PseudoLocaleStringLocalizerFactory.Pseudo("Your password has been changed"), browser.Heading);

        Assert.True(_unlocalized.Count == 0, "Texts not from the resources:\n" + string.Join('\n', _unlocalized));
    }

    [Fact]
    public async Task UnlockAndEmailCodePagesShowOnlyTextsFromTheResources()
    {
        using var browser = NewPseudoBrowser();
        await Check(browser, "unlock", () => browser.GetAsync("/unlock"));
        await Check(browser, "unlock, nothing typed", () => browser.PostAsync("/unlock", ("Input.Username", string.Empty)));
        await Check(browser, "unlock: method choice", () => browser.StartUnlockAsync("liam.locked@example.com"));
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        await browser.SendCodeAsync();
        await App.EnterTextedCodeAsync(browser, "liam.locked@example.com");
        await Check(browser, "unlocked", () => browser.FollowAsync());
        Assert.Equal(PseudoLocaleStringLocalizerFactory.Pseudo("Your account is unlocked"), browser.Heading);

        using var notLocked = NewPseudoBrowser();
        await notLocked.StartUnlockAsync("sam.sms@example.com");
        await notLocked.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        await notLocked.SendCodeAsync();
        await App.EnterTextedCodeAsync(notLocked, "sam.sms@example.com");
        await Check(notLocked, "not locked", () => notLocked.FollowAsync());
        Assert.Equal(PseudoLocaleStringLocalizerFactory.Pseudo("Your account was not locked"), notLocked.Heading);

        using var email = NewPseudoBrowser();
        await Check(email, "email: send step", () => email.ChooseAsync("emma.email@example.com", "email"));
        await Check(email, "email: code sent", () => email.SendCodeAsync());
        Assert.Equal(PseudoLocaleStringLocalizerFactory.Pseudo("Enter the code we emailed you"), email.Heading);
        await Check(email, "email: sent too soon", () => email.SendCodeAsync());
        await Check(email, "email: Okta cannot send", () => email.GetAsync("/reset/code?notice=phone-busy"));

        Assert.True(_unlocalized.Count == 0, "Texts not from the resources:\n" + string.Join('\n', _unlocalized));
    }

    [Fact]
    public async Task ProblemErrorAndHelpPagesShowOnlyTextsFromTheResources()
    {
        using var browser = NewPseudoBrowser();
        await Check(browser, "help", () => browser.GetAsync("/help"));
        foreach (var problem in Enum.GetValues<MfaReset.Web.Reset.State.FlowProblem>().Where(p => p != MfaReset.Web.Reset.State.FlowProblem.Completed))
        {
            var slug = ProblemPages.SlugOf(problem);
            await Check(browser, $"problem {slug}", () => browser.GetAsync($"/reset/problem/{slug}"));
        }

        await Check(browser, "problem with a way back", () => browser.GetAsync("/reset/problem/unavailable?back=%2FReset%2FChooseFactor"));
        foreach (var status in new[] { 400, 403, 404, 405, 429, 500, 418 })
        {
            await Check(browser, $"error {status}", () => browser.GetAsync($"/error/{status}"));
        }

        await Check(browser, "page not found", () => browser.GetAsync("/no/such/page"));

        Assert.True(_unlocalized.Count == 0, "Texts not from the resources:\n" + string.Join('\n', _unlocalized));
    }

    [Fact]
    public async Task EnrolledMenuAndSecondMethodShowOnlyTextsFromTheResources()
    {
        await using var enrolled = new EnrolledPseudoLocalePortalApp();
        await ((IAsyncLifetime)enrolled).InitializeAsync();
        using var browser = enrolled.NewBrowser();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(PortalLocalization.PseudoLocale);

        await Check(browser, "enrolled menu", () => browser.StartAsync("max.multi@example.com"));
        var phone = browser.Page.QuerySelectorAll(".choice").First(c => c.TextContent.Contains("••• •••", StringComparison.Ordinal));
        var choice = phone.QuerySelector("input")!.GetAttribute("value")!;
        await Check(browser, "enrolled send step", () => browser.PostAndFollowAsync("/reset/method", ("Input.Choice", choice)));

        Assert.Contains(browser.Page.QuerySelectorAll(".hint"), hint => hint.TextContent.Contains("••• •••", StringComparison.Ordinal));

        // Reset:MethodsRequired=2: after the first method the menu asks for a second one.
        await browser.GetAsync("/reset/method");
        var totp = browser.Page.QuerySelectorAll(".choice").First(c => c.TextContent.Contains(PseudoLocaleStringLocalizerFactory.Pseudo("Okta Verify code"), StringComparison.Ordinal));
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", totp.QuerySelector("input")!.GetAttribute("value")!));
        await browser.EnterCodeAsync(enrolled.Okta.GetTotpCodes("max.multi@example.com")[0].Code);
        await Check(browser, "second method", () => browser.FollowAsync());
        Assert.Equal("/reset/method", browser.Response.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.True(_unlocalized.Count == 0, "Texts not from the resources:\n" + string.Join('\n', _unlocalized));
    }

    private async Task Check(PortalBrowser browser, string step, Func<Task> act)
    {
        await act();
        var page = browser.Page;
        Assert.Equal(PortalLocalization.PseudoLocale, page.DocumentElement.GetAttribute("lang"), ignoreCase: true);
        var body = page.Body!;
        var texts = page.Head!.QuerySelectorAll("title").Select(t => t.TextContent)
            .Concat(body.Descendants<IText>().Where(t => !Exempt(t.ParentElement)).Select(t => t.Data))
            .Concat(body.QuerySelectorAll("*").Where(e => !Exempt(e)).SelectMany(e => e.Attributes
                .Where(a => AnnouncedAttributes.Contains(a.Name) || a.Name.StartsWith("data-text-", StringComparison.Ordinal))
                .Select(a => a.Value)));
        foreach (var text in texts)
        {
            var left = text.Replace(PseudoLocalePortalApp.OrganizationName, string.Empty, StringComparison.Ordinal);
            if (AsciiLetter().IsMatch(left))
            {
                _unlocalized.Add($"{step} ({browser.Response.RequestMessage?.RequestUri?.AbsolutePath}): \"{text.Trim()}\"");
            }
        }
    }

    // Scripts and styles are not shown; the language links name each language in itself (they carry lang);
    // a <code> holds the error Reference.
    private static bool Exempt(IElement? element) =>
        element is not null
        && (element.LocalName is "script" or "style" or "code"
            || (element.HasAttribute("lang") && element.LocalName != "html")
            || Exempt(element.ParentElement));

    [GeneratedRegex("[A-Za-z]")]
    private static partial Regex AsciiLetter();
}

/// <summary>The pseudo-locale with each person's own methods listed, phone numbers masked.</summary>
public sealed class EnrolledPseudoLocalePortalApp : PortalApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Localization:PseudoLocale"] = "true",
        ["Reset:FactorMenu"] = "Enrolled",
        ["Reset:MethodsRequired"] = "2",
        ["Reset:DecoyKey"] = new string('7', 64),
    };
}
