using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>The simulator's components encode what they show: a hostile name or message stays text, in content and in attributes.</summary>
public sealed class SimulatorEncodingTests
{
    private const string Hostile = "Eve \"'><script>alert(1)</script><img src=x onerror=alert(2)> O'Brien";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task AHostileDisplayNameLoginAndFactorLabelStayTextInHeadingsLinksAndAttributes()
    {
        var components = NewRenderer();
        var info = User(displayName: Hostile, login: Hostile + "@example.com", description: Hostile);
        var inbox = new RegionHtml("user-eve-inbox", await components.RenderAsync<InboxRegion>(nameof(InboxRegion.View), EmptyInbox(info)), Announce: $"Push waiting for {Hostile}.");
        var phone = new PhoneView("user-eve", info, Notice: null, inbox, Codes: null, [new TotpEnrollment("fac1", Hostile, "JBSWY3DPEHPK3PXP")], HasPush: true);

        var page = Parse(await components.RenderAsync<PhoneSection>(nameof(PhoneSection.Phone), phone));

        AssertNothingInjected(page);
        Assert.Equal($"{Hostile} {Hostile}@example.com", page.QuerySelector("h2")!.TextContent);
        Assert.Equal($"{Hostile}.", page.QuerySelector("h2 + p")!.TextContent);
        Assert.Equal($"Push waiting for {Hostile}.", page.GetElementById("user-eve-inbox")!.GetAttribute("data-announce"));
        Assert.Equal($"QR code of the {Hostile} of {Hostile}@example.com", page.QuerySelector("details img")!.GetAttribute("alt"));
        Assert.Equal($"/simulator/users/{System.Text.Encodings.Web.UrlEncoder.Default.Encode(Hostile + "@example.com")}/switches", page.QuerySelector("form.switches")!.GetAttribute("action"));
    }

    [Fact]
    public async Task AHostileSmsTextNumberAndMailStayTextInTheInbox()
    {
        var components = NewRenderer();
        var sms = new PhoneMessage("fac1", PhoneChannel.Sms, Hostile, "123456", Hostile, Now, Now.AddMinutes(5));
        var mail = new InboxMail(Hostile, Hostile, $"{Hostile}\njavascript:alert(3)", Now);
        var view = EmptyInbox(User(Hostile, "eve@example.com", "Hostile values")) with
        {
            MessageLists = [new MessageList("Messages", "No SMS or call yet.", [new ShownMessage(sms, sms.ExpiresAt, Gone: null)])],
            MailHeading = true,
            Mail = [mail],
        };

        var inbox = Parse(await components.RenderAsync<InboxRegion>(nameof(InboxRegion.View), view));

        AssertNothingInjected(inbox);
        var message = inbox.QuerySelector(".messages li")!;
        Assert.Equal(Hostile, message.QuerySelector("q")!.TextContent);
        Assert.StartsWith($"SMS to {Hostile} at 09:30:00 UTC (valid until 09:35:00 UTC): ", message.TextContent, StringComparison.Ordinal);
        Assert.Equal([$"Mail to {Hostile} at 09:30:00 UTC, subject {Hostile}:", $"{Hostile}javascript:alert(3)"], inbox.QuerySelectorAll(".mail p").Select(p => p.TextContent));
        Assert.Empty(inbox.QuerySelectorAll(".mail a"));
    }

    private static ComponentRenderer NewRenderer() => new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    private static SandboxUserInfo User(string displayName, string login, string description) => new(
        "00u1", login, displayName, "ACTIVE", description, IsDemoUser: true,
        [new SandboxFactorInfo("fac2", SandboxFactorKind.OktaVerifyPush, "push", "OKTA", displayName)],
        ScriptedPushOutcome.None, ScriptedCallFault.None, Now, SessionsRevoked: null, OAuthTokensRevoked: null, "OKTA", []);

    private static InboxView EmptyInbox(SandboxUserInfo info) =>
        new("user-eve", info.Status, Scripted: "", NotOffered: [], History: [], Pushes: [], MessageLists: [], MailHeading: false, Mail: [], NoFactors: false);

    private static IDocument Parse(Microsoft.AspNetCore.Components.MarkupString html) => new HtmlParser().ParseDocument(html.Value);

    private static void AssertNothingInjected(IDocument document)
    {
        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.Empty(document.QuerySelectorAll("img[src=x]"));
        Assert.DoesNotContain(document.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.Ordinal) || a.Name.Contains('\'', StringComparison.Ordinal));
    }
}
