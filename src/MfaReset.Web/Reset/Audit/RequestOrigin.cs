using System.Net;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Reset.Audit;

/// <summary>
/// Who sent the current request, as the security events name it, so an incident can be traced to a client and a forged line never starts an entry: the client IP as
/// forwarded-headers processing resolved it (so <c>X-Forwarded-For</c> counts only from the configured
/// <c>ReverseProxy:KnownProxies</c>), and the browser's User-Agent. Both are log-safe once created: control
/// characters replaced and length capped (<see cref="AuditLog.Safe"/>), "-" when missing. One per request
/// in DI (scoped): the flow takes it in its constructor, so pages stay thin and flow tests need no HTTP, and
/// names with it who acts in each event (<see cref="For"/>: the flow, its Okta user, this client).
/// </summary>
public sealed record RequestOrigin
{
    /// <summary>Longest User-Agent kept; real browsers' are well under it.</summary>
    public const int MaxUserAgentLength = 256;

    private RequestOrigin(string clientIp, string userAgent)
    {
        ClientIp = clientIp;
        UserAgent = userAgent;
    }

    /// <summary>No request: work outside HTTP.</summary>
    public static RequestOrigin None { get; } = new("-", "-");

    /// <summary>The client's address ("-" when the server has none), IPv4 written as IPv4 even on a dual-stack socket.</summary>
    public string ClientIp { get; }

    /// <summary>The User-Agent, log-safe and capped; "-" when none was sent.</summary>
    public string UserAgent { get; }

    /// <summary>This client acting in <paramref name="flow"/>, as the flow's security events name them.</summary>
    public AuditActor For(FlowState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return new(FlowSecrets.LogRef(flow.Key), flow.OktaUserId ?? FlowSession.Unknown, ClientIp, UserAgent);
    }

    /// <summary>This client acting before any flow exists (a start refused up front): flow "-", subject unknown.</summary>
    public AuditActor WithoutFlow => new("-", FlowSession.Unknown, ClientIp, UserAgent);

    public static RequestOrigin Of(IPAddress? clientAddress, string? userAgent) =>
        new(ClientIpOf(clientAddress), AuditLog.Safe(userAgent, MaxUserAgentLength));

    /// <summary>From the request, after <c>UseForwardedHeaders</c> has resolved the client address.</summary>
    public static RequestOrigin Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Of(context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString());
    }

    private static string ClientIpOf(IPAddress? address) => address switch
    {
        null => "-",
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        _ => address.ToString(),
    };
}
