using System.Net;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using Microsoft.Extensions.Options;

namespace MfaReset.Okta.Tests;

/// <summary>Request details no fixture shows: encoding of user input, the sessions DELETE, push preconditions, where the token goes.</summary>
public sealed class RequestShapeTests(ReplayContext okta) : IClassFixture<ReplayContext>
{
    private static readonly StubResponse UserAnswer = StubResponse.Json(200, """{"id":"00u1","status":"ACTIVE","profile":{"login":"x"}}""");

    [Theory]
    [InlineData("isaac.brock@example.com", "/api/v1/users/isaac.brock%40example.com")]
    [InlineData("dept/ada+test@example.com", "/api/v1/users/dept%2Fada%2Btest%40example.com")]
    [InlineData("ada lovelace", "/api/v1/users/ada%20lovelace")]
    [InlineData("ada?admin=true#x", "/api/v1/users/ada%3Fadmin%3Dtrue%23x")]
    [InlineData("../groups", "/api/v1/users/..%2Fgroups")]
    [InlineData("zoë@example.com", "/api/v1/users/zo%C3%AB%40example.com")]
    public async Task LoginIsSentAsOneEncodedPathSegment(string login, string rawPath)
    {
        await okta.ServeAsync(UserAnswer, c => c.GetUserAsync(login));

        var request = okta.Stub.SingleRequest();
        Assert.Equal(rawPath, request.RawPath);
        Assert.Empty(request.Query);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(" ")]
    public async Task LoginThatCannotBeAPathSegmentIsRejectedBeforeAnyRequest(string login)
    {
        okta.Stub.Serve(UserAnswer);

        await Assert.ThrowsAsync<ArgumentException>(() => okta.Client.GetUserAsync(login, TestContext.Current.CancellationToken));

        Assert.Empty(okta.Stub.Requests);
        Assert.False(OktaPathSegment.CanName(login)); // the check callers make on typed input first
        Assert.True(OktaPathSegment.CanName("..." + login));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, null)]
    public async Task RevokeSessionsSendsADeleteAndAsksForOAuthTokensOnlyWhenTold(bool revokeOAuthTokens, string? oauthTokens)
    {
        var result = await okta.ServeAsync(new StubResponse(204, new Dictionary<string, string>(), null), c => c.RevokeSessionsAsync("00ub0oNGTSWTBKOLGLNR", revokeOAuthTokens));

        Assert.IsType<OktaResult<NoContent>.Ok>(result);
        var query = oauthTokens is null ? ExpectedRequest.NoQuery : new Dictionary<string, string> { ["oauthTokens"] = oauthTokens };
        ContractAssert.RequestMatches(new ExpectedRequest("DELETE", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/sessions", query, Body: null), okta.Stub.SingleRequest());
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public async Task RevokeSessionsSendsForgetDevicesWhenGiven(bool forgetDevices, string sent)
    {
        var result = await okta.ServeAsync(new StubResponse(204, new Dictionary<string, string>(), null), c => c.RevokeSessionsAsync("00ub0oNGTSWTBKOLGLNR", revokeOAuthTokens: true, forgetDevices));

        Assert.IsType<OktaResult<NoContent>.Ok>(result);
        var query = new Dictionary<string, string> { ["oauthTokens"] = "true", ["forgetDevices"] = sent };
        ContractAssert.RequestMatches(new ExpectedRequest("DELETE", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/sessions", query, Body: null), okta.Stub.SingleRequest());
    }

    [Fact]
    public async Task PushWithoutNumberMatchingSendsNoBodyButForwardsTheEndUser()
    {
        var context = new PushRequestContext("2001:db8::7", "Mozilla/5.0 (Macintosh) Safari/605.1.15", UseNumberMatching: false);

        await okta.ServeAsync(StubResponse.Json(201, """{"factorResult":"WAITING","_links":{"poll":{"href":"{orgUrl}/api/v1/users/u/factors/f/transactions/t"}}}"""), c => c.SendPushAsync("00u1", "opf1", context));

        ContractAssert.RequestMatches(
            new ExpectedRequest("POST", "/api/v1/users/00u1/factors/opf1/verify", ExpectedRequest.NoQuery, Body: null, context.UserAgent, context.ClientIp),
            okta.Stub.SingleRequest());
    }

    /// <summary>Issue 22 item 9: a code's send and its check name the person to Okta like a push does.</summary>
    [Fact]
    public async Task CodeSendsAndChecksForwardTheEndUser()
    {
        var person = new OktaEndUser("203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
        await okta.ServeAsync(StubResponse.Json(200, """{"factorResult":"CHALLENGE"}"""), c => c.ChallengeAsync("00u1", "sms1", null, person));
        var send = okta.Stub.SingleRequest();
        await okta.ServeAsync(StubResponse.Json(200, """{"factorResult":"SUCCESS"}"""), c => c.VerifyPasscodeAsync("00u1", "sms1", "123456", person));
        var check = okta.Stub.SingleRequest();
        await okta.ServeAsync(StubResponse.Json(200, """{"factorResult":"CHALLENGE"}"""), c => c.ChallengeEmailAsync("00u1", "emf1", TimeSpan.FromMinutes(5), null, person));
        var email = okta.Stub.SingleRequest();

        Assert.All([send, check, email], request =>
        {
            Assert.Equal(person.ClientIp, request.Header("X-Forwarded-For"));
            Assert.Equal(person.UserAgent, request.Header("User-Agent"));
        });
    }

    [Theory]
    [InlineData("-", "-")]
    [InlineData("not an address", "Mozilla/5.0\r\nX-Injected: 1")]
    public async Task AnEndUserOktaCouldNotUseIsLeftOutRatherThanSent(string clientIp, string userAgent)
    {
        var person = new OktaEndUser(clientIp, userAgent);

        await okta.ServeAsync(StubResponse.Json(200, """{"factorResult":"SUCCESS"}"""), c => c.VerifyPasscodeAsync("00u1", "sms1", "123456", person));

        var request = okta.Stub.SingleRequest();
        Assert.Null(request.Header("X-Forwarded-For"));
        Assert.NotEqual(person.UserAgent, request.Header("User-Agent"));
    }

    [Theory]
    [InlineData("es", "es")]
    [InlineData("de-AT", "de-AT")]
    [InlineData(null, null)]
    [InlineData("es\r\nX-Injected: 1", null)]
    [InlineData("*", null)]
    public async Task ChallengeAsksOktaForThePersonsLanguageOnlyAsAPlainLanguageTag(string? language, string? acceptLanguage)
    {
        await okta.ServeAsync(StubResponse.Json(200, """{"factorResult":"CHALLENGE"}"""), c => c.ChallengeAsync("00u1", "sms1", language));

        var request = okta.Stub.SingleRequest();
        Assert.Equal("/api/v1/users/00u1/factors/sms1/verify", request.RawPath);
        Assert.Equal(acceptLanguage, request.Header("Accept-Language"));
    }

    [Fact]
    public async Task EmailChallengeAsksOktaForThePersonsLanguage()
    {
        await okta.ServeAsync(StubResponse.Json(200, """{"factorResult":"CHALLENGE"}"""), c => c.ChallengeEmailAsync("00u1", "emf1", TimeSpan.FromMinutes(5), "fr"));

        var request = okta.Stub.SingleRequest();
        Assert.Equal("/api/v1/users/00u1/factors/emf1/verify", request.RawPath);
        Assert.Equal("fr", request.Header("Accept-Language"));
    }

    [Theory]
    [InlineData("203.0.113.9", "")]
    [InlineData("203.0.113.9", "   ")]
    [InlineData("203.0.113.9", "Mozilla/5.0\r\nX-Injected: 1")]
    [InlineData("", "Mozilla/5.0")]
    [InlineData("not-an-ip", "Mozilla/5.0")]
    [InlineData("203.0.113.9, 10.0.0.1", "Mozilla/5.0")]
    public async Task PushWithoutAUsableEndUserIsRefusedBeforeAnyRequest(string clientIp, string userAgent)
    {
        okta.Stub.Serve(UserAnswer);

        var result = await okta.Client.SendPushAsync("00u1", "opf1", new PushRequestContext(clientIp, userAgent, UseNumberMatching: true), TestContext.Current.CancellationToken);

        Assert.IsType<FactorVerifyResult.Refused>(result);
        Assert.Empty(okta.Stub.Requests);
    }

    [Fact]
    public async Task TokenIsAttachedOnlyToRequestsForTheOrg()
    {
        var options = Options.Create(new OktaOptions { OrgUrl = new Uri("https://example.okta.com"), ApiToken = ClientHost.ApiToken });
        var network = new ScriptedHandler();
        using var invoker = new HttpMessageInvoker(new SswsAuthenticationHandler(options) { InnerHandler = network });

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://example.okta.com.evil.example/api/v1/users/x"), TestContext.Current.CancellationToken));
        Assert.Equal(0, network.RequestCount);

        var own = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://example.okta.com/api/v1/users/x"), TestContext.Current.CancellationToken);
        var sent = await network.NextRequestAsync();
        sent.Respond(HttpStatusCode.OK, "{}");
        using var response = await own;
        Assert.Equal($"SSWS {ClientHost.ApiToken}", sent.Request.Headers.Authorization?.ToString());
    }
}
