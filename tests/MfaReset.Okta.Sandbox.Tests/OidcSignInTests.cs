using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MfaReset.Okta.Sandbox.OAuth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// The org authorization server's OpenID Connect side, for the help-desk console's sign-in: discovery, authorize,
/// the code grant with a client secret and PKCE, ID tokens with the groups claim and the JWKS, against the
/// fixtures in Fixtures/oidc (the shared pack has none for OIDC).
/// </summary>
public sealed partial class OidcSignInTests : IAsyncLifetime
{
    private const string ClientId = "0oasandboxhelpdesk0id";
    private const string RedirectUri = "https://portal.example.com/helpdesk/signin-oidc";
    private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private TestSandbox? _sandbox;

    private TestSandbox Sandbox => _sandbox!;

    public async ValueTask InitializeAsync() => _sandbox = await TestSandbox.StartAsync(options =>
    {
        options.SignInApp.ClientSecret = _secret;
        options.SignInApp.RedirectUris = [RedirectUri];
    });

    public async ValueTask DisposeAsync() => await Sandbox.DisposeAsync();

    [Fact]
    public async Task DiscoveryDocumentIsOktasOrgAuthorizationServerMetadata()
    {
        var expected = Fixture("getWellKnownOpenIDConfiguration.200.json");

        var served = JsonNode.Parse(await Sandbox.Anonymous.GetStringAsync(Sandbox.OrgUrl + "/.well-known/openid-configuration", TestContext.Current.CancellationToken))!.AsObject();

        foreach (var (key, value) in expected["response"]!["body"]!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(value, served[key]), $"{key}: {served[key]?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task CodeGrantGivesAnIdTokenSignedByThePublishedKeyWithTheAgentsGroups()
    {
        var (code, verifier) = await SignInAsync(DemoAgents.Hana, nonce: "n-0S6_WzA2Mj");

        var (status, body) = await RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.OK, status);
        var shape = Fixture("tokenAuthorizationCode.200.json")["response"]!["body"]!.AsObject();
        Assert.Equal(shape.Select(p => p.Key).Order(), body.Select(p => p.Key).Order());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        var keys = new JsonWebKeySet(await Sandbox.Anonymous.GetStringAsync(Sandbox.OrgUrl + "/oauth2/v1/keys", TestContext.Current.CancellationToken));
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(body["id_token"]!.GetValue<string>(), new TokenValidationParameters
        {
            ValidIssuer = Sandbox.OrgUrl,
            ValidAudience = ClientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
            LifetimeValidator = (notBefore, expires, _, _) => expires > Sandbox.Clock.GetUtcNow().UtcDateTime,
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var claims = (JsonWebToken)validated.SecurityToken;
        Assert.Equal(DemoAgents.Hana.UserId, claims.Subject);
        Assert.Equal("n-0S6_WzA2Mj", claims.GetClaim("nonce").Value);
        Assert.Equal(DemoAgents.Hana.Login, claims.GetClaim("preferred_username").Value);
        Assert.Equal(["Everyone", "Help Desk"], claims.Claims.Where(c => c.Type == "groups").Select(c => c.Value));
    }

    [Fact]
    public async Task ACodeIsRedeemedOnceOnly()
    {
        var (code, verifier) = await SignInAsync(DemoAgents.Hana);
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(code, verifier)).Status);

        var (status, body) = await RedeemAsync(code, verifier);

        var expected = Fixture("tokenAuthorizationCode-invalid-grant.400.json")["response"]!;
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonNode.DeepEquals(expected["body"], body), body.ToJsonString());
    }

    [Fact]
    public async Task AnotherCodeVerifierIsRefused()
    {
        var (code, _) = await SignInAsync(DemoAgents.Hana);

        var (status, body) = await RedeemAsync(code, Verifier());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
        Assert.Equal("PKCE verification failed.", body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWrongClientSecretIsRefused()
    {
        var (code, verifier) = await SignInAsync(DemoAgents.Hana);

        var (status, body) = await RedeemAsync(code, verifier, secret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnUnregisteredRedirectUriIsShownAnErrorNeverRedirectedTo()
    {
        using var answer = await Sandbox.Browser.GetAsync(AuthorizeUrl("https://evil.example/helpdesk/signin-oidc", Challenge(Verifier()), "s", null), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Sign-in error", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("invalid_request: The 'redirect_uri' parameter must be a Login redirect URI in the client app settings", page.QuerySelector("main p")!.TextContent);
    }

    [Fact]
    public async Task AuthorizeWithoutPkceGoesBackWithAnError()
    {
        using var answer = await Sandbox.Browser.GetAsync($"{Sandbox.OrgUrl}/oauth2/v1/authorize?client_id={ClientId}&response_type=code&scope=openid&state=s&redirect_uri={Uri.EscapeDataString(RedirectUri)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith(RedirectUri + "?error=invalid_request", answer.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private async Task<(string Code, string Verifier)> SignInAsync(DemoAgent agent, string? nonce = null)
    {
        var verifier = Verifier();
        var page = await Sandbox.Anonymous.GetStringAsync(AuthorizeUrl(RedirectUri, Challenge(verifier), "state-1", nonce));
        Assert.Contains(DemoAgents.Olaf.Login, page, StringComparison.Ordinal); // the page lists both demo agents
        using var form = new FormUrlEncodedContent([new("request", WebUtility.HtmlDecode(RequestField().Match(page).Groups[1].Value)), new("login", agent.Login)]);
        using var answer = await Sandbox.Browser.PostAsync(Sandbox.OrgUrl + "/oauth2/v1/authorize", form);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var back = answer.Headers.Location!.ToString();
        Assert.StartsWith(RedirectUri + "?code=", back, StringComparison.Ordinal);
        Assert.EndsWith("&state=state-1", back, StringComparison.Ordinal);
        return (Uri.UnescapeDataString(back[(RedirectUri.Length + "?code=".Length)..back.IndexOf("&state=", StringComparison.Ordinal)]), verifier);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> RedeemAsync(string code, string verifier, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Sandbox.OrgUrl + "/oauth2/v1/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", RedirectUri), new("code_verifier", verifier)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{secret ?? _secret}")));
        using var answer = await Sandbox.Anonymous.SendAsync(request);
        return (answer.StatusCode, JsonNode.Parse(await answer.Content.ReadAsStringAsync())!.AsObject());
    }

    private string AuthorizeUrl(string redirectUri, string challenge, string state, string? nonce) =>
        $"{Sandbox.OrgUrl}/oauth2/v1/authorize?client_id={ClientId}&response_type=code&scope=openid%20profile%20email%20groups"
        + $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&state={state}&code_challenge={challenge}&code_challenge_method=S256"
        + (nonce is null ? "" : "&nonce=" + nonce);

    private static string Verifier() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    // The fixture with {orgUrl} made this sandbox's address, as the pack's README says.
    private JsonNode Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "oidc", name)).Replace("{orgUrl}", Sandbox.OrgUrl, StringComparison.Ordinal))!;

    [GeneratedRegex("name=\"request\" value=\"([^\"]+)\"")]
    private static partial Regex RequestField();
}
