using System.Security.Claims;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.HelpDesk;

/// <summary>The signed-in help-desk agent: Okta user id, login and the console session's id (claims set at sign-in).</summary>
public sealed record Agent(string Id, string Login, string SessionId)
{
    public const string SessionClaim = "mfareset_hd_sid";
    public const string SignedInClaim = "mfareset_hd_signed_in";
    public const string LoginClaim = "preferred_username";

    /// <summary>The agent in <paramref name="user"/>, or null when it holds no console session.</summary>
    public static Agent? Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirst("sub")?.Value;
        var session = user.FindFirst(SessionClaim)?.Value;
        return id is null || session is null ? null : new Agent(id, user.FindFirst(LoginClaim)?.Value ?? "-", session);
    }

    /// <summary>The session's short reference for logs (never the id itself, which revokes it).</summary>
    public string SessionRef => FlowSecrets.LogRef(FlowSecrets.KeyOf(SessionId));

    public override string ToString() => $"Agent {Id}";
}
