using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;

namespace MfaReset.Web.HelpDesk;

/// <summary>
/// The call an agent is on: who the caller says they are, the caller check's flow (its secret never leaves the
/// server in the clear) and, once verified, until when the person's record is open to this agent.
/// </summary>
/// <param name="Username">The username as the agent typed it.</param>
/// <param name="PersonId">The Okta user id it names.</param>
/// <param name="FlowSecret">The key of the caller check's reset-flow record.</param>
/// <param name="Method">The method of the check under way or done (<see cref="FactorKind"/> name), if one was picked.</param>
/// <param name="VerifiedUntil">Until when the person counts as verified on this call; null: not verified.</param>
public sealed record CallRecord(string Username, string PersonId, string FlowSecret, string? Method, DateTimeOffset? VerifiedUntil)
{
    public bool IsVerifiedAt(DateTimeOffset now) => VerifiedUntil > now;

    public override string ToString() => $"Call {PersonId}";
}

/// <summary>
/// The call's cookie, <c>__Host-MfaReset-HelpDeskCall</c>: <see cref="CallRecord"/> encrypted and signed by Data
/// Protection under a purpose naming the agent and their console session, so it works in no other session
/// (not another agent's, not the same agent's next one). HttpOnly, Secure, SameSite=Strict, session-only.
/// </summary>
public sealed class CallCookie(IDataProtectionProvider protection)
{
    public const string Name = "__Host-MfaReset-HelpDeskCall";

    public CallRecord? Read(HttpRequest request, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cookies[Name] is not { Length: > 0 and < 4000 } value)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(Protector(agent).Unprotect(value), HelpDeskJsonContext.Default.CallRecord);
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            // Another session's call, an old key, or a tampered value: no call.
            return null;
        }
    }

    public void Write(HttpResponse response, Agent agent, CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(response);
        var value = Protector(agent).Protect(JsonSerializer.Serialize(call, HelpDeskJsonContext.Default.CallRecord));
        response.Cookies.Append(Name, value, Options());
    }

    public static void Clear(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(Name, Options());
    }

    private IDataProtector Protector(Agent agent) => protection.CreateProtector("MfaReset.HelpDesk.Call.v1", agent.Id, agent.SessionId);

    private static CookieOptions Options() => new() { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true };
}

[JsonSerializable(typeof(CallRecord))]
internal sealed partial class HelpDeskJsonContext : JsonSerializerContext;
