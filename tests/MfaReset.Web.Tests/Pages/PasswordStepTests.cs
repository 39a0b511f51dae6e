using System.Net;
using MfaReset.Okta;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The password page: confirmation, Okta's policy reasons, the single-use token.</summary>
public sealed class PasswordStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Login = "tom.totp@example.com";

    /// <summary>Every sandbox user's password until it is changed (the sandbox's seed), so Okta's history refuses it.</summary>
    private const string SeededPassword = "Seeded-Demo-Passw0rd";

    private TimeSpan AttemptTimeout => App.Services.GetRequiredService<IOptions<OktaOptions>>().Value.AttemptTimeout;

    private async Task<PortalBrowser> VerifiedAsync()
    {
        var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        await browser.FollowAsync();
        Assert.Equal("Choose a new password", browser.Heading);
        return browser;
    }

    [Fact]
    public async Task PageShowsThePolicyChecklist()
    {
        using var browser = await VerifiedAsync();

        Assert.Equal("Your new password must", browser.Page.QuerySelector("#policy-title")!.TextContent);
        // The sandbox policy's six rules (length, three character classes, username, history), then the portal's common-password line;
        // its personal-words line is the policy's username line, shown once.
        Assert.Equal(7, browser.Page.QuerySelectorAll(".checklist li").Length);
        Assert.Equal("new-password", browser.Page.QuerySelector("#Input_NewPassword")!.GetAttribute("autocomplete"));
    }

    [Theory]
    [InlineData("Password123", new[] { "not be a commonly used password or one that is easy to guess" })]
    [InlineData("Tom-Totp-Harbor-91", new[] { "not contain your username, or your name or email address" })]
    [InlineData("Short1", new[] { "be at least 8 characters long" })]
    [InlineData("alllowercase12", new[] { "include an uppercase letter" })]
    public async Task AWeakPasswordIsRefusedWithEveryFailedRuleInTheChecklistsWordsEmptyFieldsAndNoOktaCall(string password, string[] failedRules)
    {
        using var browser = await VerifiedAsync();

        await browser.ChangePasswordAsync(password);

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal(["This password doesn't follow every rule. Your new password must:"], browser.Errors);
        Assert.Equal(failedRules, browser.Page.QuerySelectorAll("#password-rejections li").Select(li => li.TextContent.Trim()));
        Assert.All(browser.Page.QuerySelectorAll("input[type=password]"), input => Assert.True(string.IsNullOrEmpty(input.GetAttribute("value"))));
        Assert.DoesNotContain(password, browser.Html, StringComparison.Ordinal);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.UpdateUser));
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
    }

    [Fact]
    public async Task PasswordLongerThanOktaKeepsIsRefusedWithTheReasonBeforeAnyCall()
    {
        using var browser = await VerifiedAsync();
        var tooLong = "Harbor-Lights-42-" + new string('x', 72 - 16);

        await browser.ChangePasswordAsync(tooLong);

        Assert.Equal(73, tooLong.Length);
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal(["Enter a password of at most 72 characters: Okta uses no more than that, so a longer one would not be kept whole."], browser.Errors);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.UpdateUser));
        await browser.ChangePasswordAsync(tooLong[..72]);
        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Login, tooLong[..72]));
    }

    [Fact]
    public async Task MismatchedConfirmationMakesNoOktaCallAndEchoesNothing()
    {
        using var browser = await VerifiedAsync();

        await browser.ChangePasswordAsync("Mismatch-One-1", "Mismatch-Two-2");

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal(["The passwords don't match. Type the same password in both fields."], browser.Errors);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.UpdateUser));
        Assert.DoesNotContain("Mismatch-", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesAreListedWithoutAnyMarkedMetBeforeAnythingIsTyped()
    {
        using var browser = await VerifiedAsync();

        var rules = browser.Page.QuerySelectorAll("#password-policy li");

        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.Null(rule.GetAttribute("data-state")));
        Assert.Equal("length:8", rules[0].GetAttribute("data-check"));
        Assert.Equal("lower", rules[1].GetAttribute("data-check"));
        Assert.Equal("upper", rules[2].GetAttribute("data-check"));
        Assert.Equal("digit", rules[3].GetAttribute("data-check"));
        Assert.Equal("personal", rules[4].GetAttribute("data-check")); // username parts: checked against the person's own words
        Assert.Contains("totp", browser.Page.QuerySelector("#password-policy")!.GetAttribute("data-personal-words")!.Split(' '));
        Assert.True(browser.Page.QuerySelector("[data-show-password]")!.HasAttribute("hidden")); // the script shows the toggle it drives
    }

    [Fact]
    public async Task PolicyRejectionSaysOnceInPlainWordsWhatToChangeAndKeepsTheToken()
    {
        using var browser = await VerifiedAsync();

        // Meets every line the checklist can check; Okta refuses it for its history, which only Okta knows.
        await browser.ChangePasswordAsync(SeededPassword);

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal(["This password wasn't accepted. Choose a different one: what to change is listed under the field."], browser.Errors);
        Assert.Equal(
            ["Choose a password you haven't used before: it can't be one of your last 4."],
            browser.Page.QuerySelectorAll("#password-rejections li").Select(li => li.TextContent.Trim()));
        Assert.DoesNotContain("Password requirements", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Password has been used", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(SeededPassword, browser.Html, StringComparison.Ordinal);
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
        Assert.Equal(2, App.CallsFor(Login, OktaOperations.UpdateUser));
    }

    [Fact]
    public async Task UsedTokenCannotBeReplayedAndTheReplayIsToldThePasswordWasChangedInAnotherTab()
    {
        using var browser = await VerifiedAsync();
        using var replay = App.NewBrowser();
        browser.CopyCookiesTo(replay);
        await replay.GetAsync("/reset/password");

        await browser.ChangePasswordAsync();
        await replay.ChangePasswordAsync("Another-Try-2027");

        Assert.Equal("/reset/problem/changed-in-another-tab", replay.Location);
        await replay.FollowAsync();
        Assert.Equal(HttpStatusCode.Conflict, replay.Response.StatusCode);
        Assert.Equal("Your password was already changed in another tab", replay.Heading);
        Assert.DoesNotContain("has been changed", replay.Html, StringComparison.Ordinal);
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.UpdateUser));
        Assert.True(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
    }

    [Fact]
    public async Task ExpiredTokenShowsTheExpiredPage()
    {
        using var browser = await VerifiedAsync();

        App.Clock.Advance(TimeSpan.FromMinutes(10));
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/problem/expired", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.Gone, browser.Response.StatusCode);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.UpdateUser));
    }

    [Fact]
    public async Task TwoConcurrentSubmitsMakeExactlyOnePasswordCall()
    {
        using var first = await VerifiedAsync();
        using var second = App.NewBrowser();
        first.CopyCookiesTo(second);
        await second.GetAsync("/reset/password");

        var results = await Task.WhenAll(first.ChangePasswordAsync(), second.ChangePasswordAsync());

        Assert.Equal(1, App.CallsFor(Login, OktaOperations.UpdateUser));
        var locations = results.Select(r => r.Headers.Location?.OriginalString).ToList();
        Assert.Contains("/reset/done", locations);
        // The other submit met the change in progress ("being finished in another window") or, coming after
        // it, the finished reset, whose pages all lead to the done page: never a second change.
        Assert.All(locations, l => Assert.Contains(l, new[] { "/reset/done", "/reset/problem/already-used", "/reset/problem/changed-in-another-tab" }));
    }

    /// <summary>
    /// Submits the password while the sandbox stalls the POST (on the shared fake clock, so nothing sleeps),
    /// then lets the client's attempt timeout pass: Okta may or may not have acted, as far as the portal knows.
    /// <paramref name="beforeTheTimeout"/> runs once the POST is stalled at the sandbox.
    /// </summary>
    private async Task SubmitWhileOktaStallsAsync(PortalBrowser browser, Action? beforeTheTimeout = null)
    {
        App.Okta.ScriptNextCall(Login, ScriptedCallFault.Slow, OktaOperations.UpdateUser);
        var submit = browser.ChangePasswordAsync();
        await Eventually.TrueAsync(() => App.Okta.GetUser(Login).NextCall == ScriptedCallFault.None, "the password POST reaches the sandbox");
        beforeTheTimeout?.Invoke();
        App.Clock.Advance(AttemptTimeout);
        await submit;
    }

    [Fact]
    public async Task PasswordPostThatTimesOutIsCheckedWithOktaAndLeavesTheTokenForAnotherSubmit()
    {
        using var browser = await VerifiedAsync();
        var lookups = App.CallsFor(Login, OktaOperations.GetUser);

        await SubmitWhileOktaStallsAsync(browser);

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal(["Okta didn't answer in time, and your password was not changed. Enter your new password again to try once more."], browser.Errors);
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.UpdateUser)); // not re-sent by the portal
        Assert.Equal(lookups + 1, App.CallsFor(Login, OktaOperations.GetUser)); // the read-back only: the set named the start read's ETag
        Assert.False(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
        Assert.DoesNotContain(PortalBrowser.Password, browser.Html, StringComparison.Ordinal);

        await browser.ChangePasswordAsync();

        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
    }

    [Fact]
    public async Task PasswordPostThatTimesOutWhenOktaCannotBeAskedEitherEndsTheTokenUnconfirmed()
    {
        using var browser = await VerifiedAsync();
        using var otherTab = App.NewBrowser();
        browser.CopyCookiesTo(otherTab);
        await otherTab.GetAsync("/reset/password");

        await SubmitWhileOktaStallsAsync(browser, () => App.Okta.ScriptNextCall(Login, ScriptedCallFault.ServerError));
        Assert.Equal("/reset/problem/not-confirmed", browser.Location);
        await browser.FollowAsync();
        await otherTab.ChangePasswordAsync("Another-Try-2027");

        Assert.Equal(HttpStatusCode.GatewayTimeout, browser.Response.StatusCode);
        Assert.Equal("We couldn't confirm the change", browser.Heading);
        Assert.Contains("Try signing in with your new password.", browser.Html, StringComparison.Ordinal);
        Assert.Equal("/reset/problem/not-confirmed", otherTab.Location);
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.UpdateUser));
    }

    [Fact]
    public async Task TokenCookieAloneIsNotEnough()
    {
        using var browser = await VerifiedAsync();
        using var thief = App.NewBrowser();
        await thief.ChooseAsync(Login, "okta-code");
        thief.Cookies.Add(PortalBrowser.BaseAddress, new System.Net.Cookie("__Host-MfaReset-Token", browser.Cookie("__Host-MfaReset-Token")));

        await thief.GetAsync("/reset/password");

        Assert.Equal("/reset/problem/start-again", thief.Location);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.UpdateUser));
    }

    [Fact]
    public async Task PasswordPageBeforeVerificationAsksToStartAgain()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");

        await browser.GetAsync("/reset/password");

        Assert.Equal("/reset/problem/start-again", browser.Location);
    }

    [Fact]
    public async Task GoingBackAfterVerificationReturnsToThePasswordPage()
    {
        using var browser = await VerifiedAsync();

        await browser.GetAsync("/reset/code");
        Assert.Equal("/reset/password", browser.Location);
        await browser.FollowAsync();

        Assert.Equal("Choose a new password", browser.Heading);
    }
}
