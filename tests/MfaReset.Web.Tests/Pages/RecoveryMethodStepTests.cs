using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Issue 22 item 3 against the sandbox's default rule, whose <c>otp</c> carries the constraint the spec requires
/// (Google Authenticator only), with no operator setting beyond the rule: Tom's Okta Verify code is not a recovery
/// method, Gail's Google Authenticator code is.
/// </summary>
public sealed class RecoveryMethodStepTests(RecoveryMethodStepTests.RuleOnlyApp app) : PortalTests<RecoveryMethodStepTests.RuleOnlyApp>(app)
{
    public sealed class RuleOnlyApp : PortalApp
    {
        protected override bool AcceptsOktaVerifyCodes => false;
    }

    [Fact]
    public async Task AnOktaVerifyCodeIsNotARecoveryMethodWhereTheRulesOtpMeansGoogleAuthenticator()
    {
        using var browser = await App.VerifiedWithAppCodeAsync("tom.totp@example.com", "okta-code");

        await browser.FollowsToRefusalAsync("/reset/problem/method-not-allowed", "Use another method");
        Assert.Equal(0, App.CallsFor("tom.totp@example.com", OktaOperations.UpdateUser));
    }

    [Fact]
    public async Task AGoogleAuthenticatorCodeStartsTheReset()
    {
        using var browser = await App.VerifiedWithAppCodeAsync("gail.google@example.com", "google-code");

        Assert.Equal("/reset/password", browser.Location);
    }
}

/// <summary>
/// Issue 22 item 4: the sandbox's default rule says <c>accessControl: AUTH_POLICY</c> (Okta's account management
/// policy decides, which the portal does not read): without the operator's setting nothing is allowed here.
/// </summary>
public sealed class AuthPolicyRuleStepTests(AuthPolicyRuleStepTests.AuthPolicyApp app) : PortalTests<AuthPolicyRuleStepTests.AuthPolicyApp>(app)
{
    public sealed class AuthPolicyApp : PortalApp
    {
        protected override void ConfigureSandbox(SandboxOptions options) => options.Policy.AccessControl = "AUTH_POLICY";
    }

    [Fact]
    public async Task ARuleDeferringToTheAccountManagementPolicyFailsClosedOnTheHelpDeskPage()
    {
        using var browser = await App.VerifiedWithSmsAsync("sam.sms@example.com");

        await browser.FollowsToRefusalAsync("/reset/problem/reset-not-allowed", "Contact your help desk");
        Assert.Equal(0, App.CallsFor("sam.sms@example.com", OktaOperations.UpdateUser));
    }
}

/// <summary>The same rule with <c>Reset:AcceptAuthPolicyRuleMethods</c>: the rule's own methods start a reset.</summary>
public sealed class AcceptedAuthPolicyRuleStepTests(AcceptedAuthPolicyRuleStepTests.AcceptingApp app) : PortalTests<AcceptedAuthPolicyRuleStepTests.AcceptingApp>(app)
{
    public sealed class AcceptingApp : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Reset:AcceptAuthPolicyRuleMethods"] = "true" };

        protected override void ConfigureSandbox(SandboxOptions options) => options.Policy.AccessControl = "AUTH_POLICY";
    }

    [Fact]
    public async Task WithTheOperatorsSettingTheRulesOwnMethodsStartTheReset()
    {
        using var browser = await App.VerifiedWithSmsAsync("sam.sms@example.com");

        Assert.Equal("/reset/password", browser.Location);
    }
}

/// <summary>
/// Issue 22 item 5: the sandbox's default rule lets only SMS start recovery and asks a step-up without methods,
/// which the spec reads as "any SSO authenticator": Max's SMS is followed by a second check, which his Google
/// Authenticator code (not a primary method) may be.
/// </summary>
public sealed class StepUpStepTests(StepUpStepTests.StepUpApp app) : PortalTests<StepUpStepTests.StepUpApp>(app)
{
    private const string Max = "max.multi@example.com";

    public sealed class StepUpApp : PortalApp
    {
        protected override bool AcceptsOktaVerifyCodes => false;

        protected override void ConfigureSandbox(SandboxOptions options) => (options.Policy.Methods, options.Policy.StepUpRequired) = (["sms"], true);
    }

    [Fact]
    public async Task AStepUpWithoutMethodsTakesAnyOtherMethodAsTheSecondCheckAndNeverSkipsIt()
    {
        using var browser = await App.VerifiedWithSmsAsync(Max);

        Assert.Equal("/reset/method", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(0, App.CallsFor(Max, OktaOperations.UpdateUser));
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "google-code"));
        await App.EnterAppCodeAsync(browser, Max, SandboxFactorKind.GoogleAuthenticator);
        Assert.Equal("/reset/password", browser.Location);
    }
}
