namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>The client credentials grant's <c>scope</c>: some scopes, never <c>openid</c>, each granted to the service app.</summary>
internal static class RequestedScopes
{
    /// <summary>The requested scopes when all are granted; else Okta's 400 and why.</summary>
    public static (IReadOnlySet<string>? Scopes, OAuthRefusal? Refusal) Check(string requested, IReadOnlyCollection<string> granted)
    {
        var scopes = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (scopes.Count == 0)
        {
            return Refuse("invalid_scope", "No scopes were requested.");
        }

        if (scopes.Contains("openid"))
        {
            return Refuse("invalid_scope", "Cannot request 'openid' scopes using client credentials.");
        }

        return scopes.IsSubsetOf(granted) ? (scopes, null) : Refuse("consent_required", "You are not allowed any of the requested scopes.");
    }

    private static (IReadOnlySet<string>?, OAuthRefusal?) Refuse(string error, string description) => (null, new OAuthRefusal(400, error, description));
}
