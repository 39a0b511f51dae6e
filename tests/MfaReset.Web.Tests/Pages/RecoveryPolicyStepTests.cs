using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// <c>Reset:FollowOktaRecoveryPolicy</c> through the pages against the sandbox's demo org: Hal's group has a
/// password policy whose rule denies self-service reset; everyone else gets the default policy, whose
/// complexity is the password page's checklist.
/// </summary>
public sealed class RecoveryPolicyStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Hal = "hal.helpdesk@example.com";
    private const string Sam = "sam.sms@example.com";

    private static IReadOnlyList<string> ChecklistOf(PortalBrowser browser) =>
        [.. browser.Page.QuerySelectorAll("#password-policy li").Select(li => li.TextContent.Trim())];

    [Fact]
    public async Task APersonWhoseRuleDeniesSelfServiceResetIsToldToCallTheHelpDeskAfterVerification()
    {
        using var browser = await App.VerifiedWithSmsAsync(Hal);

        await browser.FollowsToRefusalAsync("/reset/problem/reset-not-allowed", "Contact your help desk");
        Assert.Equal(1, App.CallsFor(Hal, OktaOperations.ListUserGroups));
        Assert.Equal(0, App.CallsFor(Hal, OktaOperations.UpdateUser));
        await browser.GetAsync("/reset/password");
        Assert.NotEqual(HttpStatusCode.OK, browser.Response.StatusCode);
    }

    [Fact]
    public async Task ThePasswordPageListsTheApplicablePolicysComplexityAndTheResetCompletes()
    {
        using var browser = await App.VerifiedWithSmsAsync(Sam);

        Assert.Equal("/reset/password", browser.Location);
        await browser.FollowAsync();
        // The policy's username line and the portal's personal-words line are one; the portal's common-password line follows.
        Assert.Equal(
            ["be at least 8 characters long", "include a lowercase letter", "include an uppercase letter", "include a number",
             "not contain your username, or your name or email address", "not be one of your last 4 passwords",
             "not be a commonly used password or one that is easy to guess"],
            ChecklistOf(browser));
        Assert.Equal(1, App.CallsFor(Sam, OktaOperations.ListUserGroups));
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Sam, PortalBrowser.Password));
        Assert.NotNull(App.Okta.GetUser(Sam).DevicesForgotten); // Reset:ForgetDevices, true by default (issue 22 item 11)
    }

    /// <summary>Hal's rule also says <c>selfServiceUnlock: DENY</c>: "Unlock my account" ends at the help desk, nothing unlocked.</summary>
    [Fact]
    public async Task APersonWhoseRuleDeniesSelfServiceUnlockIsRefusedAfterVerificationOnTheUnlockPath()
    {
        using var browser = App.NewBrowser();
        await browser.StartUnlockAsync(Hal);
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));

        await App.SendAndEnterSmsCodeAsync(browser, Hal);

        await browser.FollowsToRefusalAsync("/reset/problem/unlock-not-allowed?start=unlock", "Contact your help desk");
        Assert.DoesNotContain(browser.Page.QuerySelectorAll("a"), a => a.TextContent == "Start again"); // it would end here again
        Assert.Equal(0, App.CallsFor(Hal, OktaOperations.UnlockUser));
    }

    /// <summary>Before verification a denied person's pages are anyone's: no policy, rule or group is read for them.</summary>
    [Fact]
    public async Task NoPolicyOrGroupIsReadBeforeTheCodeIsChecked()
    {
        App.Okta.ResetCallCounts();
        using var browser = App.NewBrowser();

        await browser.ChooseAsync(Hal, "sms");
        await browser.SendCodeAsync();

        var counts = App.Okta.GetCallCounts().ByOperation;
        Assert.Equal(0, counts.GetValueOrDefault(OktaOperations.ListPolicies));
        Assert.Equal(0, counts.GetValueOrDefault(OktaOperations.ListPolicyRules));
        Assert.Equal(0, counts.GetValueOrDefault(OktaOperations.ListUserGroups));
    }

    /// <summary>With <c>Reset:FollowOktaRecoveryPolicy=false</c>: nothing is read, Hal resets, and the configured rules are the checklist.</summary>
    public sealed class NotFollowedTests(NotFollowedPortal app) : PortalTests<NotFollowedPortal>(app)
    {
        [Fact]
        public async Task NoPolicyIsReadAndTheConfiguredRulesAreShown()
        {
            using var browser = await App.VerifiedWithSmsAsync(Hal);

            Assert.Equal("/reset/password", browser.Location);
            await browser.FollowAsync();
            Assert.Contains("include a lowercase letter", browser.Page.QuerySelector("#password-policy")!.TextContent, StringComparison.Ordinal);
            var counts = App.Okta.GetCallCounts().ByOperation;
            Assert.Equal(0, counts.GetValueOrDefault(OktaOperations.ListPolicies));
            Assert.Equal(0, counts.GetValueOrDefault(OktaOperations.ListUserGroups));
        }
    }

    /// <summary>With <c>Reset:MethodsRequired=2</c>: Max confirms by text message, then by Okta Verify code, then sets a password.</summary>
    public sealed class TwoMethodsTests(TwoMethodsPortal app) : PortalTests<TwoMethodsPortal>(app)
    {
        private const string Max = "max.multi@example.com";

        [Fact]
        public async Task TheFirstMethodLeadsBackToTheMenuWithoutItAndTheSecondToTheNewPassword()
        {
            using var browser = await App.VerifiedWithSmsAsync(Max);

            Assert.Equal("/reset/method", browser.Location);
            await browser.FollowAsync();
            Assert.Contains("Your organization asks for a second check", browser.Page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
            Assert.Null(browser.Page.QuerySelector("input[value=sms]"));
            Assert.Equal(0, App.CallsFor(Max, OktaOperations.UpdateUser));

            await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "okta-code"));
            await App.EnterAppCodeAsync(browser, Max, SandboxFactorKind.OktaVerifyTotp);

            Assert.Equal("/reset/password", browser.Location);
            await browser.FollowAsync();
            await browser.ChangePasswordAsync();
            Assert.Equal("/reset/done", browser.Location);
            Assert.True(App.Okta.IsCurrentPassword(Max, PortalBrowser.Password));
            Assert.Equal(3, App.CallsFor(Max, OktaOperations.VerifyFactor)); // the SMS send, its code, the Okta Verify code
        }
    }

    public sealed class TwoMethodsPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:MethodsRequired"] = "2",
        };
    }

    public sealed class NotFollowedPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:FollowOktaRecoveryPolicy"] = "false",
        };
    }
}
