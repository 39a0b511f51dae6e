using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>An access token the sandbox issued: its scopes, expiry and, for DPoP, the thumbprint of the key it is bound to.</summary>
internal sealed record IssuedToken(IReadOnlySet<string> Scopes, DateTimeOffset ExpiresAt, string? BoundJkt);

/// <summary>The org authorization server's access tokens: random, kept in memory for the service app's token lifetime.</summary>
internal sealed class AccessTokens(SandboxServiceAppOptions app, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>A new token for <paramref name="scopes"/>, bound to the DPoP key <paramref name="jkt"/> when there is one.</summary>
    public TokenBody Issue(IReadOnlySet<string> scopes, string? jkt)
    {
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _tokens[token] = new IssuedToken(scopes, clock.GetUtcNow() + app.TokenLifetime, jkt);
        var scope = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        return new TokenBody(jkt is null ? "Bearer" : "DPoP", (int)app.TokenLifetime.TotalSeconds, token, scope);
    }

    /// <summary>The live token <paramref name="value"/>, or null when it was never issued or has expired.</summary>
    public IssuedToken? Find(string value) =>
        _tokens.TryGetValue(value, out var token) && clock.GetUtcNow() < token.ExpiresAt ? token : null;
}
