using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Issue 22 item 2, with the sandbox's default rule saying <c>selfServiceUnlock: DENY</c>: Okta's own recovery
/// refuses a locked-out account then, so the portal neither resets nor unlocks Lou (locked out) and sends him
/// to the help desk after verification; Sam, not locked out, resets as before.
/// </summary>
public sealed class LockedOutAccountStepTests(LockedOutAccountStepTests.NoSelfServiceUnlockApp app) : PortalTests<LockedOutAccountStepTests.NoSelfServiceUnlockApp>(app)
{
    private const string Lou = "lou.locked@example.com";
    private const string Sam = "sam.sms@example.com";

    public sealed class NoSelfServiceUnlockApp : PortalApp
    {
        protected override void ConfigureSandbox(SandboxOptions options) => options.Policy.SelfServiceUnlock = false;
    }


    [Fact]
    public async Task ALockedOutPersonWhoseRuleDeniesSelfServiceUnlockIsSentToTheHelpDeskAndNeitherResetNorUnlocked()
    {
        using var browser = await App.VerifiedWithSmsAsync(Lou);

        Assert.Equal("/reset/problem/unlock-not-allowed", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("Contact your help desk", browser.Heading);
        Assert.Equal(0, App.CallsFor(Lou, OktaOperations.UpdateUser));
        Assert.Equal(0, App.CallsFor(Lou, OktaOperations.UnlockUser));
        Assert.Equal("LOCKED_OUT", App.Okta.GetUser(Lou).Status);
    }

    [Fact]
    public async Task APersonWhoIsNotLockedOutResetsUnderTheSameRule()
    {
        using var browser = await App.VerifiedWithSmsAsync(Sam);

        Assert.Equal("/reset/password", browser.Location);
    }
}
