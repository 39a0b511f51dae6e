using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The portal as an OAuth service app whose scopes Okta does not grant: the token endpoint refuses it.</summary>
public sealed class ServiceAppWithoutGrantsPortal : PortalApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Okta:Authorization"] = "PrivateKeyJwt",
        ["Okta:ClientId"] = Sandbox.ServiceApp.ClientId,
        ["Okta:KeyId"] = Sandbox.ServiceApp.KeyId,
        ["Okta:PrivateKey"] = Sandbox.ServiceApp.DemoPrivateKeyPem,
    };

    protected override void ConfigureSandbox(SandboxOptions options) => options.ServiceApp.GrantedScopes = ["okta.users.read"];
}

/// <summary>
/// A token endpoint that refuses the portal is an outage for everyone: the same page for every username,
/// known or not, and Okta's error code in the log without the client assertion.
/// </summary>
public sealed class ServiceAppOutageTests(ServiceAppWithoutGrantsPortal app) : PortalTests<ServiceAppWithoutGrantsPortal>(app)
{
    [Theory]
    [InlineData("sam.sms@example.com")]
    [InlineData("nobody.at.all@example.com")]
    public async Task RefusedServiceAppShowsTheSameUnavailablePageForEveryUsername(string login)
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");

        await browser.PostAsync("/", ("Input.Username", login));
        Assert.Equal("/reset/problem/unavailable", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        Assert.Equal("The service is temporarily unavailable", browser.Heading);
        Assert.DoesNotContain("consent_required", browser.Html, StringComparison.Ordinal);
        Assert.Contains("consent_required", App.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("client_assertion", App.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", App.Logs.AllText(), StringComparison.Ordinal);
    }
}
