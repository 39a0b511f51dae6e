using System.Net;
using System.Text.RegularExpressions;
using MfaReset.Web.Hosting;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>The demo: with the embedded sandbox, notices are on and land in the phone simulator's inbox, link and all.</summary>
public sealed partial class SandboxInboxNoticeTests : IClassFixture<SandboxInboxNoticeTests.DemoPortal>
{
    private const string Login = "tom.totp@example.com";
    private readonly DemoPortal _app;

    public SandboxInboxNoticeTests(DemoPortal app) => _app = app;

    public sealed class DemoPortal : WebApplicationFactory<Program>
    {
        // The test server listens nowhere, so the demo's link names the address a developer's browser would use.
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder
            .UseEnvironment("Development")
            .UseSetting("Notifications:PortalUrl", "http://localhost:5048/")
            // Any free port: the sandbox's stable one belongs to EmbeddedSandboxTests, which may run at the same time.
            .UseSetting("Sandbox:Port", "0");
    }

    [Fact]
    public async Task AResetInTheDemoPutsItsNoticeInTheSimulatorsInboxWithALinkToTheConfirmation()
    {
        var cookies = new CookieContainer();
        using var browser = new PortalBrowser(_app.CreateDefaultClient(PortalBrowser.BaseAddress, new CookieContainerHandler(cookies)), cookies);
        var sandbox = _app.Services.GetRequiredService<SandboxInfo>();
        var inbox = sandbox.Control!;

        await browser.ChooseAsync(Login, "okta-code");
        await browser.EnterCodeAsync(inbox.GetTotpCodes(Login).Single().Code);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
        await Eventually.TrueAsync(() => inbox.GetMail(Login).Count == 1, "the notice reaches the simulator's inbox");

        var mail = inbox.GetMail(Login)[0];
        Assert.Equal(Login, mail.To);
        Assert.EndsWith(": your password was reset", mail.Subject, StringComparison.Ordinal);
        var link = LinkPattern().Match(mail.Text).Value;
        using var http = new HttpClient();
        var page = await http.GetStringAsync(sandbox.PhoneSimulatorUrl, TestContext.Current.CancellationToken);
        Assert.Contains($"<a href=\"{link}\">{link}</a>", page, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"http://localhost:5048/notice/wasnt-me/[A-Za-z0-9_-]{43}")]
    private static partial Regex LinkPattern();
}
