using System.Net;
using MfaReset.Testing.Browser;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>The inbox's mail (the portal's change notices in the demo): kept per user, shown encoded with its link, cleared by a reset.</summary>
public sealed class InboxMailTests
{
    [Fact]
    public async Task AMailShowsInItsUsersInboxAsTextWithItsWebAddressAsALink()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        sandbox.Control.DeliverMail(Demo.Tom, "Example: <your> password was reset", "Changed by <script>x</script>\nhttps://reset.example.com/notice/wasnt-me/abc\njavascript:alert(1)");

        using var response = await sandbox.Browser.GetAsync("simulator", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = HtmlPage.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var notice = Assert.Single(page.QuerySelectorAll(".mail .notice"));
        Assert.Contains("Tom", notice.Closest("section")!.QuerySelector("h2")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Example: <your> password was reset", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("Changed by <script>x</script>", notice.TextContent, StringComparison.Ordinal);
        Assert.Empty(notice.QuerySelectorAll("script"));
        Assert.Equal(["https://reset.example.com/notice/wasnt-me/abc"], notice.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.DoesNotContain(page.QuerySelectorAll("li"), li => li.TextContent.Contains("password was reset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MailIsKeptPerUserAnUnknownAddressHasNoInboxAndAResetEmptiesIt()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        sandbox.Control.DeliverMail(Demo.Tom, "first", "1");
        sandbox.Control.DeliverMail(Demo.Tom, "second", "2");

        Assert.Equal(["second", "first"], sandbox.Control.GetMail(Demo.Tom).Select(m => m.Subject));
        Assert.Empty(sandbox.Control.GetMail(Demo.Sam));
        Assert.Throws<KeyNotFoundException>(() => sandbox.Control.DeliverMail("nobody@example.com", "s", "t"));
        sandbox.Control.Reset();
        Assert.Empty(sandbox.Control.GetMail(Demo.Tom));
    }
}
