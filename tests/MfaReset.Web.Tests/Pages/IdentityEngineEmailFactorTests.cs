using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

// Okta's Factors API on Identity Engine orgs: listFactors answers per the enrollment policy evaluated in the caller's
// network zone, and a user's verified primary email always appears as an email factor (docs/okta-setup.md, issue 22
// item 12). The sandbox lists it with Sandbox:IdentityEngineEmailFactor; Sam enrolled only SMS.

/// <summary>Email not in Reset:EnabledFactorKinds: the email factor Okta lists is never offered nor challenged.</summary>
public sealed class IdentityEngineEmailFactorNotEnabledTests(IdentityEngineEmailFactorNotEnabledTests.IdentityEnginePortal app)
    : PortalTests<IdentityEngineEmailFactorNotEnabledTests.IdentityEnginePortal>(app)
{
    private const string Sam = "sam.sms@example.com";

    [Fact]
    public async Task TheListedPrimaryEmailIsNotOfferedAndAChoiceOfItSendsNothing()
    {
        Assert.Contains(App.Okta.GetUser(Sam).Factors, f => f.Kind == SandboxFactorKind.Email);
        using var browser = App.NewBrowser();

        await browser.StartAsync(Sam);
        var labels = browser.Page.QuerySelectorAll("label").Select(l => l.TextContent.Trim()).ToList();
        await browser.PostAsync("/reset/method", ("Input.Choice", "email"));

        Assert.Contains("Text message (SMS)", labels);
        Assert.DoesNotContain(labels, l => l.Contains("mail", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Choose one of the methods listed.", Assert.Single(browser.Errors));
        Assert.Empty(App.Okta.GetMessages(Sam));
        Assert.False(App.Okta.GetCallCounts().ByOperation.ContainsKey(OktaOperations.VerifyFactor));
    }

    public sealed class IdentityEnginePortal : PortalApp
    {
        protected override void ConfigureSandbox(SandboxOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.IdentityEngineEmailFactor = true;
        }
    }
}

/// <summary>Email in Reset:EnabledFactorKinds: the listed primary email is offered and a reset by it completes.</summary>
public sealed class IdentityEngineEmailFactorEnabledTests(IdentityEngineEmailFactorEnabledTests.IdentityEngineEmailPortal app)
    : PortalTests<IdentityEngineEmailFactorEnabledTests.IdentityEngineEmailPortal>(app)
{
    private const string Sam = "sam.sms@example.com";

    [Fact]
    public async Task ThePersonResetsByACodeSentToTheirPrimaryEmail()
    {
        using var browser = App.NewBrowser();

        await browser.ChooseAsync(Sam, "email");
        await browser.SendCodeAsync();
        var email = Assert.Single(App.Okta.GetMessages(Sam));
        await browser.EnterCodeAsync(email.Code);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();

        Assert.Equal(PhoneChannel.Email, email.Channel);
        Assert.Equal(Sam, email.PhoneNumber);
        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Sam, PortalBrowser.Password));
    }

    public sealed class IdentityEngineEmailPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:EnabledFactorKinds:0"] = "Sms",
            ["Reset:EnabledFactorKinds:1"] = "Email",
        };

        protected override void ConfigureSandbox(SandboxOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.IdentityEngineEmailFactor = true;
        }
    }
}
