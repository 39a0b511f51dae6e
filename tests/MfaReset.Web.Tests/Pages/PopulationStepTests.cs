using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Every population (credentials provider), status and admin case through the pages against the
/// sandbox's demo users, with the Okta calls each one leads to.
/// </summary>
public sealed class PopulationStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private async Task VerifyWithAuthenticatorAsync(PortalBrowser browser, string login)
    {
        await browser.ChooseAsync(login, "okta-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(login).Single().Code);
    }

    private async Task VerifyWithSmsAsync(PortalBrowser browser, string login)
    {
        await browser.ChooseAsync(login, "sms");
        await browser.SendCodeAsync();
        await App.EnterTextedCodeAsync(browser, login);
    }

    private async Task FinishAsync(PortalBrowser browser, string login)
    {
        Assert.Equal("/reset/password", browser.Location);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
        await browser.FollowAsync();
        Assert.Equal("Your password has been changed", browser.Heading);
        Assert.True(App.Okta.IsCurrentPassword(login, PortalBrowser.Password));
    }

    private async Task AssertRefusedAsync(PortalBrowser browser, string login, string slug, string heading)
    {
        Assert.Equal($"/reset/problem/{slug}", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal(heading, browser.Heading);
        Assert.Contains("Nothing was changed", browser.Page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, App.CallsFor(login, OktaOperations.UpdateUser));
        Assert.False(App.Okta.IsCurrentPassword(login, PortalBrowser.Password));
    }

    [Fact]
    public async Task ImportedUserResetsLikeAnyone()
    {
        const string Login = "ivy.import@example.com";
        using var browser = App.NewBrowser();

        await VerifyWithSmsAsync(browser, Login);

        await FinishAsync(browser, Login);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.ListAssignedRolesForUser));
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.UpdateUser));
    }

    [Theory]
    [InlineData("dirk.directory@example.com")]
    [InlineData("lena.ldap@example.com")]
    public async Task DirectoryUserIsSentToTheHelpDeskAfterVerification(string login)
    {
        using var browser = App.NewBrowser();

        await VerifyWithAuthenticatorAsync(browser, login);

        Assert.Equal("/reset/problem/help-desk", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("Contact your help desk", browser.Heading);
        Assert.Equal(1, App.CallsFor(login, OktaOperations.VerifyFactor));
        Assert.Equal(0, App.CallsFor(login, OktaOperations.UpdateUser));
    }

    [Theory]
    [InlineData("fred.federated@example.com")]
    [InlineData("sol.social@example.com")]
    public async Task UserOfAnIdentityProviderIsToldToSignInThereAfterVerification(string login)
    {
        using var browser = App.NewBrowser();

        if (App.Okta.GetUser(login).Factors.Single().Kind == SandboxFactorKind.Sms)
        {
            await VerifyWithSmsAsync(browser, login);
        }
        else
        {
            await VerifyWithAuthenticatorAsync(browser, login);
        }

        await AssertRefusedAsync(browser, login, "identity-provider", "Sign in with your identity provider");
    }

    [Fact]
    public async Task AdminIsRefusedAfterVerification()
    {
        const string Login = "ada.admin@example.com";
        using var browser = App.NewBrowser();

        await VerifyWithAuthenticatorAsync(browser, Login);

        await AssertRefusedAsync(browser, Login, "admin-account", "Contact your help desk");
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.ListAssignedRolesForUser));
        await browser.GetAsync("/reset/password");
        Assert.NotEqual(HttpStatusCode.OK, browser.Response.StatusCode);
    }

    /// <summary>Gus holds no role himself: his group does. Refused without a call for his roles: the org's list read the group's members.</summary>
    [Fact]
    public async Task AdminThroughAGroupIsRefusedAfterVerification()
    {
        const string Login = "gus.groupadmin@example.com";
        using var browser = App.NewBrowser();

        await VerifyWithAuthenticatorAsync(browser, Login);

        await AssertRefusedAsync(browser, Login, "admin-account", "Contact your help desk");
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.ListAssignedRolesForUser));
    }

    [Fact]
    public async Task PasswordExpiredUserResetsAndCanSignInAfterwards()
    {
        const string Login = "paige.expired@example.com";
        using var browser = App.NewBrowser();

        await VerifyWithAuthenticatorAsync(browser, Login);

        await FinishAsync(browser, Login);
        Assert.Equal("ACTIVE", App.Okta.GetUser(Login).Status);
    }

    [Fact]
    public async Task UserInRecoveryResetsAndBecomesActive()
    {
        const string Login = "rita.recovery@example.com";
        using var browser = App.NewBrowser();

        await VerifyWithSmsAsync(browser, Login);

        await FinishAsync(browser, Login);
        Assert.Equal("ACTIVE", App.Okta.GetUser(Login).Status);
    }

    /// <summary>With <c>Reset:DirectoryUsers=SetThroughOkta</c> and <c>Reset:AllowAdmins=true</c>.</summary>
    public sealed class SetThroughOktaTests(SetThroughOktaPortal app) : PortalTests<SetThroughOktaPortal>(app)
    {
        [Theory]
        [InlineData("dirk.directory@example.com")]
        [InlineData("lena.ldap@example.com")]
        [InlineData("ada.admin@example.com")]
        public async Task DirectoryUserOrAllowedAdminSetsThePasswordThroughOkta(string login)
        {
            using var browser = App.NewBrowser();
            await browser.ChooseAsync(login, "okta-code");
            await browser.EnterCodeAsync(App.Okta.GetTotpCodes(login).Single().Code);

            Assert.Equal("/reset/password", browser.Location);
            await browser.FollowAsync();
            await browser.ChangePasswordAsync();

            Assert.Equal("/reset/done", browser.Location);
            Assert.True(App.Okta.IsCurrentPassword(login, PortalBrowser.Password));
            Assert.Equal(0, App.CallsFor(login, OktaOperations.ListAssignedRolesForUser));
        }

        [Fact]
        public async Task FederatedUserIsStillToldToSignInWithTheIdentityProvider()
        {
            const string Login = "fred.federated@example.com";
            using var browser = App.NewBrowser();
            await browser.ChooseAsync(Login, "okta-code");
            await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);

            Assert.Equal("/reset/problem/identity-provider", browser.Location);
        }
    }

    public sealed class SetThroughOktaPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:DirectoryUsers"] = "SetThroughOkta",
            ["Reset:AllowAdmins"] = "true",
        };
    }
}
