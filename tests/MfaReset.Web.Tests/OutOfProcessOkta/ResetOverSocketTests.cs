using System.Net;

namespace MfaReset.Web.Tests.OutOfProcessOkta;

/// <summary>Whole resets through the real portal host against WireMock serving the contract fixtures over a socket.</summary>
public sealed class ResetOverSocketTests
{
    private const string User = "/api/v1/users/00ub0oNGTSWTBKOLGLNR";
    private const string EmailFactor = User + "/factors/emfnf3gSScB8xXoXK0g3";

    [Theory]
    [InlineData(false)] // getUser/by-login as captured, without an ETag: as from an org that sends none
    [InlineData(true)] // with the ETag the spec documents for every getUser answer
    public async Task EmailCodeResetMakesExactlyTheCallsOfTheContractInOrder(bool loginReadCarriesETag)
    {
        await using var okta = new WireMockOkta(loginReadCarriesETag: loginReadCarriesETag);
        using var browser = okta.NewBrowser();

        await browser.ChooseAsync(OktaContractMappings.Login, "email");
        await browser.SendCodeAsync();
        await browser.EnterCodeAsync("123456"); // email-verify.200's passCode
        Assert.Equal("/reset/password", browser.Location);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);

        // The login is looked up once; the recovery rule and roles are read only after verification; the person's
        // groups are not read, since the fixtures' only policy is the Default Policy (Everyone's); nothing such as
        // Okta's own reset_password or expire_password is ever called. With the ETag the set names it in If-Match and
        // needs no read before it; without, passwordChanged is read again before an unconditional set, as at the start.
        Assert.Equal(
            [
                "GET /api/v1/users/isaac.brock@example.com",
                $"GET {User}/factors",
                $"POST {EmailFactor}/verify?tokenLifetimeSeconds=300",
                $"POST {EmailFactor}/verify",
                $"GET {User}/roles",
                "GET /api/v1/policies?type=PASSWORD",
                "GET /api/v1/policies/00plrilJ7jZ66Gn0X0g3/rules",
                .. loginReadCarriesETag ? (string[])[] : [$"GET {User}"],
                $"POST {User}?strict=true",
                $"DELETE {User}/sessions?oauthTokens=true&forgetDevices=true",
            ],
            okta.Calls);
        Assert.All(okta.WireMock.LogEntries, e =>
        {
            Assert.Equal($"SSWS {WireMockOkta.ApiToken}", e.RequestMessage.Headers!["Authorization"].Single());
            Assert.NotNull(e.MappingTitle); // every call answered by a fixture, none fell through to WireMock's 404
        });
        var setPassword = okta.WireMock.LogEntries.Single(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == User).RequestMessage;
        Assert.Equal(loginReadCarriesETag ? OktaContractMappings.DocumentedETag : null, setPassword.Headers!.TryGetValue("If-Match", out var ifMatch) ? ifMatch.Single() : null);
    }

    [Fact]
    public async Task WrongCodeGetsTheFixturesInvalidPasscodeAndTheRightOneStillWorks()
    {
        await using var okta = new WireMockOkta();
        using var browser = okta.NewBrowser();
        await browser.ChooseAsync(OktaContractMappings.Login, "email");
        await browser.SendCodeAsync();

        await browser.EnterCodeAsync("654321");
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.NotEmpty(browser.Errors);
        await browser.EnterCodeAsync("123456");

        Assert.Equal("/reset/password", browser.Location);
        Assert.Equal(
            ["verifyFactor/email-challenge.200", "verifyFactor/email-verify-invalid-passcode.403", "verifyFactor/email-verify.200"],
            okta.WireMock.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => e.MappingTitle).Where(t => t!.StartsWith("verifyFactor/", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Issue 22 item 9: the person's address (as the portal resolved it) and browser go to Okta on every verify call,
    /// the code's send and its check as much as a push, so Okta's System Log and risk checks see the person.
    /// </summary>
    [Fact]
    public async Task EveryVerifyCallCarriesThePersonsAddressAndBrowserAtTheWire()
    {
        await using var okta = new WireMockOkta();
        using var browser = okta.NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(Support.PeerAddressFilter.Header, "203.0.113.7");
        await browser.ChooseAsync(OktaContractMappings.Login, "email");
        await browser.SendCodeAsync();
        await browser.EnterCodeAsync("123456");
        Assert.Equal("/reset/password", browser.Location);

        var verifies = okta.WireMock.LogEntries.Select(e => e.RequestMessage).Where(m => m.Path.EndsWith("/verify", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, verifies.Count);
        Assert.All(verifies, m =>
        {
            var headers = m.Headers!.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            Assert.Equal("203.0.113.7", headers["X-Forwarded-For"]);
            Assert.Equal("Mozilla/5.0 (X11; Linux x86_64) MfaResetTests/1.0", headers["User-Agent"]);
        });
    }
}
