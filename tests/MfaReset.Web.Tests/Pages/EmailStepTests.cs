using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>A reset by an emailed code through the pages, against the sandbox's inbox and its E0000118 throttle.</summary>
public sealed class EmailStepTests(EmailStepTests.EmailPortal app) : PortalTests<EmailStepTests.EmailPortal>(app)
{
    private const string Emma = "emma.email@example.com";

    [Fact]
    public async Task ResetByEmailCodeWithAWrongCodeAndAResendInsideOktasThrottle()
    {
        using var browser = App.NewBrowser();
        await browser.StartAsync(Emma);
        Assert.Contains("Email me a code", browser.Page.QuerySelectorAll("label").Select(l => l.TextContent.Trim()));
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "email"));
        Assert.Equal("Get a code by email", browser.Heading);
        Assert.Empty(App.Okta.GetMessages(Emma));

        await browser.SendCodeAsync();
        Assert.Equal("Enter the code we emailed you", browser.Heading);
        var email = Assert.Single(App.Okta.GetMessages(Emma));
        Assert.Equal(PhoneChannel.Email, email.Channel);
        // tokenLifetimeSeconds: the code lives as long as the code page waits (Reset:IdleTimeout).
        Assert.Equal(App.Clock.GetUtcNow().AddMinutes(5), email.ExpiresAt);

        await browser.EnterCodeAsync(email.Code == "000000" ? "111111" : "000000");
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.StartsWith("That code didn't work", Assert.Single(browser.Errors), StringComparison.Ordinal);

        // Past the portal's 30 s pause, still inside Okta's throttle (60 s in this sandbox): Okta answers 429 E0000118.
        App.Clock.Advance(TimeSpan.FromSeconds(31));
        await browser.SendCodeAsync();
        Assert.Contains("We didn't send an email", browser.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Single(App.Okta.GetMessages(Emma));

        await browser.EnterCodeAsync(email.Code);
        Assert.Equal("/reset/password", browser.Location);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Emma, PortalBrowser.Password));
    }

    [Fact]
    public async Task UnknownUsernameSeesTheSameEmailPagesAndNothingIsSent()
    {
        using var real = App.NewBrowser();
        using var unknown = App.NewBrowser();

        await real.ChooseAsync(Emma, "email");
        await unknown.ChooseAsync("someone.else@example.com", "email");
        Assert.Equal(real.HtmlWithoutRequestTokens, unknown.HtmlWithoutRequestTokens);
        await unknown.SendCodeAsync();

        Assert.Equal("Enter the code we emailed you", unknown.Heading);
        Assert.False(App.Okta.GetCallCounts().ByOperation.ContainsKey(OktaOperations.VerifyFactor));
    }

    public sealed class EmailPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:EnabledFactorKinds:0"] = "OktaVerifyPush",
            ["Reset:EnabledFactorKinds:1"] = "Sms",
            ["Reset:EnabledFactorKinds:2"] = "Email",
        };

        protected override void ConfigureSandbox(SandboxOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.EmailResendCooldown = TimeSpan.FromSeconds(60);
        }
    }
}
