using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MfaReset.Okta.Tests.OAuth;

/// <summary>Okta:Authorization and the service-app settings are checked at start; the private key never appears in a message.</summary>
public sealed class ServiceAppOptionsTests
{
    private const string OrgUrl = "https://example.okta.com";

    [Fact]
    public void ApiTokenAloneMeansSsws()
    {
        var options = Options(new() { ["Okta:ApiToken"] = "00token" });

        Assert.Equal(OktaAuthorization.Ssws, options.EffectiveAuthorization);
    }

    [Fact]
    public void ClientIdAndKeyWithoutTokenMeanPrivateKeyJwt()
    {
        var options = Options(new() { ["Okta:ClientId"] = ServiceApp.ClientId, ["Okta:PrivateKey"] = ServiceApp.PrivateKeyPem });

        Assert.Equal(OktaAuthorization.PrivateKeyJwt, options.EffectiveAuthorization);
        Assert.Equal(["okta.groups.read", "okta.policies.read", "okta.roles.read", "okta.users.manage", "okta.users.read"], options.EffectiveScopes);
        Assert.DoesNotContain("PRIVATE", options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Okta:ClientId", null, "Okta:ClientId is required with Okta:Authorization=PrivateKeyJwt")]
    [InlineData("Okta:PrivateKey", null, "Okta:PrivateKey is required with Okta:Authorization=PrivateKeyJwt")]
    [InlineData("Okta:PrivateKey", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----", "Okta:PrivateKey is not a usable private key")]
    [InlineData("Okta:PrivateKey", """{"kty":"RSA","n":"AQAB","e":"AQAB"}""", "Okta:PrivateKey is not a usable private key")]
    [InlineData("Okta:Scopes:0", "openid", "Okta refuses the openid scope")]
    [InlineData("Okta:Scopes:0", "okta.users.read okta.users.manage", "Okta:Scopes:0 must be one Okta scope")]
    public void BadServiceAppSettingStopsTheStart(string key, string? value, string message)
    {
        var settings = ServiceApp.Settings().ToDictionary();
        settings[key] = value;

        var failure = Assert.Throws<OptionsValidationException>(() => Options(settings));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEga2V5", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EcPrivateKeyAsJwkIsAccepted()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        var jwk = $$"""{"kty":"EC","crv":"P-256","x":"{{B64(p.Q.X!)}}","y":"{{B64(p.Q.Y!)}}","d":"{{B64(p.D!)}}"}""";
        var settings = ServiceApp.Settings().ToDictionary();
        settings["Okta:PrivateKey"] = jwk;

        Assert.Equal(OktaAuthorization.PrivateKeyJwt, Options(settings).EffectiveAuthorization);
    }

    [Fact]
    public void EcPrivateKeyAsPemIsAccepted()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var settings = ServiceApp.Settings().ToDictionary();
        settings["Okta:PrivateKey"] = ec.ExportECPrivateKeyPem();

        Assert.Equal(OktaAuthorization.PrivateKeyJwt, Options(settings).EffectiveAuthorization);
    }

    private static string B64(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);

    private static OktaOptions Options(Dictionary<string, string?> settings)
    {
        settings["Okta:OrgUrl"] = OrgUrl;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddOktaClient();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider.GetRequiredService<IOptions<OktaOptions>>().Value;
    }
}
