using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta;

/// <summary>
/// DPoP proofs (RFC 9449) signed by a P-256 key pair made for this process alone: Okta wants the DPoP
/// key apart from the client-authentication key, and nothing outside memory ever holds it. Every proof
/// is new (fresh <c>jti</c> and <c>iat</c>), so none is ever reused.
/// </summary>
internal sealed class DpopProofs : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly SigningCredentials _credentials;
    private readonly Dictionary<string, object> _publicJwk;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    public DpopProofs(TimeProvider time)
    {
        _time = time;
        _credentials = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256);
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        // Only the public point: the private part never leaves the process.
        _publicJwk = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["kty"] = JsonWebAlgorithmsKeyTypes.EllipticCurve,
            ["crv"] = JsonWebKeyECTypes.P256,
            ["x"] = Base64UrlEncoder.Encode(point.X),
            ["y"] = Base64UrlEncoder.Encode(point.Y),
        };
    }

    /// <summary>
    /// A proof for one request: <c>htm</c>, <c>htu</c> (scheme, host and decoded path; no query or fragment),
    /// <c>iat</c>, <c>jti</c>, and <c>nonce</c> and <c>ath</c> when given.
    /// </summary>
    public string Create(HttpMethod method, Uri uri, string? nonce, string? accessToken)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["htm"] = method.Method,
            ["htu"] = Htu(uri),
            ["iat"] = _time.GetUtcNow().ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        if (accessToken is not null)
        {
            claims["ath"] = Ath(accessToken);
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "dpop+jwt",
            AdditionalHeaderClaims = new Dictionary<string, object>(StringComparer.Ordinal) { ["jwk"] = _publicJwk },
            Claims = claims,
            SigningCredentials = _credentials,
        });
    }

    /// <summary>Okta compares <c>htu</c> with the decoded path and without the query (okta-sdk-golang #468, okta-sdk-nodejs #521).</summary>
    public static string Htu(Uri uri) =>
        uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + Uri.UnescapeDataString(uri.AbsolutePath);

    /// <summary>base64url(SHA-256(ASCII access token)).</summary>
    public static string Ath(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    public void Dispose() => _key.Dispose();
}
