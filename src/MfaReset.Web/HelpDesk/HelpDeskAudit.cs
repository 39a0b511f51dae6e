namespace MfaReset.Web.HelpDesk;

/// <summary>
/// The console's security events (EventIds 2400-2499), each naming the agent (Okta user id and login from
/// the ID token), the person (Okta user id, or "unknown"), what was done and its outcome, and the agent's
/// client. No codes, no typed usernames (<see cref="AuditLog.Described"/> stands for them), no cookie values.
/// </summary>
internal static partial class HelpDeskAudit
{
    [LoggerMessage(2400, LogLevel.Information, "Help desk: agent {AgentId} ({AgentLogin}) signed in, session {SessionRef}, client {ClientIp}")]
    public static partial void AgentSignedIn(this ILogger logger, string agentId, string agentLogin, string sessionRef, string clientIp);

    [LoggerMessage(2401, LogLevel.Warning, "Help desk: agent {AgentId} ({AgentLogin}) refused: {Reason}, client {ClientIp}")]
    public static partial void AgentRefused(this ILogger logger, string agentId, string agentLogin, string reason, string clientIp);

    [LoggerMessage(2402, LogLevel.Information, "Help desk: agent {AgentId} ({AgentLogin}) signed out, session {SessionRef}, client {ClientIp}")]
    public static partial void AgentSignedOut(this ILogger logger, string agentId, string agentLogin, string sessionRef, string clientIp);

    [LoggerMessage(2403, LogLevel.Information, "Help desk: agent {AgentId} ({AgentLogin}) looked up username {Username}: person {Person}, outcome {Outcome}, client {ClientIp}")]
    public static partial void PersonLookedUp(this ILogger logger, string agentId, string agentLogin, string username, string person, string outcome, string clientIp);

    [LoggerMessage(2404, LogLevel.Information, "Help desk: agent {AgentId} ({AgentLogin}) verification of person {Person} by {Method}: {Outcome}, client {ClientIp}")]
    public static partial void CallerVerification(this ILogger logger, string agentId, string agentLogin, string person, string method, string outcome, string clientIp);

    [LoggerMessage(2405, LogLevel.Information, "Help desk: agent {AgentId} ({AgentLogin}) action {Action} on person {Person}: {Outcome}, client {ClientIp}")]
    public static partial void ActionTaken(this ILogger logger, string agentId, string agentLogin, string action, string person, string outcome, string clientIp);

    [LoggerMessage(2406, LogLevel.Information, "Help desk: agent {AgentId} ({AgentLogin}) looked up reference {Reference}: {Outcome}, client {ClientIp}")]
    public static partial void ReferenceLookedUp(this ILogger logger, string agentId, string agentLogin, string reference, string outcome, string clientIp);

    [LoggerMessage(2407, LogLevel.Information, "Caller verified for the help desk: flow {FlowRef}, subject {Subject}, client {ClientIp}, the caller's browser {UserAgent}")]
    public static partial void CallerVerified(this ILogger logger, string flowRef, string subject, string clientIp, string userAgent);

    [LoggerMessage(2408, LogLevel.Warning, "Help desk: agent {AgentId} ({AgentLogin}) refused on a page or endpoint: {Reason}, client {ClientIp}")]
    public static partial void AgentSessionRefused(this ILogger logger, string agentId, string agentLogin, string reason, string clientIp);
}
