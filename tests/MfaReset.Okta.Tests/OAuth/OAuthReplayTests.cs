using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.OAuth;

/// <summary>One loopback stub for the class; each test builds its own client, so no token is carried over.</summary>
public sealed class OAuthStubContext : IAsyncLifetime
{
    private OktaStub? _stub;

    public TestClock Clock { get; } = new(ReplayContext.ReplayNow);

    public OktaStub Stub => _stub ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _stub = await OktaStub.StartAsync(Clock);

    public async ValueTask DisposeAsync()
    {
        if (_stub is not null)
        {
            await _stub.DisposeAsync();
        }
    }
}

/// <summary>
/// Every <c>oauthToken/</c> fixture through the client configured as a service app (private-key JWT), the
/// token endpoint and the Management API answering from the fixtures. Multi-step answers chain the files the
/// way Okta documents them: <c>use_dpop_nonce</c> then the DPoP token.
/// </summary>
public sealed class OAuthReplayTests(OAuthStubContext context) : IClassFixture<OAuthStubContext>
{
    private const string UserId = "00ub0oNGTSWTBKOLGLNR";

    public static TheoryData<string> TokenFixtures => new(ContractFixture.Files("oauthToken").Where(f => ContractFixture.Load(f).OperationId == "token"));

    public static TheoryData<string> ApiCallFixtures => new(ContractFixture.Files("oauthToken").Where(f => ContractFixture.Load(f).OperationId != "token"));

    private OktaStub Stub => context.Stub;

    private static StubResponse File(string name) => ContractFixture.Load($"oauthToken/{name}").Response.ToStub();

    private static StubResponse UserAnswer => ContractFixture.Load("getUser/by-id.200.json").Response.ToStub();

    /// <summary>
    /// Token answers: a Bearer or DPoP token is used on the next API call with its own scheme; <c>use_dpop_nonce</c>
    /// is retried once with Okta's nonce; <c>invalid_dpop_proof</c> to a proof-less request (an app that requires
    /// DPoP) is retried once with a proof; every other error is an outage of every call, logged with Okta's error
    /// code and never with the assertion.
    /// </summary>
    [Theory]
    [MemberData(nameof(TokenFixtures))]
    public async Task TokenEndpointFixtureReplaysThroughTheServiceAppClient(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        Assert.Equal(("POST", ServiceApp.TokenPath), (request.Method, request.Path));
        var error = fixture.Response.Body?["error"]?.GetValue<string>();
        var sentWithProof = request.Headers.ContainsKey("DPoP");

        Stub.Serve(UserAnswer);
        var tokenAnswers = (fixture.Response.Status, error, sentWithProof) switch
        {
            (200, _, false) => [fixture.Response.ToStub()],
            (200, _, true) => [File("client-credentials-dpop-nonce-required.400.json"), fixture.Response.ToStub()],
            (_, "use_dpop_nonce", _) => [fixture.Response.ToStub(), File("client-credentials-dpop.200.json")],
            (_, "invalid_dpop_proof", false) => new[] { fixture.Response.ToStub(), File("client-credentials-dpop-nonce-required.400.json"), File("client-credentials-dpop.200.json") },
            _ => [fixture.Response.ToStub()],
        };
        Stub.ServeAt(ServiceApp.TokenPath, tokenAnswers);
        await using var host = ServiceApp.Client(Stub, context.Clock);

        var result = await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);

        var tokenRequests = Stub.RequestsTo(ServiceApp.TokenPath);
        foreach (var sent in tokenRequests)
        {
            var form = ServiceApp.Form(sent);
            Assert.Equal("client_credentials", form["grant_type"]);
            Assert.Equal(request.Body!["client_assertion_type"]!.GetValue<string>(), form["client_assertion_type"]);
            Assert.Equal("okta.groups.read okta.policies.read okta.roles.read okta.users.manage okta.users.read", form["scope"]);
            Assert.Equal("application/x-www-form-urlencoded", sent.Header("Content-Type"));
            Assert.Equal("application/json", sent.Header("Accept"));
            ServiceApp.ValidAssertion(form["client_assertion"], Stub.BaseUrl, context.Clock.GetUtcNow());
            Assert.DoesNotContain(form["client_assertion"], host.Logs.AllText(), StringComparison.Ordinal);
        }

        // A client assertion is single use: every request carries a new one.
        Assert.Equal(tokenRequests.Count, tokenRequests.Select(r => ServiceApp.Form(r)["client_assertion"]).Distinct().Count());
        Assert.DoesNotContain("PRIVATE KEY", host.Logs.AllText(), StringComparison.Ordinal);
        var apiCalls = Stub.RequestsTo($"/api/v1/users/{UserId}");
        var issued = tokenAnswers[^1].Status == 200;
        if (!issued || error == "invalid_dpop_proof" && sentWithProof)
        {
            // No token: no API request, and the same outage for every caller.
            Assert.Empty(apiCalls);
            var unavailable = Assert.IsType<OktaResult<OktaUser>.Unavailable>(result);
            Assert.Equal(OktaUnavailableKind.NoAccessToken, unavailable.Reason.Kind);
            Assert.False(unavailable.Reason.RequestMayHaveReachedOkta);
            Assert.Contains(host.Logs.GetSnapshot(), e => e.Id.Id == 1152 && e.GetStructuredStateValue("Error") == error);
            Assert.Equal(sentWithProof && error == "invalid_dpop_proof" ? 2 : 1, tokenRequests.Count);
            return;
        }

        Assert.IsType<OktaResult<OktaUser>.Ok>(result);
        var finalToken = ContractFixture.Load(tokenAnswers.Length == 1 ? file : "oauthToken/client-credentials-dpop.200.json").Response.Body!;
        var tokenType = finalToken["token_type"]!.GetValue<string>();
        var apiCall = Assert.Single(apiCalls);
        Assert.Equal($"{tokenType} {finalToken["access_token"]!.GetValue<string>()}", apiCall.Header("Authorization"));
        Assert.Equal(tokenType == "DPoP", apiCall.Header("DPoP") is not null);
        Assert.Equal(tokenAnswers.Length, tokenRequests.Count);
        if (tokenType == "DPoP")
        {
            // The last token request carries the nonce Okta gave, in a proof of its own.
            var nonce = ContractFixture.Load("oauthToken/client-credentials-dpop-nonce-required.400.json").Response.Headers["dpop-nonce"];
            var proof = ServiceApp.ValidProof(tokenRequests[^1].Header("DPoP"));
            Assert.Equal(nonce, proof.GetPayloadValue<string>("nonce"));
            Assert.Equal("POST", proof.GetPayloadValue<string>("htm"));
            Assert.Equal(Stub.BaseUrl + ServiceApp.TokenPath, proof.GetPayloadValue<string>("htu"));
            Assert.False(proof.TryGetPayloadValue<string>("ath", out _));
            // Until Okta asks for DPoP the client sends no proof.
            Assert.Null(tokenRequests[0].Header("DPoP"));
        }
    }

    /// <summary>
    /// Management API calls with the token: the scheme and proof the fixture shows, and Okta's OAuth answers
    /// (<c>insufficient_scope</c>, <c>invalid_dpop_proof</c>, which come in <c>WWW-Authenticate</c> with no body)
    /// as errors with Okta's code; a 401 <c>use_dpop_nonce</c> is retried once with the nonce.
    /// </summary>
    [Theory]
    [MemberData(nameof(ApiCallFixtures))]
    public async Task ManagementApiFixtureReplaysWithTheServiceAppToken(string file)
    {
        var fixture = ContractFixture.Load(file);
        var request = fixture.Request!;
        var scheme = request.Headers["Authorization"].Split(' ')[0];
        Assert.Contains(scheme, new[] { "Bearer", "DPoP" });
        var path = $"/api/v1/users/{UserId}";

        Stub.Serve(fixture.Response.ToStub());
        Stub.ServeAt(ServiceApp.TokenPath, scheme == "DPoP"
            ? [File("client-credentials-dpop-nonce-required.400.json"), File("client-credentials-dpop.200.json")]
            : [File("client-credentials-bearer.200.json")]);
        var challenge = fixture.Response.Headers.TryGetValue("WWW-Authenticate", out var header) ? header : null;
        var asksForNonce = challenge?.Contains("use_dpop_nonce", StringComparison.Ordinal) == true;
        if (asksForNonce)
        {
            Stub.ServeAt(path, fixture.Response.ToStub(), UserAnswer);
        }

        await using var host = ServiceApp.Client(Stub, context.Clock);

        var result = await host.Client.GetUserAsync(fixture.OperationId == "getUser" ? request.Segment(1) : UserId, TestContext.Current.CancellationToken);

        var apiCalls = Stub.RequestsTo(path);
        var token = ContractFixture.Load(scheme == "DPoP" ? "oauthToken/client-credentials-dpop.200.json" : "oauthToken/client-credentials-bearer.200.json")
            .Response.Body!["access_token"]!.GetValue<string>();
        foreach (var call in apiCalls)
        {
            Assert.Equal("GET", call.Method);
            Assert.Equal($"{scheme} {token}", call.Header("Authorization"));
            Assert.Equal("application/json", call.Header("Accept"));
            if (scheme == "DPoP")
            {
                var proof = ServiceApp.ValidProof(call.Header("DPoP"));
                Assert.Equal("GET", proof.GetPayloadValue<string>("htm"));
                Assert.Equal(Stub.BaseUrl + path, proof.GetPayloadValue<string>("htu"));
                Assert.Equal(Okta.DpopProofs.Ath(token), proof.GetPayloadValue<string>("ath"));
                Assert.Equal(context.Clock.GetUtcNow().ToUnixTimeSeconds(), proof.GetPayloadValue<long>("iat"));
            }
            else
            {
                Assert.Null(call.Header("DPoP"));
            }
        }

        if (scheme == "DPoP")
        {
            // A proof is never reused, not even for the retry of the same request.
            Assert.Equal(apiCalls.Count, apiCalls.Select(c => ServiceApp.ValidProof(c.Header("DPoP")).Id).Distinct().Count());
        }

        if (fixture.Response.Status == 200 || asksForNonce)
        {
            var user = Assert.IsType<OktaResult<OktaUser>.Ok>(result).Value;
            Assert.Equal(UserId, user.Id);
            Assert.Equal(asksForNonce ? 2 : 1, apiCalls.Count);
            if (asksForNonce)
            {
                Assert.False(ServiceApp.ValidProof(apiCalls[0].Header("DPoP")).TryGetPayloadValue<string>("nonce", out _));
                Assert.Equal(fixture.Response.Headers["DPoP-Nonce"], ServiceApp.ValidProof(apiCalls[1].Header("DPoP")).GetPayloadValue<string>("nonce"));
            }

            return;
        }

        // Refused for the token's sake: Okta's OAuth error as data, and nothing repeated.
        var failed = Assert.IsType<OktaResult<OktaUser>.Failed>(result);
        Assert.Single(apiCalls);
        Assert.Equal(fixture.Response.Status, failed.Error.HttpStatus);
        Assert.NotNull(challenge);
        Assert.Contains($"error=\"{failed.Error.ErrorCode}\"", challenge, StringComparison.Ordinal);
        Assert.Contains($"error_description=\"{failed.Error.ErrorSummary}\"", challenge, StringComparison.Ordinal);
    }
}
