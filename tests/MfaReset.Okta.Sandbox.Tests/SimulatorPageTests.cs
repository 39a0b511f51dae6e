using System.Net;
using AngleSharp.Dom;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Testing.Browser;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class SimulatorPageTests
{
    [Fact]
    public async Task PageListsEveryDemoUserUnderItsOwnHeading()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var page = await GetPageAsync(sandbox);

        Assert.Equal("Phone simulator", page.QuerySelector("h1")!.TextContent);
        var headings = page.QuerySelectorAll("section h2").Select(h => h.TextContent).ToList();
        Assert.Contains("Sam Sato sam.sms@example.com", headings);
        Assert.Contains("Nora Nash nora.nofactors@example.com", headings);
        Assert.All(page.QuerySelectorAll("section[aria-labelledby]"), s => Assert.NotNull(page.GetElementById(s.GetAttribute("aria-labelledby")!)));
        Assert.NotNull(page.QuerySelector("[role=status][aria-live=polite]"));
    }

    [Fact]
    public async Task PageIsServedWithAStrictContentSecurityPolicyAndNoInlineScript()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Browser.GetAsync("simulator", TestContext.Current.CancellationToken);
        var page = HtmlPage.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.All(page.QuerySelectorAll("script"), s => Assert.Equal("/simulator/assets/simulator.js", s.GetAttribute("src")));
        Assert.Empty(page.QuerySelectorAll("[style]"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.Ordinal));
        using var script = await sandbox.Browser.GetAsync("simulator/assets/simulator.js", TestContext.Current.CancellationToken);
        using var styles = await sandbox.Browser.GetAsync("simulator/assets/simulator.css", TestContext.Current.CancellationToken);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/css", styles.Content.Headers.ContentType!.MediaType);
        Assert.Contains("data-region", await script.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveredSmsCodeShowsInTheUsersInboxNewestFirst()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var first = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(30));
        var second = await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        var page = await GetPageAsync(sandbox);

        var inbox = page.GetElementById("user-sam-sms-inbox")!;
        Assert.Equal([second, first], inbox.QuerySelectorAll(".messages .code").Select(c => c.TextContent));
        Assert.Equal($"SMS for Sam Sato: {second}.", inbox.GetAttribute("data-announce"));
    }

    [Fact]
    public async Task InboxRegionVersionChangesOnlyWhenItsContentDoes()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var before = (await GetPageAsync(sandbox)).GetElementById("user-sam-sms-inbox")!.GetAttribute("data-version");
        var unchanged = (await GetPageAsync(sandbox)).GetElementById("user-sam-sms-inbox")!.GetAttribute("data-version");

        await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);
        var after = (await GetPageAsync(sandbox)).GetElementById("user-sam-sms-inbox")!.GetAttribute("data-version");

        Assert.Equal(before, unchanged);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task TotpCodesShowWithSecondsLeftAndAQrCodeToEnroll()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock.Advance(TimeSpan.FromSeconds(10));
        var code = sandbox.Control.GetTotpCodes(Demo.Tom).Single();

        var page = await GetPageAsync(sandbox);

        var codes = page.GetElementById("user-tom-totp-codes")!;
        Assert.Equal(code.Code, codes.QuerySelector(".code")!.TextContent);
        Assert.Equal("20 s left", codes.QuerySelector(".seconds")!.TextContent);
        var image = page.QuerySelector($"#user-tom-totp-qr-{code.FactorId} img")!;
        Assert.Contains("QR code", image.GetAttribute("alt"), StringComparison.Ordinal);
        using var png = await sandbox.Browser.GetAsync(image.GetAttribute("src"), TestContext.Current.CancellationToken);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken))[..4]);
    }

    [Fact]
    public async Task QrCodeIsServedForTotpFactorsOnly()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var sms = await sandbox.Browser.GetAsync($"simulator/qr/{sandbox.Factor(Demo.Sam, SandboxFactorKind.Sms).Id}.png", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, sms.StatusCode);
    }

    [Fact]
    public async Task NumberMatchingPushOffersItsNumbersAsLabelledButtonsAndAWrongPickRejects()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var poll = await sandbox.SendPushAsync(Demo.Pat, numberMatching: true);
        var push = sandbox.Control.GetPendingPushes(Demo.Pat).Single();

        var page = await GetPageAsync(sandbox);
        var form = page.QuerySelector($"form[action='/simulator/pushes/{push.TransactionId}/approve']")!;
        Assert.Equal("Approve: pick the number the reset page shows", form.QuerySelector("legend")!.TextContent);
        var buttons = form.QuerySelectorAll("button[name=pickedNumber]").Select(b => int.Parse(b.GetAttribute("value")!)).ToList();
        Assert.Equal(push.Choices, buttons);
        var wrong = buttons.First(n => n != push.CorrectAnswer);
        using var response = await PostFormAsync(sandbox, form.GetAttribute("action")!, ("pickedNumber", wrong.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/simulator?done=wrong-number&user=pat.push@example.com#user-pat-push", response.Headers.Location!.OriginalString);
        Assert.Equal("REJECTED", await sandbox.PollAsync(poll));
        var after = await GetPageAsync(sandbox, response.Headers.Location.OriginalString.Split('#')[0]);
        Assert.Equal("Wrong number picked: the push was rejected.", after.QuerySelector("#user-pat-push .notice")!.TextContent);
        Assert.Equal("No push waiting.", after.QuerySelector("#user-pat-push-inbox h3 + p")!.TextContent);
    }

    [Fact]
    public async Task ApproveAndDenyFormsResolvePushesWithoutScript()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var approved = await sandbox.SendPushAsync(Demo.Pat);
        var denied = await sandbox.SendPushAsync(Demo.Max);

        var page = await GetPageAsync(sandbox);
        var approveAction = page.QuerySelector("#user-pat-push form[action$='/approve']")!.GetAttribute("action")!;
        var denyAction = page.QuerySelector("#user-max-multi form[action$='/deny']")!.GetAttribute("action")!;
        (await PostFormAsync(sandbox, approveAction)).Dispose();
        (await PostFormAsync(sandbox, denyAction)).Dispose();

        Assert.Equal("SUCCESS", await sandbox.PollAsync(approved));
        Assert.Equal("REJECTED", await sandbox.PollAsync(denied));
    }

    [Fact]
    public async Task SwitchesFormScriptsTheNextPushAndCallAndShowsThem()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var page = await GetPageAsync(sandbox);
        var form = page.QuerySelector("#user-pat-push form.switches")!;
        Assert.All(form.QuerySelectorAll("select"), s => Assert.NotNull(form.QuerySelector($"label[for='{s.Id}']")));

        using var response = await PostFormAsync(sandbox, form.GetAttribute("action")!, ("nextPush", "TimeOut"), ("nextCall", "Slow"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var user = sandbox.Control.GetUser(Demo.Pat);
        Assert.Equal(ScriptedPushOutcome.TimeOut, user.NextPush);
        Assert.Equal(ScriptedCallFault.Slow, user.NextCall);
        var after = await GetPageAsync(sandbox);
        Assert.Contains("next push: TimeOut", after.GetElementById("user-pat-push-inbox")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("TimeOut", after.QuerySelector("#user-pat-push-next-push option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task ResetFormRestoresTheSeed()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        using var response = await PostFormAsync(sandbox, "/simulator/reset");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(sandbox.Control.GetMessages(Demo.Sam));
    }

    [Fact]
    public async Task UserValuesAreHtmlEncoded()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, sandbox.VerifyPath(Demo.Pat, SandboxFactorKind.OktaVerifyPush));
        request.Headers.TryAddWithoutValidation("User-Agent", "<script>alert(1)</script>");
        (await sandbox.Http.SendAsync(request, TestContext.Current.CancellationToken)).Dispose();

        using var response = await sandbox.Browser.GetAsync("simulator", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("same-origin", HttpStatusCode.Redirect)]
    [InlineData("cross-site", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Forbidden)]
    public async Task ResetUnderANoReferrerPolicyIsTrustedOnlyWhenTheBrowserSaysItIsSameOrigin(string? fetchSite, HttpStatusCode expected)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var resets = 0;
        sandbox.Control.WasReset += (_, _) => resets++;
        using var request = new HttpRequestMessage(HttpMethod.Post, "simulator/reset") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("Origin", "null"); // what Chromium sends for a form post from a no-referrer page
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var response = await sandbox.Browser.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.Redirect ? 1 : 0, resets);
        if (expected == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/simulator", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ResetEverythingIsAtTheTopBehindAConfirmation()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var page = await GetPageAsync(sandbox);

        var reset = page.GetElementById("reset-sandbox")!;
        Assert.Equal("Yes, reset everything", reset.TextContent);
        Assert.Equal("Reset everything…", reset.Closest("details")!.QuerySelector("summary")!.TextContent); // closed until the trainer opens it
        Assert.Null(reset.Closest("main")); // above the phones, not under the last of them
        Assert.True(reset.Closest("header") is not null);
    }

    [Fact]
    public async Task ResetEverythingSaysOnlyTheOrgWasResetWhenNoPortalClearedItsHolds()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await PostFormAsync(sandbox, "simulator/reset");
        var page = await GetPageAsync(sandbox, response.Headers.Location!.OriginalString);

        Assert.Equal("/simulator?done=reset-org-only", response.Headers.Location.OriginalString);
        Assert.StartsWith("The demo users are back to their seed state. No portal reported clearing", page.QuerySelector("#reset-region .notice")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetEverythingWaitsForAListeningPortalAndSaysItClearedItsHolds()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var baseline = await ResetsAsync(sandbox, after: -1);
        var listener = ResetsAsync(sandbox, after: baseline); // a portal's long poll
        var reportedFor = listener.ContinueWith(async reset => (await PostFormAsync(sandbox, $"simulator/api/resets/{await reset}/portal-cleared")).Dispose(), TaskScheduler.Default);

        using var response = await PostFormAsync(sandbox, "simulator/reset");

        Assert.Equal(baseline + 1, await listener);
        await await reportedFor;
        Assert.Equal("/simulator?done=reset", response.Headers.Location!.OriginalString);
        var page = await GetPageAsync(sandbox, response.Headers.Location.OriginalString);
        Assert.StartsWith("Everything was reset", page.QuerySelector("#reset-region .notice")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachUserShowsWhatHappenedPasswordSessionsAndTheLastPushAnswer()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.True((await sandbox.SetPasswordAsync(Demo.Pat, "A-New-Passw0rd-2026")).IsSuccessStatusCode);
        (await sandbox.Http.DeleteAsync($"api/v1/users/{sandbox.UserId(Demo.Pat)}/sessions?oauthTokens=true", TestContext.Current.CancellationToken)).Dispose();
        await sandbox.SendPushAsync(Demo.Pat, numberMatching: true);
        var push = sandbox.Control.GetPendingPushes(Demo.Pat).Single();
        sandbox.Control.ApprovePush(push.TransactionId, push.Choices.First(c => c != push.CorrectAnswer));

        var history = (await GetPageAsync(sandbox)).QuerySelectorAll("#user-pat-push-inbox .history li").Select(li => li.TextContent).ToList();

        Assert.Equal(3, history.Count);
        Assert.Matches(@"^Password changed at \d\d:\d\d:\d\d UTC\.$", history[0]);
        Assert.Matches(@"^Last push, sent at \d\d:\d\d:\d\d UTC: rejected, the wrong number was picked\.$", history[1]);
        Assert.Matches(@"^Sessions ended at \d\d:\d\d:\d\d UTC, with its OAuth tokens\.$", history[2]);
    }

    [Fact]
    public async Task ACodeReplacedByANewerOneIsMarkedReplacedAndTheNewestValid()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(30));
        await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        var messages = (await GetPageAsync(sandbox)).QuerySelectorAll("#user-sam-sms-inbox .messages li").Select(li => li.TextContent).ToList();

        Assert.Contains("(valid until ", messages[0], StringComparison.Ordinal);
        Assert.Contains("(replaced by a newer code)", messages[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchesThatDoNotApplyToAUserAreHiddenAndMethodsThePortalDoesNotOfferAreFlagged()
    {
        await using var sandbox = await TestSandbox.StartAsync(options => options.PortalFactorKinds = ["Sms", "OktaVerifyPush"]);

        var page = await GetPageAsync(sandbox);

        Assert.Null(page.GetElementById("user-sam-sms-next-push")); // SMS only: no push to script
        Assert.NotNull(page.GetElementById("user-pat-push-next-push"));
        Assert.Null(page.QuerySelector("#user-sam-sms .flag"));
        Assert.StartsWith("Not offered by the portal: email. Turn every method on with Sandbox:AllMethods=true", page.QuerySelector("#user-emma-email .flag")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"factorKinds": ["Sms", "Email"]}""", HttpStatusCode.NoContent, false)]
    [InlineData("""{"factorKinds": ["Sms", "Carrier pigeon"]}""", HttpStatusCode.BadRequest, true)]
    public async Task APortalOnTheStandaloneSandboxSaysWhichMethodsItOffers(string body, HttpStatusCode expected, bool emailFlagged)
    {
        await using var sandbox = await TestSandbox.StartAsync(options => options.PortalFactorKinds = ["Sms"]);

        using var response = await sandbox.Browser.PutAsync("simulator/api/portal/factor-kinds", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(emailFlagged, (await GetPageAsync(sandbox)).QuerySelector("#user-emma-email .flag") is not null);
    }

    [Fact]
    public async Task TimesCarryTheirUtcInstantForTheBrowsersZone()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.ChallengeAsync(Demo.Sam, SandboxFactorKind.Sms);

        var time = (await GetPageAsync(sandbox)).QuerySelector("#user-sam-sms-inbox .messages time")!;

        Assert.Equal(sandbox.Clock.GetUtcNow().UtcDateTime, DateTime.Parse(time.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), TimeSpan.FromSeconds(1));
        Assert.EndsWith(" UTC", time.GetAttribute("title"), StringComparison.Ordinal);
    }

    private static async Task<long> ResetsAsync(TestSandbox sandbox, long after)
    {
        using var response = await sandbox.Browser.GetAsync($"simulator/api/resets?after={after}");
        return (await TestSandbox.JsonAsync(response)).GetProperty("resets").GetInt64();
    }

    [Fact]
    public async Task RootRedirectsToTheSimulator()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Browser.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal("/simulator", response.Headers.Location!.OriginalString);
        Assert.Equal(new Uri(sandbox.Running.BaseUrl, "simulator"), sandbox.Running.PhoneSimulatorUrl);
    }

    private static async Task<IDocument> GetPageAsync(TestSandbox sandbox, string path = "simulator")
    {
        using var response = await sandbox.Browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return HtmlPage.Parse(await response.Content.ReadAsStringAsync());
    }

    // A plain browser form post: same origin, no script.
    private static Task<HttpResponseMessage> PostFormAsync(TestSandbox sandbox, string action, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))),
        };
        request.Headers.Add("Origin", sandbox.OrgUrl);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        return sandbox.Browser.SendAsync(request);
    }
}
