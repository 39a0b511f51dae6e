using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// The sandbox's org authorization server as Okta documents it (shared/okta-contract oauthToken/ and
/// reference/oauth-client-assertion.json): client assertions, DPoP proofs and nonces, and scopes on API calls,
/// with the statuses, codes, descriptions and headers of the fixtures.
/// </summary>
public sealed class OAuthTokenEndpointTests : IAsyncLifetime
{
    private const string ClientId = "0oasandboxsvc0app0id";
    private const string KeyId = "sandbox-demo-key";
    private static readonly RSA AppKey = RSA.Create(2048);
    private static readonly ECDsa ProofKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JsonWebTokenHandler _jwt = new() { SetDefaultTimesOnTokenCreation = false };
    private TestSandbox? _sandbox;

    private TestSandbox Sandbox => _sandbox!;

    private string TokenUrl => Sandbox.OrgUrl + "/oauth2/v1/token";

    private DateTimeOffset Now => Sandbox.Clock.GetUtcNow();

    public async ValueTask InitializeAsync() => _sandbox = await TestSandbox.StartAsync(options => options.ServiceApp.PublicKey = AppKey.ExportSubjectPublicKeyInfoPem());

    public async ValueTask DisposeAsync() => await Sandbox.DisposeAsync();

    [Fact]
    public async Task ValidAssertionGetsAnHourLongBearerTokenThatReadsUsers()
    {
        var answer = await TokenAsync(Assertion());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Bearer", answer.Body["token_type"]!.GetValue<string>());
        Assert.Equal(3600, answer.Body["expires_in"]!.GetValue<int>());
        Assert.Equal("okta.users.read", answer.Body["scope"]!.GetValue<string>());
        Assert.True(answer.NoStore);
        using var call = Api(HttpMethod.Get, "/api/v1/users/sam.sms@example.com", "Bearer", answer.Body["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Sandbox.Anonymous.SendAsync(call, TestContext.Current.CancellationToken)).StatusCode);
    }

    public static TheoryData<string, string> AssertionFaults => new()
    {
        { "aud", "The audience claim for client_assertion must be the endpoint invoked for the request." },
        { "expired", "The client_assertion token is expired." },
        { "exp-too-far", "The client_assertion token has an expiration too far into the future." },
        { "no-exp", "The client_assertion must contain the 'exp' claim as seconds since epoch." },
        { "iss", "The issuer claim for client_assertion is not a valid client_id." },
        { "kid", "The client_assertion JWT kid is invalid." },
        { "other-key", "The client_assertion signature is invalid." },
        { "iat-future", "The client_assertion token must be issued before the current time." },
    };

    [Theory]
    [MemberData(nameof(AssertionFaults))]
    public async Task FaultyAssertionIsRefusedAsInvalidClientWithOktasDescription(string fault, string description)
    {
        var assertion = fault switch
        {
            "aud" => Assertion(audience: Sandbox.OrgUrl + "/oauth2/default/v1/token"),
            "expired" => Assertion(expires: Now.AddSeconds(-1)),
            "exp-too-far" => Assertion(expires: Now.AddHours(2)),
            "no-exp" => Assertion(withExp: false),
            "iss" => Assertion(issuer: "0oaother"),
            "kid" => Assertion(keyId: "another-kid"),
            "other-key" => Assertion(key: RSA.Create(2048)),
            "iat-future" => Assertion(issuedAt: Now.AddMinutes(5)),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        var answer = await TokenAsync(assertion);

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client", description), (answer.Status, answer.Error, answer.Description));
    }

    [Fact]
    public async Task AssertionIsSingleUse()
    {
        var assertion = Assertion();
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(assertion)).Status);

        var replay = await TokenAsync(assertion);

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client", "The client_assertion token has already been used."), (replay.Status, replay.Error, replay.Description));
    }

    /// <summary>The guide's payload example writes <c>exp</c> as a string; Okta's claim table says integer. Both are taken.</summary>
    [Fact]
    public async Task ExpWrittenAsAStringAsInOktasGuideIsAccepted()
    {
        var answer = await TokenAsync(Assertion(expAsString: true));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("openid", "invalid_scope", "Cannot request 'openid' scopes using client credentials.")]
    [InlineData("okta.apps.manage", "consent_required", "You are not allowed any of the requested scopes.")]
    [InlineData("", "invalid_scope", "No scopes were requested.")]
    public async Task ScopesOutsideTheGrantsAreRefusedAsOktaDoes(string scope, string error, string description)
    {
        var answer = await TokenAsync(Assertion(), scope: scope);

        Assert.Equal((HttpStatusCode.BadRequest, error, description), (answer.Status, answer.Error, answer.Description));
    }

    [Fact]
    public async Task AppRequiringANonceAnswersUseDpopNonceThenIssuesADpopToken()
    {
        await using var sandbox = await TestSandbox.StartAsync(options =>
        {
            options.ServiceApp.PublicKey = AppKey.ExportSubjectPublicKeyInfoPem();
            options.ServiceApp.RequireDpopNonce = true;
        });
        var tokenUrl = sandbox.OrgUrl + "/oauth2/v1/token";

        var missing = await TokenAsync(Assertion(now: sandbox.Clock.GetUtcNow(), tokenUrl: tokenUrl), http: sandbox.Anonymous, tokenUrl: tokenUrl);
        var withoutNonce = await TokenAsync(Assertion(now: sandbox.Clock.GetUtcNow(), tokenUrl: tokenUrl), Proof("POST", tokenUrl, sandbox.Clock.GetUtcNow()), http: sandbox.Anonymous, tokenUrl: tokenUrl);
        var withNonce = await TokenAsync(Assertion(now: sandbox.Clock.GetUtcNow(), tokenUrl: tokenUrl), Proof("POST", tokenUrl, sandbox.Clock.GetUtcNow(), nonce: withoutNonce.Nonce), http: sandbox.Anonymous, tokenUrl: tokenUrl);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_dpop_proof", "The DPoP proof JWT header is missing."), (missing.Status, missing.Error, missing.Description));
        Assert.Equal((HttpStatusCode.BadRequest, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof."), (withoutNonce.Status, withoutNonce.Error, withoutNonce.Description));
        Assert.Equal(sandbox.Running.ServiceApp.DpopNonce, withoutNonce.Nonce);
        Assert.Equal(HttpStatusCode.OK, withNonce.Status);
        Assert.Equal("DPoP", withNonce.Body["token_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task DpopTokenNeedsAFreshProofForEachCallNamingItsMethodAndPath()
    {
        var token = (await TokenAsync(Assertion(), Proof("POST", TokenUrl, Now))).Body["access_token"]!.GetValue<string>();
        var path = $"/api/v1/users/{Sandbox.UserId("sam.sms@example.com")}";
        var proof = Proof("GET", Sandbox.OrgUrl + path, Now, accessToken: token);

        var first = await Sandbox.Anonymous.SendAsync(Api(HttpMethod.Get, path, "DPoP", token, proof), TestContext.Current.CancellationToken);
        var reused = await Sandbox.Anonymous.SendAsync(Api(HttpMethod.Get, path, "DPoP", token, proof), TestContext.Current.CancellationToken);
        var withQuery = await Sandbox.Anonymous.SendAsync(Api(HttpMethod.Get, path, "DPoP", token, Proof("GET", Sandbox.OrgUrl + path + "?x=1", Now, accessToken: token)), TestContext.Current.CancellationToken);
        var wrongAth = await Sandbox.Anonymous.SendAsync(Api(HttpMethod.Get, path, "DPoP", token, Proof("GET", Sandbox.OrgUrl + path, Now, accessToken: "another")), TestContext.Current.CancellationToken);
        var asBearer = await Sandbox.Anonymous.SendAsync(Api(HttpMethod.Get, path, "Bearer", token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        AssertChallenge(reused, 400, "DPoP", "invalid_dpop_proof", "The DPoP proof JWT has already been used.", path);
        AssertChallenge(withQuery, 400, "DPoP", "invalid_dpop_proof", "'htu' claim in the DPoP proof JWT is invalid.", path);
        AssertChallenge(wrongAth, 400, "DPoP", "invalid_dpop_proof", "'ath' claim in the DPoP proof does not match the presented access_token.", path);
        AssertChallenge(asBearer, 400, "Bearer", "invalid_request", "The resource request must use the DPoP authentication scheme when using a DPoP bound token.", path);
    }

    /// <summary>As in oauthToken/api-call-listPolicies-insufficient-scope-dpop.403.json: 403, no body, the required scope in WWW-Authenticate.</summary>
    [Fact]
    public async Task TokenWithoutTheOperationsScopeGets403WithTheRequiredScope()
    {
        var token = (await TokenAsync(Assertion(), Proof("POST", TokenUrl, Now))).Body["access_token"]!.GetValue<string>();
        var path = $"/api/v1/users/{Sandbox.UserId("ada.admin@example.com")}/roles";

        var answer = await Sandbox.Anonymous.SendAsync(Api(HttpMethod.Get, path, "DPoP", token, Proof("GET", Sandbox.OrgUrl + path, Now, accessToken: token)), TestContext.Current.CancellationToken);

        AssertChallenge(answer, 403, "DPoP", "insufficient_scope", "The access token provided does not contain the required scopes.", path);
        Assert.Contains("scope=\"okta.roles.read\"", answer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("algs=\"RS256 RS384 RS512 ES256 ES384 ES512\"", answer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ExpiredTokenIsAnInvalidToken()
    {
        var token = (await TokenAsync(Assertion())).Body["access_token"]!.GetValue<string>();
        Sandbox.Clock.Advance(TimeSpan.FromHours(1));

        var answer = await Sandbox.Anonymous.SendAsync(Api(HttpMethod.Get, "/api/v1/users/sam.sms@example.com", "Bearer", token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal("E0000011", JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["errorCode"]!.GetValue<string>());
    }

    private static void AssertChallenge(HttpResponseMessage answer, int status, string scheme, string error, string description, string path)
    {
        Assert.Equal(status, (int)answer.StatusCode);
        var challenge = Assert.Single(answer.Headers.WwwAuthenticate);
        Assert.Equal(scheme, challenge.Scheme);
        Assert.Contains($"error=\"{error}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains($"error_description=\"{description}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains($"resource=\"{path}\"", challenge.Parameter, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Api(HttpMethod method, string path, string scheme, string token, string? proof = null)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return request;
    }

    private async Task<TokenAnswer> TokenAsync(string assertion, string? proof = null, string scope = "okta.users.read", HttpClient? http = null, string? tokenUrl = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl ?? TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = scope,
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = assertion,
            }),
        };
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        using var response = await (http ?? Sandbox.Anonymous).SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return new TokenAnswer(
            response.StatusCode,
            body,
            body["error"]?.GetValue<string>(),
            body["error_description"]?.GetValue<string>(),
            response.Headers.TryGetValues("dpop-nonce", out var nonce) ? nonce.Single() : null,
            response.Headers.CacheControl?.NoStore == true);
    }

    private string Assertion(
        string? audience = null, DateTimeOffset? expires = null, bool withExp = true, string issuer = ClientId, string keyId = KeyId,
        RSA? key = null, DateTimeOffset? issuedAt = null, bool expAsString = false, DateTimeOffset? now = null, string? tokenUrl = null)
    {
        var at = now ?? Now;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = ClientId,
            ["aud"] = audience ?? tokenUrl ?? TokenUrl,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = (issuedAt ?? at).ToUnixTimeSeconds(),
        };
        if (withExp)
        {
            var exp = (expires ?? at.AddMinutes(5)).ToUnixTimeSeconds();
            claims["exp"] = expAsString ? exp.ToString(System.Globalization.CultureInfo.InvariantCulture) : exp;
        }

        return _jwt.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? AppKey) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    private string Proof(string method, string url, DateTimeOffset now, string? nonce = null, string? accessToken = null)
    {
        var point = ProofKey.ExportParameters(includePrivateParameters: false).Q;
        var claims = new Dictionary<string, object>
        {
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        if (accessToken is not null)
        {
            claims["ath"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        return _jwt.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "dpop+jwt",
            AdditionalHeaderClaims = new Dictionary<string, object>
            {
                ["jwk"] = new Dictionary<string, object> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(point.X), ["y"] = Base64UrlEncoder.Encode(point.Y) },
            },
            Claims = claims,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(ProofKey), SecurityAlgorithms.EcdsaSha256),
        });
    }

    private sealed record TokenAnswer(HttpStatusCode Status, JsonObject Body, string? Error, string? Description, string? Nonce, bool NoStore);
}
