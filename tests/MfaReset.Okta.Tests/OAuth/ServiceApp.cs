using System.Security.Cryptography;
using System.Text.Json;
using MfaReset.Okta.Tests.Stub;
using MfaReset.Okta.Tests.Support;
using MfaReset.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Tests.OAuth;

/// <summary>A service app for the tests: its key pair (made per test run, never stored) and the settings that select it.</summary>
public static class ServiceApp
{
    public const string ClientId = "0oar95zt9zIpYuz6A0h7";
    public const string KeyId = "test-key-1";
    public const string TokenPath = "/oauth2/v1/token";

    private static readonly RSA Key = RSA.Create(2048);

    public static string PrivateKeyPem { get; } = Key.ExportPkcs8PrivateKeyPem();

    public static RsaSecurityKey PublicKey { get; } = new(Key.ExportParameters(includePrivateParameters: false)) { KeyId = KeyId };

    public static IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Okta:Authorization"] = "PrivateKeyJwt",
            ["Okta:ClientId"] = ClientId,
            ["Okta:KeyId"] = KeyId,
            ["Okta:PrivateKey"] = PrivateKeyPem,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static ClientHost Client(OktaStub stub, TestClock clock, IReadOnlyDictionary<string, string?>? more = null) =>
        ClientHost.Create(stub.OrgUrl, clock, settings: Settings(more));

    public static StubResponse Token(string type = "Bearer", string accessToken = "at-1", int expiresIn = 3600) =>
        StubResponse.Json(200, $$"""{"token_type":"{{type}}","expires_in":{{expiresIn}},"access_token":"{{accessToken}}","scope":"okta.users.read"}""");

    /// <summary>The form fields of a recorded token request.</summary>
    public static Dictionary<string, string> Form(RecordedRequest request) =>
        request.Body.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    /// <summary>Validates a client assertion as Okta does: signature by the registered key, iss/sub, aud, exp, and returns it.</summary>
    public static JsonWebToken ValidAssertion(string assertion, string orgUrl, DateTimeOffset now)
    {
        var handler = new JsonWebTokenHandler();
        var result = handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = PublicKey,
            ValidIssuer = ClientId,
            ValidAudience = orgUrl + TokenPath,
            LifetimeValidator = (_, expires, _, _) => expires is { } exp && exp > now.UtcDateTime && exp <= now.UtcDateTime.AddHours(1),
        }).GetAwaiter().GetResult();
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal(ClientId, token.Subject);
        Assert.Equal(KeyId, token.Kid);
        Assert.Equal("RS256", token.Alg);
        Assert.False(string.IsNullOrEmpty(token.Id));
        return token;
    }

    /// <summary>Validates a DPoP proof: typ, the embedded public key's signature, and returns its claims.</summary>
    public static JsonWebToken ValidProof(string? proof)
    {
        Assert.NotNull(proof);
        var handler = new JsonWebTokenHandler();
        var read = handler.ReadJsonWebToken(proof);
        Assert.Equal("dpop+jwt", read.Typ);
        Assert.True(read.TryGetHeaderValue<JsonElement>("jwk", out var jwkJson));
        var jwk = new JsonWebKey(jwkJson.GetRawText());
        Assert.False(jwk.HasPrivateKey);
        var result = handler.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = jwk,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidTypes = ["dpop+jwt"],
        }).GetAwaiter().GetResult();
        Assert.True(result.IsValid, result.Exception?.Message);
        return read;
    }
}
