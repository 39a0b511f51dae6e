using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Reset.Audit;

/// <summary>
/// Who is acting, as a flow's security events name them: the flow (a prefix of its store key, <see cref="FlowSecrets.LogRef"/>),
/// its subject (the Okta user id, or "unknown"), and the client of the request (<see cref="RequestOrigin"/>).
/// Made from the request's origin and the flow the event is about (<see cref="RequestOrigin.For"/>), not kept
/// on the request: one request can touch two flows (a start ends the flow it supersedes), so each event names its own.
/// </summary>
public readonly record struct AuditActor(string FlowRef, string Subject, string ClientIp, string UserAgent)
{
    public override string ToString() => $"flow {FlowRef}";
}
