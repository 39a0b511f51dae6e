using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox;

/// <summary>
/// The sandbox's log events (EventIds 9000-9099). Codes, passwords and the API token are never logged;
/// the phone simulator is where codes are shown.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Okta sandbox listening at {OrgUrl}; phone simulator at {SimulatorUrl}")]
    public static partial void Started(ILogger logger, Uri orgUrl, Uri simulatorUrl);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Sandbox sent a {Channel} code to {PhoneNumber} for {Login}")]
    public static partial void CodeSent(ILogger logger, PhoneChannel channel, string phoneNumber, string login);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Sandbox sent an Okta Verify push to {Login} (number matching: {NumberMatching})")]
    public static partial void PushSent(ILogger logger, string login, bool numberMatching);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Sandbox locked out {Login} after {Failures} failed verifications in a row")]
    public static partial void LockedOut(ILogger logger, string login, int failures);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Sandbox injected {Status} into {Operation} ({Cause})")]
    public static partial void FaultInjected(ILogger logger, int status, string operation, string cause);
}
