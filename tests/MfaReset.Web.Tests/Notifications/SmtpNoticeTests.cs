using System.Net;
using System.Text.RegularExpressions;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Notifications;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>The portal with notices on, sending through smtp4dev (plain SMTP on loopback, as a local relay would take it).</summary>
public sealed class SmtpNoticeApp : PortalApp
{
    public Smtp4Dev Smtp { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:Enabled"] = "true",
        ["Notifications:PortalUrl"] = "https://reset.example.com/",
        ["Notifications:From"] = "Example Corp IT <no-reply@example.com>",
        ["Notifications:Smtp:Host"] = Smtp.Host,
        ["Notifications:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Smtp:Tls"] = "None",
        ["Branding:OrganizationName"] = "Example Corp",
        ["Branding:HelpDeskPhone"] = "+1 202 555 0100",
    };
}

/// <summary>
/// Notices received by a real SMTP server and read back: recipients, language, content, no secret; and the
/// received link leads to the confirmation that ends the person's sessions at the sandbox. One class, so the
/// tests share the server's mailbox one after another.
/// </summary>
public sealed partial class SmtpNoticeTests(SmtpNoticeApp app) : PortalTests<SmtpNoticeApp>(app)
{
    private const string Login = "tom.totp@example.com";

    private async Task<string> ResetAsync(string? language = null)
    {
        await App.Smtp.ClearAsync();
        using var browser = App.NewBrowser();
        if (language is not null)
        {
            browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        await browser.ChooseAsync(Login, "okta-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
        return Assert.Single(await App.Smtp.WaitForAsync(Login));
    }

    private static MimeMessage Parse(string raw) => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw)));

    [Fact]
    public async Task AResetSendsTheOwnerANoticeThatSaysWhatWhenFromWhereAndHowWithoutAnySecret()
    {
        var message = Parse(await ResetAsync());

        Assert.Equal(Login, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("no-reply@example.com", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Example Corp: your password was reset", message.Subject);
        Assert.Equal("en", message.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        var text = message.TextBody;
        Assert.Contains("Your password for Example Corp was reset.", text, StringComparison.Ordinal);
        Assert.Contains("(UTC)", text, StringComparison.Ordinal);
        Assert.Contains("Okta Verify code", text, StringComparison.Ordinal);
        Assert.Contains("+1 202 555 0100", text, StringComparison.Ordinal);
        Assert.Matches(LinkPattern(), text);
        Assert.DoesNotContain(PortalBrowser.Password, text, StringComparison.Ordinal);
        Assert.Null(message.HtmlBody);
    }

    [Fact]
    public async Task TheNoticeIsInTheLanguageTheResetUsed()
    {
        var message = Parse(await ResetAsync("de"));

        Assert.Equal("de", message.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Equal("Example Corp: Ihr Passwort wurde zurückgesetzt", message.Subject);
        Assert.Contains("Wenn Sie das waren, müssen Sie nichts tun.", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReceivedLinkAsksFirstThenEndsTheSessionsAtOktaAndCannotBeUsedAgain()
    {
        var link = LinkPattern().Match(Parse(await ResetAsync()).TextBody ?? string.Empty).Value;
        var path = new Uri(link).AbsolutePath;
        var revokedByReset = App.Okta.GetUser(Login).SessionsRevoked;
        using var owner = App.NewBrowser();

        // A GET (a mail scanner, or anyone the notice was forwarded to) only asks, and names nobody.
        await owner.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, owner.Response.StatusCode);
        Assert.Equal("Report a change you didn't make", owner.Heading);
        Assert.DoesNotContain("tom", owner.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(revokedByReset, App.Okta.GetUser(Login).SessionsRevoked);

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var token = path[(path.LastIndexOf('/') + 1)..];
        await owner.PostAsync("/notice/wasnt-me", ("Token", token));
        Assert.Equal(HttpStatusCode.OK, owner.Response.StatusCode);
        Assert.Equal("Your account is signed out everywhere", owner.Heading);
        Assert.Equal(App.Clock.GetUtcNow(), App.Okta.GetUser(Login).SessionsRevoked);
        var report = Assert.Single(await App.Services.GetRequiredService<IWasntMeReports>().ListAsync(App.Okta.GetUser(Login).Id, CancellationToken.None));
        Assert.True(report.SessionsEnded);

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await owner.GetAsync(path);
        Assert.True(owner.Response.StatusCode == HttpStatusCode.OK, owner.Response.StatusCode + owner.Html);
        await owner.PostAsync("/notice/wasnt-me", ("Token", token));
        Assert.Equal(HttpStatusCode.Gone, owner.Response.StatusCode);
        Assert.Equal("This link has been used already", owner.Heading);
        Assert.Equal(App.Clock.GetUtcNow() - TimeSpan.FromMinutes(1), App.Okta.GetUser(Login).SessionsRevoked);
    }

    [Fact]
    public async Task AValidLinkAndAForgedOneShowTheSamePageUntilConfirmed()
    {
        var path = new Uri(LinkPattern().Match(Parse(await ResetAsync()).TextBody ?? string.Empty).Value).AbsolutePath;
        using var browser = App.NewBrowser();

        await browser.GetAsync(path);
        var real = Masked(browser.HtmlWithoutRequestTokens, path);
        await browser.GetAsync("/notice/wasnt-me/" + MfaReset.Web.Reset.State.FlowSecrets.NewSecret());
        var forged = Masked(browser.HtmlWithoutRequestTokens, browser.Response.RequestMessage!.RequestUri!.AbsolutePath);

        Assert.Equal(real, forged);
    }

    // The token each page carries in its form is its own; everything else must match.
    private static string Masked(string html, string path) => html.Replace(path[(path.LastIndexOf('/') + 1)..], "TOKEN", StringComparison.Ordinal);

    [GeneratedRegex(@"https://reset\.example\.com/notice/wasnt-me/[A-Za-z0-9_-]{43}")]
    private static partial Regex LinkPattern();
}
