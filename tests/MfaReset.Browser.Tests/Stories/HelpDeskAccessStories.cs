using System.Net;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.HelpDeskConsole;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// A console session that has ended reaches nothing: not the agent's browser after sign-out, and not a browser
/// that copied the agent's cookies before it (a browser that never signed in is ConsoleSignInTests'). Pages send
/// them to Okta's sign-in, the push poll answers 401, form posts land on the signed-out page, and nothing reaches
/// the caller's phone or account.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class HelpDeskAccessStories(StoryFixture fixture, ITestOutputHelper output)
{
    /// <summary>Every console page an agent opens.</summary>
    private static readonly string[] Pages =
        ["/helpdesk", "/helpdesk/verify", "/helpdesk/code", "/helpdesk/push", "/helpdesk/person", "/helpdesk/confirm/unlock", "/helpdesk/reference?reference=x"];

    /// <summary>Every console form and endpoint, with what it would do for a session that still worked.</summary>
    private static readonly (string Path, Dictionary<string, string> Form)[] Posts =
    [
        ("/helpdesk", new() { ["Input.Username"] = DemoUser.Pat.Login }),
        ("/helpdesk?handler=SignOut", []),
        ("/helpdesk/verify", new() { ["Choice"] = "push" }),
        ("/helpdesk/code", new() { ["Code"] = "123456" }),
        ("/helpdesk/push/check", []),
        ("/helpdesk/person/act", new() { ["action"] = "EndSessions" }),
    ];

    [Fact]
    public Task SignedOutAgentReachesNoConsolePageOrEndpoint() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var pat = DemoUser.Pat;
            var console = story.HelpDesk;
            await console.SignInAndLookUpAsync(pat);
            var cookies = await story.Page.Context.CookiesAsync();
            await console.Page.GotoAsync(new Uri(story.Portal, "/helpdesk").ToString());
            await console.Button("Sign out").ClickAsync();
            await console.ShouldBeOnAsync(ConsoleHeadings.SignedOut);
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Signed out of the help desk console", "signed out");

            var thief = await story.AnotherBrowserAsync("thief");
            await thief.Context.AddCookiesAsync(cookies.Select(c => new Microsoft.Playwright.Cookie
            {
                Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Secure = c.Secure, HttpOnly = c.HttpOnly, SameSite = c.SameSite,
            }));
            foreach (var browser in new[] { story.Page, thief })
            {
                await ShouldReachNothingAsync(story, browser);
            }

            await (await story.PhoneAsync()).ShouldShowNoPushAsync(pat.Name);
            Assert.Equal(0, await story.Org.VerificationsAsync());
            Assert.Null(await story.Org.SessionsRevokedAsync(pat.Login));
        });

    private static async Task ShouldReachNothingAsync(Story story, IPage browser)
    {
        var signIn = browser.GetByRole(AriaRole.Button, new() { Name = "Sign in as " + Agents.Hana });
        foreach (var path in Pages)
        {
            await browser.GotoAsync(new Uri(story.Portal, path).ToString());
            await Expect(signIn).ToBeVisibleAsync();
            Assert.StartsWith(story.PhoneSimulator.GetLeftPart(UriPartial.Authority) + "/oauth2/v1/authorize?", browser.Url, StringComparison.Ordinal);
        }

        // The forms' antiforgery token, from a portal page this browser may open.
        await browser.GotoAsync(story.Portal.ToString());
        var token = await browser.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value") ?? "";
        foreach (var (path, form) in Posts)
        {
            var response = await PostAsync(browser, new Uri(story.Portal, path), form, token);
            Assert.True(response.Status == (int)HttpStatusCode.SeeOther, $"POST {path} answered {response.Status}");
            Assert.Equal("/helpdesk/signed-out", response.Headers["location"]);
        }

        var poll = await PostAsync(browser, new Uri(story.Portal, "/helpdesk/push/status"), [], token);
        Assert.Equal((int)HttpStatusCode.Unauthorized, poll.Status);
    }

    private static async Task<IAPIResponse> PostAsync(IPage browser, Uri url, Dictionary<string, string> fields, string token)
    {
        var form = browser.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return await browser.Context.APIRequest.PostAsync(url.ToString(), new() { Form = form, MaxRedirects = 0 });
    }
}
