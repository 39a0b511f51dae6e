using System.Net;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// A second flow under another spelling of a name (its short name, another case) while the first holds the
/// person's send lease: over HTTP against the sandbox, which resolves short names as Okta does, a real
/// account and an unknown name get the same "sent" page, and only the real one's phone got one text.
/// </summary>
public sealed class EquivalentSpellingsStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    [Fact]
    public async Task AShortNameWhileTheLoginHoldsTheSendGetsTheSameSentPageForARealAndAnUnknownName()
    {
        using var real = await SecondSpellingSendsAsync("sam.sms@example.com", "sam.sms");
        using var unknown = await SecondSpellingSendsAsync("sid.sms@example.com", "sid.sms");

        Assert.Equal(HttpStatusCode.OK, real.Response.StatusCode);
        Assert.Equal("Enter the code we sent", real.Heading);
        Assert.Equal(unknown.Response.StatusCode, real.Response.StatusCode);
        Assert.Equal(unknown.HtmlWithoutRequestTokens, real.HtmlWithoutRequestTokens);
        Assert.Single(App.Okta.GetMessages("sam.sms@example.com"));
    }

    [Fact]
    public async Task AnUnknownShortNameSharesTheLoginsPauseLikeARealOne()
    {
        foreach (var (login, shortName, peer) in new[] { ("tom.totp@example.com", "tom.totp", "198.51.100.51"), ("tim.totp@example.com", "tim.totp", "198.51.100.52") })
        {
            using var browser = App.NewBrowser();
            browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, peer);
            await browser.ChooseAsync(login, "okta-code");
            for (var i = 0; i < 3; i++)
            {
                await browser.EnterCodeAsync(App.WrongTotp(login));
            }

            App.Clock.Advance(TimeSpan.FromMinutes(16));
            await browser.ChooseAsync(shortName, "okta-code");
            await browser.EnterCodeAsync(App.WrongTotp(login));
            await browser.ChooseAsync(shortName, "okta-code");
            await browser.EnterCodeAsync(App.WrongTotp(login));

            Assert.Equal("/reset/problem/verification-paused", browser.Location);
        }
    }

    /// <summary>A flow for <paramref name="first"/> sends a text; a second browser then asks under <paramref name="second"/>.</summary>
    private async Task<PortalBrowser> SecondSpellingSendsAsync(string first, string second)
    {
        using var holder = App.NewBrowser();
        await holder.ChooseAsync(first, "sms");
        await holder.SendCodeAsync();
        Assert.Equal("Enter the code we sent", holder.Heading);

        var browser = App.NewBrowser();
        await browser.ChooseAsync(second, "sms");
        await browser.SendCodeAsync();
        return browser;
    }
}
