using System.Text.Json.Nodes;
using MfaReset.Okta.Tests.Fixtures;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;

namespace MfaReset.Okta.Tests.OAuth;

/// <summary>The service app's token: cached, shared, renewed before expiry, and what a 401 or a failing token endpoint does.</summary>
public sealed class AccessTokenTests : IAsyncLifetime
{
    private const string UserId = "00ub0oNGTSWTBKOLGLNR";
    private static readonly string UserPath = $"/api/v1/users/{UserId}";

    private readonly TestClock _clock = new();
    private OktaStub? _stub;

    private OktaStub Stub => _stub!;

    public async ValueTask InitializeAsync() => _stub = await OktaStub.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await Stub.DisposeAsync();

    private static StubResponse UserAnswer => ContractFixture.Load("getUser/by-id.200.json").Response.ToStub();

    private static StubResponse Unauthorized => StubResponse.Json(401, """{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}""");

    [Fact]
    public async Task ConcurrentCallsShareOneTokenRequest()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token());
        await using var host = ServiceApp.Client(Stub, _clock);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => host.Client.GetUserAsync(UserId)));

        Assert.All(results, r => Assert.IsType<OktaResult<OktaUser>.Ok>(r));
        Assert.Single(Stub.RequestsTo(ServiceApp.TokenPath));
        Assert.Equal(12, Stub.RequestsTo(UserPath).Count);
    }

    [Fact]
    public async Task ConcurrentCallsShareOneFailedTokenRequestAndAllGetTheOutage()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ContractFixture.Load("oauthToken/client-credentials-scope-not-granted.400.json").Response.ToStub());
        await using var host = ServiceApp.Client(Stub, _clock);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => host.Client.GetUserAsync($"user{i}@example.com")));

        Assert.All(results, r => Assert.Equal(OktaUnavailableKind.NoAccessToken, Assert.IsType<OktaResult<OktaUser>.Unavailable>(r).Reason.Kind));
        Assert.Single(Stub.RequestsTo(ServiceApp.TokenPath));
    }

    [Fact]
    public async Task EveryTokenRequestCarriesAProofOfItsOwn()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath,
            ContractFixture.Load("oauthToken/client-credentials-dpop-nonce-required.400.json").Response.ToStub(),
            ServiceApp.Token(type: "DPoP", expiresIn: 60));
        await using var host = ServiceApp.Client(Stub, _clock);

        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(31));
        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);

        var proofs = Stub.RequestsTo(ServiceApp.TokenPath).Skip(1).Select(r => ServiceApp.ValidProof(r.Header("DPoP"))).ToArray();
        Assert.Equal(2, proofs.Length);
        Assert.NotEqual(proofs[0].Id, proofs[1].Id);
        // The nonce Okta gave is kept for the next token request.
        Assert.All(proofs, p => Assert.Equal("8NLZUUhVawx1ns8AjrC4F6j8D2phvaw7", p.GetPayloadValue<string>("nonce")));
    }

    [Fact]
    public async Task TokenIsReusedUntilShortlyBeforeItExpiresThenRenewed()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token(accessToken: "first"), ServiceApp.Token(accessToken: "second"));
        await using var host = ServiceApp.Client(Stub, _clock);

        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromMinutes(54));
        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);

        Assert.Equal(2, Stub.RequestsTo(ServiceApp.TokenPath).Count);
        Assert.Equal(["Bearer first", "Bearer first", "Bearer second"], Stub.RequestsTo(UserPath).Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task UnauthorizedGetRenewsTheTokenAndIsRetriedOnce()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token(accessToken: "revoked"), ServiceApp.Token(accessToken: "fresh"));
        Stub.ServeAt(UserPath, Unauthorized, UserAnswer);
        await using var host = ServiceApp.Client(Stub, _clock);

        var result = await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);

        Assert.IsType<OktaResult<OktaUser>.Ok>(result);
        Assert.Equal(["Bearer revoked", "Bearer fresh"], Stub.RequestsTo(UserPath).Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task UnauthorizedGetTwiceInARowIsAFailureAfterOneRetry()
    {
        Stub.Serve(Unauthorized);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token(accessToken: "a"), ServiceApp.Token(accessToken: "b"));
        await using var host = ServiceApp.Client(Stub, _clock);

        var result = await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);

        var failed = Assert.IsType<OktaResult<OktaUser>.Failed>(result);
        Assert.Equal(("E0000011", 401), (failed.Error.ErrorCode, failed.Error.HttpStatus));
        Assert.Equal(2, Stub.RequestsTo(UserPath).Count);
        Assert.Equal(2, Stub.RequestsTo(ServiceApp.TokenPath).Count);
    }

    [Fact]
    public async Task UnauthorizedPostIsNeverRepeatedButTheNextCallGetsANewToken()
    {
        var verifyPath = $"{UserPath}/factors/sms1/verify";
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token(accessToken: "revoked"), ServiceApp.Token(accessToken: "fresh"));
        Stub.ServeAt(verifyPath, Unauthorized);
        await using var host = ServiceApp.Client(Stub, _clock);

        var challenge = await host.Client.ChallengeAsync(UserId, "sms1", cancellationToken: TestContext.Current.CancellationToken);
        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);

        Assert.IsType<FactorVerifyResult.Failed>(challenge);
        Assert.Single(Stub.RequestsTo(verifyPath));
        Assert.Equal("Bearer fresh", Assert.Single(Stub.RequestsTo(UserPath)).Header("Authorization"));
    }

    [Fact]
    public async Task NonceDemandOnAPostIsAnsweredOnceWithTheNonce()
    {
        var verifyPath = $"{UserPath}/factors/sms1/verify";
        var nonceDemand = ContractFixture.Load("oauthToken/api-call-dpop-nonce-required.401.json").Response.ToStub();
        var challengeAnswer = ContractFixture.Load("verifyFactor/sms-challenge.200.json").Response.ToStub();
        Stub.Serve(challengeAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token(type: "DPoP"));
        Stub.ServeAt(verifyPath, nonceDemand, challengeAnswer);
        await using var host = ServiceApp.Client(Stub, _clock);

        var result = await host.Client.ChallengeAsync(UserId, "sms1", cancellationToken: TestContext.Current.CancellationToken);

        Assert.IsNotType<FactorVerifyResult.Failed>(result);
        var sent = Stub.RequestsTo(verifyPath);
        Assert.Equal(2, sent.Count);
        var retried = ServiceApp.ValidProof(sent[1].Header("DPoP"));
        Assert.Equal("POST", retried.GetPayloadValue<string>("htm"));
        Assert.Equal("eyJ7S_zG.eyJH0-Z.HX4w-7v", retried.GetPayloadValue<string>("nonce"));
    }

    [Fact]
    public async Task ProofNamesTheDecodedPathWithoutTheQuery()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token(type: "DPoP"));
        await using var host = ServiceApp.Client(Stub, _clock);

        await host.Client.GetUserAsync("isaac.brock@example.com", TestContext.Current.CancellationToken);
        await host.Client.RevokeSessionsAsync(UserId, revokeOAuthTokens: true, cancellationToken: TestContext.Current.CancellationToken);

        var proofs = Stub.Requests.Where(r => r.RawPath != ServiceApp.TokenPath).Select(r => ServiceApp.ValidProof(r.Header("DPoP"))).ToArray();
        Assert.Equal(Stub.BaseUrl + "/api/v1/users/isaac.brock@example.com", proofs[0].GetPayloadValue<string>("htu"));
        Assert.Equal(Stub.BaseUrl + $"{UserPath}/sessions", proofs[1].GetPayloadValue<string>("htu"));
        Assert.Equal("DELETE", proofs[1].GetPayloadValue<string>("htm"));
    }

    [Fact]
    public async Task TokenEndpointFailureIsTheSameOutageForEveryUsernameAndIsNotHammered()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ContractFixture.Load("oauthToken/client-credentials-invalid-client-kid.401.json").Response.ToStub());
        await using var host = ServiceApp.Client(Stub, _clock);

        var results = new List<OktaResult<OktaUser>>();
        foreach (var login in new[] { "sam.sms@example.com", "nobody@example.com", UserId })
        {
            results.Add(await host.Client.GetUserAsync(login, TestContext.Current.CancellationToken));
        }

        Assert.All(results, r => Assert.Equal(OktaUnavailableKind.NoAccessToken, Assert.IsType<OktaResult<OktaUser>.Unavailable>(r).Reason.Kind));
        Assert.Single(Stub.RequestsTo(ServiceApp.TokenPath));
        Assert.DoesNotContain(Stub.Requests, r => r.RawPath.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Single(host.Logs.GetSnapshot(), e => e.Id.Id == 1152);

        // Once the hold is over, the next call asks again.
        _clock.Advance(TimeSpan.FromSeconds(6));
        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);
        Assert.Equal(2, Stub.RequestsTo(ServiceApp.TokenPath).Count);
    }

    [Fact]
    public async Task ConfiguredScopesReplaceTheDefault()
    {
        Stub.Serve(UserAnswer);
        Stub.ServeAt(ServiceApp.TokenPath, ServiceApp.Token());
        await using var host = ServiceApp.Client(Stub, _clock, new Dictionary<string, string?> { ["Okta:Scopes:0"] = "okta.users.read" });

        await host.Client.GetUserAsync(UserId, TestContext.Current.CancellationToken);

        Assert.Equal("okta.users.read", ServiceApp.Form(Assert.Single(Stub.RequestsTo(ServiceApp.TokenPath)))["scope"]);
    }

    /// <summary>The default scopes are exactly those reference/oauth-scopes.json gives the operations the client calls.</summary>
    [Fact]
    public void DefaultScopesAreExactlyThoseOfTheOperationsInUse()
    {
        var reference = ContractFixture.ReadJson("reference/oauth-scopes.json")["operations"]!.AsObject();
        // The role directory's reads have no fixture folder: their scopes are the official spec's.
        string[] beyondThePack = [OktaOperation.ListRoleAssignees.Name, OktaOperation.ListGroups.Name, OktaOperation.ListGroupRoles.Name, OktaOperation.ListGroupUsers.Name];
        var expected = FixtureCatalog.UsedOperations
            .Where(op => reference.ContainsKey(op))
            .SelectMany(op => reference[op]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()))
            .Concat(beyondThePack.SelectMany(SpecScopesOf))
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, OktaScopes.Needed);
    }

    /// <summary>The OAuth scopes the official spec's <c>security</c> names for <paramref name="operationId"/>.</summary>
    private static IEnumerable<string> SpecScopesOf(string operationId)
    {
        var lines = File.ReadAllLines(Path.Combine(SharedPaths.OktaContract, "spec", "okta-management-2026.06.3.yaml"));
        var at = Array.FindIndex(lines, line => line.Trim() == $"operationId: {operationId}");
        Assert.True(at >= 0, $"{operationId} is not in the spec");
        var oauth = Array.FindIndex(lines, at, line => line.Trim() == "- oauth2:");
        return lines.Skip(oauth + 1).TakeWhile(line => line.TrimStart().StartsWith("- okta.", StringComparison.Ordinal)).Select(line => line.Trim()[2..]).ToList();
    }
}
