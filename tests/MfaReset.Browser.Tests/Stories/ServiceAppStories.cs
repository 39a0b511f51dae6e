using MfaReset.Browser.Tests.Support;
using static MfaReset.Browser.Tests.Pages.ResetPortal;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>The portal calling Okta as an OAuth service app (private-key JWT) instead of with an SSWS token.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class ServiceAppStories(StoryFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// <c>Okta:Authorization=PrivateKeyJwt</c> against the embedded sandbox set to require DPoP with a nonce:
    /// the client gets a DPoP-bound token after Okta's nonce answer, and a whole text-message reset goes through.
    /// </summary>
    [Fact]
    public Task ServiceAppWithDpopNonceDoesAWholeSmsReset() =>
        fixture.PlayAsync(output, Scripting.Enabled, settings: ServiceAppWithDpopNonce, story: async story =>
        {
            var sam = DemoUser.Sam;
            var passwordBefore = await story.Org.PasswordChangedAsync(sam.Login);

            await CodeStories.ResetWithSentCodeAsync(story, sam, Methods.Sms, Headings.GetSmsCode, "Send code", (phone, name) => phone.ReadTextMessageCodeAsync(name));

            Assert.True(await story.Org.PasswordChangedAsync(sam.Login) > passwordBefore, "Okta never received the new password.");
        });

    private static readonly Dictionary<string, string?> ServiceAppWithDpopNonce = new()
    {
        ["Okta:Authorization"] = "PrivateKeyJwt",
        ["Sandbox:ServiceApp:RequireDpop"] = "true",
        ["Sandbox:ServiceApp:RequireDpopNonce"] = "true",
    };
}
