using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>A password set elsewhere (the help desk, through Okta) after verification ends the portal's token.</summary>
public sealed class ChangedElsewhereStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Login = "tom.totp@example.com";
    private const string HelpDeskPassword = "Help-Desk-Lantern-77";

    /// <summary>The portal's set names the version its start read saw (If-Match): the sandbox refuses it with 412, and the help desk's password stays.</summary>
    [Fact]
    public async Task APasswordTheHelpDeskSetAfterVerificationEndsTheTokenAndIsNotOverwritten()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        await browser.FollowAsync();
        Assert.Equal("Choose a new password", browser.Heading);
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await SetPasswordAsHelpDeskAsync(Login, HelpDeskPassword);
        var setsBefore = App.CallsFor(Login, OktaOperations.UpdateUser);
        var readsBefore = App.CallsFor(Login, OktaOperations.GetUser);

        await browser.ChangePasswordAsync();

        Assert.Equal("/reset/problem/changed-elsewhere", browser.Location);
        Assert.Equal(setsBefore + 1, App.CallsFor(Login, OktaOperations.UpdateUser)); // the conditional set, refused
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.GetUser) - readsBefore); // after the 412: did the password change?
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.Conflict, browser.Response.StatusCode);
        Assert.Equal("Your password was changed elsewhere", browser.Heading);
        Assert.Contains("nothing was changed here", browser.Html, StringComparison.Ordinal);
        Assert.True(App.Okta.IsCurrentPassword(Login, HelpDeskPassword));
        Assert.False(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
        Assert.Single(App.Logs.OfEvent(1008), r => r.Value("Reason") == "password-changed-elsewhere");

        await browser.GetAsync("/reset/password");
        Assert.NotEqual("Choose a new password", browser.Heading);
        Assert.Equal(setsBefore + 1, App.CallsFor(Login, OktaOperations.UpdateUser));
    }

    /// <summary>A change that is not the password (the help desk unlocked the account meanwhile): Okta refuses the set on the start's version, the user is read, and the set goes through on the fresh one.</summary>
    [Fact]
    public async Task AnUnlockByTheHelpDeskAfterVerificationCostsOneReadAndOneSetMoreAndTheResetGoesThrough()
    {
        const string LockedOut = "lou.locked@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(LockedOut, "okta-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(LockedOut).Single().Code);
        await browser.FollowAsync();
        Assert.Equal("Choose a new password", browser.Heading);
        using (var admin = HelpDesk())
        {
            using var unlock = await admin.PostAsync($"/api/v1/users/{await UserIdAsync(admin, LockedOut)}/lifecycle/unlock", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        }

        var (reads, sets) = (App.CallsFor(LockedOut, OktaOperations.GetUser), App.CallsFor(LockedOut, OktaOperations.UpdateUser));

        await browser.ChangePasswordAsync();

        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(LockedOut, PortalBrowser.Password));
        Assert.Equal(reads + 1, App.CallsFor(LockedOut, OktaOperations.GetUser));
        Assert.Equal(sets + 2, App.CallsFor(LockedOut, OktaOperations.UpdateUser));
    }

    /// <summary>The help desk on the org's own API.</summary>
    private HttpClient HelpDesk()
    {
        var admin = new HttpClient { BaseAddress = App.Sandbox.BaseUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", App.Sandbox.ApiToken);
        admin.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return admin;
    }

    private static async Task<string> UserIdAsync(HttpClient admin, string login)
    {
        using var user = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/users/" + Uri.EscapeDataString(login)));
        return user.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>What a help desk does in Okta: <c>POST /api/v1/users/{id}</c> with a new password.</summary>
    private async Task SetPasswordAsHelpDeskAsync(string login, string password)
    {
        using var admin = HelpDesk();
        using var body = new StringContent(JsonSerializer.Serialize(new { credentials = new { password = new { value = password } } }), Encoding.UTF8, "application/json");
        using var set = await admin.PostAsync($"/api/v1/users/{await UserIdAsync(admin, login)}", body);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
    }
}
