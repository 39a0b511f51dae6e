using System.Net;
using System.Text.RegularExpressions;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Unknown, suspended and factor-less users see exactly what a real user sees, and nothing is sent for them.</summary>
public sealed partial class EnumerationTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string RealUser = "sam.sms@example.com";
    /// <summary>Every response of one walk: username, menu, SMS send step, code page, a wrong code.</summary>
    private async Task<List<string>> WalkAsync(string username)
    {
        using var browser = App.NewBrowser();
        List<string> seen = [];
        await browser.GetAsync("/");
        seen.Add(Describe(browser));
        await browser.PostAsync("/", ("Input.Username", username));
        seen.Add(Describe(browser));
        await browser.FollowAsync();
        seen.Add(Describe(browser));
        await browser.PostAsync("/reset/method", ("Input.Choice", "sms"));
        seen.Add(Describe(browser));
        await browser.FollowAsync();
        seen.Add(Describe(browser));
        await browser.PostAsync("/reset/code/send");
        seen.Add(Describe(browser));
        await browser.FollowAsync();
        seen.Add(Describe(browser));
        await browser.EnterCodeAsync("000000");
        seen.Add(Describe(browser));
        return seen;
    }

    /// <summary>Status, redirect, cookie names and attributes, and the body with per-request tokens blanked.</summary>
    private static string Describe(PortalBrowser browser)
    {
        var cookies = browser.Response.Headers.TryGetValues("Set-Cookie", out var values)
            ? string.Join(" | ", values.Select(c => CookieValue().Replace(c, "$1=…")))
            : "no cookies";
        return $"{(int)browser.Response.StatusCode} {browser.Location}\n{cookies}\n{browser.HtmlWithoutRequestTokens}";
    }

    [Theory]
    [InlineData("nobody.at.all@example.com", 0)]
    [InlineData(".", 0)] // a path segment no login can be: never sent to Okta, an unknown username all the same
    [InlineData(" .. ", 0)]
    [InlineData("sue.suspended@example.com", 0)]
    [InlineData("stan.staged@example.com", 0)]
    [InlineData("pia.provisioned@example.com", 0)]
    [InlineData("dora.deprovisioned@example.com", 0)]
    [InlineData("nora.nofactors@example.com", 1)] // active: Okta is asked which factors she has
    [InlineData("dirk.directory@example.com", 1)] // no SMS: the send is a decoy, like Nora's
    [InlineData("fred.federated@example.com", 1)]
    [InlineData("ada.admin@example.com", 1)]
    public async Task UnknownAndIneligibleUsersSeeTheSamePagesAsARealUser(string username, int factorLookups)
    {
        var real = await WalkAsync(RealUser);
        App.FreshStart();

        var other = await WalkAsync(username);

        Assert.Equal(real.Count, other.Count);
        for (var i = 0; i < real.Count; i++)
        {
            Assert.Equal(real[i], other[i]);
        }

        Assert.Equal(0, App.CallsFor(username, OktaOperations.VerifyFactor));
        Assert.Equal(factorLookups, App.CallsFor(username, OktaOperations.ListFactors));
    }

    /// <summary>
    /// Imported, social, in-recovery users: their SMS goes out like anyone's, and the pages up to the code
    /// check are the same as for an OKTA user: what happens to them is decided only after verification.
    /// </summary>
    [Theory]
    [InlineData("ivy.import@example.com")]
    [InlineData("sol.social@example.com")]
    [InlineData("rita.recovery@example.com")]
    public async Task EveryPopulationSeesTheSamePagesAsARealUserUntilVerified(string username)
    {
        var real = await WalkAsync(RealUser);
        App.FreshStart();

        var other = await WalkAsync(username);

        Assert.Equal(real, other);
        Assert.Equal(2, App.CallsFor(username, OktaOperations.VerifyFactor));
        Assert.Equal(0, App.CallsFor(username, OktaOperations.ListAssignedRolesForUser));
    }

    [Fact]
    public async Task RealUsersWalkDidSendACode()
    {
        await WalkAsync(RealUser);

        Assert.Single(App.Okta.GetMessages(RealUser));
        Assert.Equal(2, App.CallsFor(RealUser, OktaOperations.VerifyFactor));
    }

    [Fact]
    public async Task UnknownUsersGetTheSameLimitPageAsRealOnes()
    {
        // Each from its own address: one client's failed codes across usernames have a limit of their own.
        foreach (var (username, peer) in new[] { (RealUser, "198.51.100.31"), ("nobody.at.all@example.com", "198.51.100.32") })
        {
            using var browser = App.NewBrowser();
            browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, peer);
            await browser.ChooseAsync(username, "okta-code");
            for (var i = 0; i < 3; i++)
            {
                await browser.EnterCodeAsync("000000");
            }

            Assert.Equal("/reset/problem/limit-reached", browser.Location);
        }
    }

    [Fact]
    public async Task UnknownUsersPushPageShowsANumberLikeARealOne()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("nobody.at.all@example.com", "push");

        await browser.SendPushAsync();

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("Check your phone", browser.Heading);
        Assert.Matches("^[0-9]{2}$", browser.Page.QuerySelector("[data-push-number]")!.TextContent);
        Assert.Equal("pending", (await browser.PollAsync()).Body.GetProperty("state").GetString());
        Assert.Equal(0, App.Okta.GetCallCounts().ByOperation.GetValueOrDefault(OktaOperations.VerifyFactor));
    }

    [GeneratedRegex("(__Host-[A-Za-z-]+)=[^;]*")]
    private static partial Regex CookieValue();
}
