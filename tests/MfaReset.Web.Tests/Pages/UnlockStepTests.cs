using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>"Unlock my account" through the pages against the sandbox: the reset's steps, then an unlock and no password.</summary>
public sealed class UnlockStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Liam = "liam.locked@example.com";

    /// <summary>A browser on "Unlock my account" that chose <paramref name="choice"/> for <paramref name="login"/>.</summary>
    private async Task<PortalBrowser> UnlockWithAsync(string login, string choice)
    {
        var browser = App.NewBrowser();
        await browser.StartUnlockAsync(login);
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", choice));
        return browser;
    }

    /// <summary>Liam on "Unlock my account" with a push sent and approved on his phone, the poll interval past.</summary>
    private async Task<PortalBrowser> UnlockWithAnApprovedPushAsync()
    {
        var browser = await UnlockWithAsync(Liam, "push");
        await browser.SendPushAsync();
        var push = Assert.Single(App.Okta.GetPendingPushes(Liam));
        App.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer);
        App.Clock.Advance(TimeSpan.FromSeconds(3));
        return browser;
    }

    private void AssertUnlockedWithoutAPasswordSet(string login, DateTimeOffset passwordChanged)
    {
        Assert.Equal("ACTIVE", App.Okta.GetUser(login).Status);
        Assert.Equal(1, App.CallsFor(login, OktaOperations.UnlockUser));
        Assert.Equal(0, App.CallsFor(login, OktaOperations.UpdateUser));
        Assert.Equal(0, App.CallsFor(login, OktaOperations.RevokeUserSessions));
        Assert.Equal(passwordChanged, App.Okta.GetUser(login).PasswordChanged);
        Assert.Null(App.Okta.GetUser(login).SessionsRevoked);
    }

    private static async Task AssertUnlockedDonePageAsync(PortalBrowser browser)
    {
        await browser.GetAsync("/reset/done");
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("Your account is unlocked", browser.Heading);
        Assert.Contains("If your account was locked, it is unlocked now. Sign in with your current password.", browser.Page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        Assert.Null(browser.Cookie("__Host-MfaReset-Token"));
    }

    [Fact]
    public async Task LockedOutUserIsUnlockedByPushWithoutAPasswordBeingSet()
    {
        var before = App.Okta.GetUser(Liam).PasswordChanged;
        using var browser = await UnlockWithAnApprovedPushAsync();

        var (status, body) = await browser.PollAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/reset/done", body.GetProperty("redirect").GetString());
        await AssertUnlockedDonePageAsync(browser);
        AssertUnlockedWithoutAPasswordSet(Liam, before);
    }

    [Fact]
    public async Task LockedOutUserIsUnlockedByPushWithoutJavaScript()
    {
        var before = App.Okta.GetUser(Liam).PasswordChanged;
        using var browser = await UnlockWithAnApprovedPushAsync();

        await browser.PostAsync("/reset/push/check");

        Assert.Equal("/reset/done", browser.Location);
        await AssertUnlockedDonePageAsync(browser);
        AssertUnlockedWithoutAPasswordSet(Liam, before);
    }

    [Fact]
    public async Task LockedOutUserIsUnlockedByAnSmsCodeWithoutAPasswordBeingSet()
    {
        var before = App.Okta.GetUser(Liam).PasswordChanged;
        using var browser = await UnlockWithAsync(Liam, "sms");
        await browser.SendCodeAsync();

        await App.EnterTextedCodeAsync(browser, Liam);

        Assert.Equal("/reset/done", browser.Location);
        await AssertUnlockedDonePageAsync(browser);
        AssertUnlockedWithoutAPasswordSet(Liam, before);

        // The finished unlock's pages lead to its done page, never to a second unlock.
        await browser.GetAsync("/reset/code");
        Assert.Equal(1, App.CallsFor(Liam, OktaOperations.UnlockUser));
    }

    [Fact]
    public async Task UnlockOfAnAccountThatIsNotLockedSaysSoAndUnlocksNothing()
    {
        const string Sam = "sam.sms@example.com";
        using var browser = await UnlockWithAsync(Sam, "sms");
        await browser.SendCodeAsync();

        await App.EnterTextedCodeAsync(browser, Sam);
        await browser.FollowAsync();

        Assert.Equal("Your account was not locked", browser.Heading);
        Assert.Equal(0, App.CallsFor(Sam, OktaOperations.UnlockUser));
        Assert.Equal(0, App.CallsFor(Sam, OktaOperations.UpdateUser));
        Assert.Equal("ACTIVE", App.Okta.GetUser(Sam).Status);
    }

    [Fact]
    public async Task UnlockForAnUnknownUsernameShowsTheSamePagesAndSendsNothing()
    {
        const string Unknown = "nobody.here@example.com";
        using var real = App.NewBrowser();
        using var unknown = App.NewBrowser();

        await real.StartUnlockAsync(Liam);
        await unknown.StartUnlockAsync(Unknown);
        Assert.Equal(real.HtmlWithoutRequestTokens, unknown.HtmlWithoutRequestTokens);
        // An unlock has two steps, and starting again leads back to the unlock page.
        Assert.StartsWith("Step 2 of 2: confirm it's you", unknown.Page.QuerySelector(".step-indicator")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("/unlock", unknown.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Start again with a different username").GetAttribute("href"));
        await real.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        await unknown.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        Assert.Equal(real.HtmlWithoutRequestTokens, unknown.HtmlWithoutRequestTokens);
        await unknown.SendCodeAsync();
        Assert.Equal("Enter the code we sent", unknown.Heading);
        await unknown.EnterCodeAsync("123456");

        Assert.Equal(HttpStatusCode.OK, unknown.Response.StatusCode);
        Assert.StartsWith("That code didn't work", Assert.Single(unknown.Errors), StringComparison.Ordinal);
        var counts = App.Okta.GetCallCounts();
        Assert.False(counts.ByOperation.ContainsKey(OktaOperations.VerifyFactor));
        Assert.False(counts.ByOperation.ContainsKey(OktaOperations.UnlockUser));
        Assert.Equal("LOCKED_OUT", App.Okta.GetUser(Liam).Status);
    }

    [Fact]
    public async Task FirstPageLinksToTheUnlockEntry()
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync("/");
        await browser.GetAsync(browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Unlock my account").GetAttribute("href")!);

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("Unlock your account", browser.Heading);
    }

    /// <summary>The push page speaks of the unlock, and a denied push's page (reached by the page's script) starts the unlock again.</summary>
    [Fact]
    public async Task TheUnlocksPushPageSaysUnlockAndItsProblemPageStartsTheUnlockAgain()
    {
        using var browser = await UnlockWithAsync(Liam, "push");
        await browser.SendPushAsync();
        Assert.Contains("Only approve if you started unlocking your account yourself.", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("password reset yourself", browser.Html, StringComparison.Ordinal);

        App.Okta.DenyPush(Assert.Single(App.Okta.GetPendingPushes(Liam)).TransactionId);
        var (_, body) = await browser.PollAsync();
        Assert.Equal("/reset/problem/push-rejected?start=unlock", body.GetProperty("redirect").GetString());
        await browser.GetAsync(body.GetProperty("redirect").GetString()!);

        Assert.Equal("/unlock", browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Start again").GetAttribute("href"));
    }

    /// <summary>Okta's unlock "doesn't support directory-sourced accounts such as Active Directory" (spec, unlockUser): Dirk is sent to the help desk, nothing is called.</summary>
    [Fact]
    public async Task ADirectorySourcedAccountIsNotOfferedAnUnlockButTheHelpDesk()
    {
        const string Dirk = "dirk.directory@example.com";
        using var browser = await UnlockWithAsync(Dirk, "okta-code");

        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Dirk).Single().Code);

        Assert.Equal("/reset/problem/directory-unlock?start=unlock", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("Contact your help desk", browser.Heading);
        Assert.Contains("managed by your organization's directory", browser.Page.QuerySelector("p.lead")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, App.CallsFor(Dirk, OktaOperations.UnlockUser));
    }
}

/// <summary><c>Reset:AllowUnlock=false</c>: no link, no entry page, no unlock flow.</summary>
public sealed class UnlockSwitchedOffTests(UnlockSwitchedOffTests.NoUnlockPortal app) : PortalTests<UnlockSwitchedOffTests.NoUnlockPortal>(app)
{
    [Fact]
    public async Task UnlockEntryIsNotFoundAndNotLinkedAndAPostedUnlockStartsNothing()
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync("/unlock");
        Assert.Equal(HttpStatusCode.NotFound, browser.Response.StatusCode);
        await browser.GetAsync("/");
        Assert.DoesNotContain(browser.Page.QuerySelectorAll("a"), a => a.TextContent == "Unlock my account");
        await browser.PostAsync("/unlock", ("Input.Username", "liam.locked@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
        Assert.StartsWith("/reset/problem/", browser.Location, StringComparison.Ordinal);
        Assert.Equal(0, App.CallsFor("liam.locked@example.com", OktaOperations.GetUser));
    }

    public sealed class NoUnlockPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:AllowUnlock"] = "false",
        };
    }
}
