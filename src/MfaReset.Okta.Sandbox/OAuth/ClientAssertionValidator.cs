using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>
/// <c>private_key_jwt</c>: the service app's client assertion, checked as Okta documents it (shared/okta-contract
/// reference/oauth-client-assertion.json): signature by the registered key, <c>kid</c>, <c>iss</c>/<c>sub</c>,
/// <c>aud</c>, <c>exp</c> (at most an hour ahead), <c>iat</c> and single-use <c>jti</c>.
/// </summary>
internal sealed class ClientAssertionValidator(SandboxServiceAppOptions app, ServiceAppKey key, TimeProvider clock)
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    private readonly JsonWebTokenHandler _jwt = new();
    private readonly SingleUseIds _usedIds = new(clock);

    /// <summary>Null when <paramref name="assertion"/> identifies the service app at <paramref name="tokenUrl"/>; else Okta's 401.</summary>
    public async Task<OAuthRefusal?> ValidateAsync(string assertion, string tokenUrl)
    {
        if (_jwt.TryRead(assertion) is not { } read)
        {
            return Refuse("The parsing of the client_assertion failed.");
        }

        if (!JwtRules.IsSignatureAlgorithm(read.Alg))
        {
            return Refuse("The client_assertion JWT signature algorithm is invalid.");
        }

        if (!string.IsNullOrEmpty(read.Kid) && read.Kid != app.KeyId)
        {
            return Refuse("The client_assertion JWT kid is invalid.");
        }

        var validation = await _jwt.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = key.PublicKey,
            TryAllIssuerSigningKeys = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        }).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return Refuse("The client_assertion signature is invalid.");
        }

        if (read.Issuer != app.ClientId)
        {
            return Refuse("The issuer claim for client_assertion is not a valid client_id.");
        }

        if (read.Subject != app.ClientId)
        {
            return Refuse("The subject claim for client_assertion is not a valid client_id.");
        }

        if (!read.Audiences.Contains(tokenUrl, StringComparer.Ordinal))
        {
            return Refuse("The audience claim for client_assertion must be the endpoint invoked for the request.");
        }

        return CheckTimes(read);
    }

    private OAuthRefusal? CheckTimes(JsonWebToken read)
    {
        // Okta's guide prints exp as a string, its claim table as an integer: both are read.
        if (!read.TryGetPayloadValue<long>("exp", out var exp)
            && !(read.TryGetPayloadValue<string>("exp", out var expText) && long.TryParse(expText, out exp)))
        {
            return Refuse("The client_assertion must contain the 'exp' claim as seconds since epoch.");
        }

        var now = clock.GetUtcNow();
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expires <= now)
        {
            return Refuse("The client_assertion token is expired.");
        }

        if (expires > now + MaxLifetime + JwtRules.ClockSkew)
        {
            return Refuse("The client_assertion token has an expiration too far into the future.");
        }

        if (read.TryGetPayloadValue<long>("iat", out var iat) && DateTimeOffset.FromUnixTimeSeconds(iat) > now + JwtRules.ClockSkew)
        {
            return Refuse("The client_assertion token must be issued before the current time.");
        }

        if (read.Id is { Length: > 0 } jti && !_usedIds.FirstUse(jti, expires))
        {
            return Refuse("The client_assertion token has already been used.");
        }

        return null;
    }

    private static OAuthRefusal Refuse(string description) => new(401, "invalid_client", description);
}
