using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Reset.Audit;

/// <summary>
/// The portal's security events, one per step (EventIds 1000-1099: flow; 1200-1299: HTTP; 1700-1799: Okta's answers as a
/// request met them, apart from the Okta client's own 1100-1199; docs/operations.md, "Event ids").
/// Parameters are references and outcomes only: never passwords, codes, tokens, cookie values, phone
/// numbers, usernames or poll links. <c>Subject</c> is the Okta user id, or "unknown" when Okta knows none.
/// Security events also name the client, so an incident can be traced to one: <c>ClientIp</c> as forwarded-headers processing
/// resolved it and <c>UserAgent</c>, both made log-safe by <see cref="RequestOrigin"/>. A flow's event takes who
/// acts as one <see cref="AuditActor"/> (<see cref="RequestOrigin.For"/>: flow reference, Okta user, client), an
/// HTTP or Okta event the <see cref="RequestOrigin"/>; the generated methods behind them keep each event's fields.
/// </summary>
internal static partial class AuditLog
{
    /// <summary>The longest user-controlled value a log line carries by default.</summary>
    public const int MaxLoggedLength = 200;

    /// <summary>
    /// User-controlled text for a log line, which must never forge an entry: control characters (CR, LF, NEL, ESC, ...) and
    /// the Unicode line and paragraph separators become '?', and the text is capped at
    /// <paramref name="maxLength"/> without splitting a surrogate pair, so a value can never start a
    /// forged entry of its own. Missing or empty: "-".
    /// </summary>
    public static string Safe(string? value, int maxLength = MaxLoggedLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var length = Math.Min(value.Length, maxLength);
        if (length < value.Length && length > 0 && char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        return string.Create(length, value, static (span, text) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = text[i];
                span[i] = char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c;
            }
        });
    }

    /// <summary>The longest offending value a refusal event quotes.</summary>
    public const int MaxRefusedValueLength = 64;

    /// <summary>
    /// An offending value for a refusal event: at most <paramref name="maxLength"/> characters of it, with
    /// control and format characters, line separators, lone surrogates and markup characters
    /// (<c>&lt; &gt; &amp; " ' \</c>) written as <c>\uXXXX</c>, so the value can neither forge a log entry
    /// nor turn into markup in a log viewer; a cut value ends with <c>…(+N)</c>. Missing or empty: "-".
    /// </summary>
    public static string Encoded(string? value, int maxLength = MaxRefusedValueLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var length = Math.Min(value.Length, maxLength);
        if (length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        var text = new System.Text.StringBuilder(length + 16);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            var pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(value[i + 1]);
            if (pairedSurrogate)
            {
                text.Append(c).Append(value[++i]);
            }
            else if (NeedsEscape(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        if (length < value.Length)
        {
            text.Append("…(+").Append(value.Length - length).Append(')');
        }

        return text.ToString();
    }

    /// <summary>
    /// A refused value that may be a secret (a code typed a character off is a live code; a username typed
    /// into the code field is a username), described rather than quoted: its length, how many characters
    /// of each class it holds, and a reference that is equal for equal values within this process, e.g.
    /// <c>7 chars: 6 digit, 1 punctuation; ref 3fa2c1d0</c>. The reference is a keyed hash under a key drawn
    /// at start and never written anywhere, so a log reader cannot test a guess (a million 6-digit codes
    /// would take no time against a plain hash). Missing or empty: "-".
    /// </summary>
    public static string Described(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var counts = new int[CharClassNames.Length];
        for (var i = 0; i < value.Length; i++)
        {
            var pairedSurrogate = char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            counts[(int)ClassOf(value, i)]++;
            i += pairedSurrogate ? 1 : 0;
        }

        var classes = string.Join(", ", counts.Select((count, i) => (count, name: CharClassNames[i])).Where(c => c.count > 0).Select(c => $"{c.count} {c.name}"));
        var reference = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(ReferenceKey, System.Text.Encoding.UTF8.GetBytes(value)).AsSpan(0, 4));
        return $"{value.Length} chars: {classes}; ref {reference}";
    }

    /// <summary>The key of <see cref="Described"/>'s references: this process's only, never logged.</summary>
    private static readonly byte[] ReferenceKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private enum CharClass { Digit, Letter, OtherLetterOrDigit, Space, Punctuation, Control, Invisible, LoneSurrogate, Other }

    private static readonly string[] CharClassNames = ["digit", "letter", "non-ASCII letter or digit", "space", "punctuation", "control", "invisible", "lone surrogate", "other"];

    private static CharClass ClassOf(string value, int i)
    {
        var c = value[i];
        if (char.IsAsciiDigit(c))
        {
            return CharClass.Digit;
        }

        if (char.IsAsciiLetter(c))
        {
            return CharClass.Letter;
        }

        if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
        {
            return CharClass.LoneSurrogate;
        }

        return System.Globalization.CharUnicodeInfo.GetUnicodeCategory(value, i) switch
        {
            _ when char.IsControl(c) => CharClass.Control,
            _ when char.IsWhiteSpace(c) && c is not ('\u2028' or '\u2029') => CharClass.Space,
            System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator
                or System.Globalization.UnicodeCategory.ParagraphSeparator => CharClass.Invisible,
            _ when char.IsAscii(c) => CharClass.Punctuation,
            _ when char.IsLetterOrDigit(value, i) => CharClass.OtherLetterOrDigit,
            _ => CharClass.Other,
        };
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '<' or '>' or '&' or '"' or '\'' or '\\'
        || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;

    public static void UsernameSubmitted(this ILogger logger, AuditActor who, string outcome) => LogUsernameSubmitted(logger, who.FlowRef, who.Subject, outcome, who.ClientIp, who.UserAgent);

    [LoggerMessage(1000, LogLevel.Information, "Username submitted: flow {FlowRef}, subject {Subject}, outcome {Outcome}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogUsernameSubmitted(ILogger logger, string flowRef, string subject, string outcome, string clientIp, string userAgent);

    public static void FactorChosen(this ILogger logger, AuditActor who, FactorKind factorKind, bool enrolled) => LogFactorChosen(logger, who.FlowRef, factorKind, enrolled, who.ClientIp, who.UserAgent);

    [LoggerMessage(1001, LogLevel.Information, "Factor chosen: flow {FlowRef}, kind {FactorKind}, enrolled {Enrolled}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogFactorChosen(ILogger logger, string flowRef, FactorKind factorKind, bool enrolled, string clientIp, string userAgent);

    public static void ChallengeSent(this ILogger logger, AuditActor who, FactorKind factorKind, string outcome) => LogChallengeSent(logger, who.FlowRef, who.Subject, factorKind, outcome, who.ClientIp, who.UserAgent);

    [LoggerMessage(1002, LogLevel.Information, "Challenge sent: flow {FlowRef}, subject {Subject}, kind {FactorKind}, outcome {Outcome}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogChallengeSent(ILogger logger, string flowRef, string subject, FactorKind factorKind, string outcome, string clientIp, string userAgent);

    public static void CodeChecked(this ILogger logger, AuditActor who, FactorKind factorKind, string outcome, int attempt) => LogCodeChecked(logger, who.FlowRef, who.Subject, factorKind, outcome, attempt, who.ClientIp, who.UserAgent);

    [LoggerMessage(1003, LogLevel.Information, "Code checked: flow {FlowRef}, subject {Subject}, kind {FactorKind}, outcome {Outcome}, attempt {Attempt}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogCodeChecked(ILogger logger, string flowRef, string subject, FactorKind factorKind, string outcome, int attempt, string clientIp, string userAgent);

    public static void PushSent(this ILogger logger, AuditActor who, string outcome, bool numberMatching) => LogPushSent(logger, who.FlowRef, who.Subject, outcome, numberMatching, who.ClientIp, who.UserAgent);

    [LoggerMessage(1004, LogLevel.Information, "Push sent: flow {FlowRef}, subject {Subject}, outcome {Outcome}, number matching {NumberMatching}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogPushSent(ILogger logger, string flowRef, string subject, string outcome, bool numberMatching, string clientIp, string userAgent);

    public static void PushAnswered(this ILogger logger, AuditActor who, string outcome) => LogPushAnswered(logger, who.FlowRef, who.Subject, outcome, who.ClientIp, who.UserAgent);

    [LoggerMessage(1005, LogLevel.Information, "Push answered: flow {FlowRef}, subject {Subject}, outcome {Outcome}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogPushAnswered(ILogger logger, string flowRef, string subject, string outcome, string clientIp, string userAgent);

    public static void LimitReached(this ILogger logger, AuditActor who, string limit) => LogLimitReached(logger, who.FlowRef, who.Subject, limit, who.ClientIp, who.UserAgent);

    /// <summary>A poll answer named a new poll link that is not the org's transaction path for the flow: not followed (never quoted).</summary>
    [LoggerMessage(1040, LogLevel.Warning, "Push poll link not followed: flow {FlowRef}; an answer named a link outside the org's transaction path, the checked link stays")]
    public static partial void PollLinkNotFollowed(this ILogger logger, string flowRef);

    [LoggerMessage(1006, LogLevel.Warning, "Limit reached: flow {FlowRef}, subject {Subject}, limit {Limit}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogLimitReached(ILogger logger, string flowRef, string subject, string limit, string clientIp, string userAgent);

    public static void TokenIssued(this ILogger logger, AuditActor who, DateTimeOffset expiresAt) => LogTokenIssued(logger, who.FlowRef, who.Subject, expiresAt, who.ClientIp, who.UserAgent);

    [LoggerMessage(1007, LogLevel.Information, "Reset token issued: flow {FlowRef}, subject {Subject}, expires {ExpiresAt:o}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogTokenIssued(ILogger logger, string flowRef, string subject, DateTimeOffset expiresAt, string clientIp, string userAgent);

    public static void TokenRefused(this ILogger logger, AuditActor who, string reason) => LogTokenRefused(logger, who.FlowRef, who.Subject, reason, who.ClientIp, who.UserAgent);

    [LoggerMessage(1008, LogLevel.Warning, "Reset token refused: flow {FlowRef}, subject {Subject}, reason {Reason}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogTokenRefused(ILogger logger, string flowRef, string subject, string reason, string clientIp, string userAgent);

    public static void PasswordChange(this ILogger logger, AuditActor who, string outcome) => LogPasswordChange(logger, who.FlowRef, who.Subject, outcome, who.ClientIp, who.UserAgent);

    [LoggerMessage(1009, LogLevel.Information, "Password change: flow {FlowRef}, subject {Subject}, outcome {Outcome}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogPasswordChange(ILogger logger, string flowRef, string subject, string outcome, string clientIp, string userAgent);

    public static void FlowEnded(this ILogger logger, AuditActor who, FlowStage stage, FlowProblem? problem) => LogFlowEnded(logger, who.FlowRef, who.Subject, stage, problem, who.ClientIp, who.UserAgent);

    [LoggerMessage(1010, LogLevel.Information, "Flow ended: flow {FlowRef}, subject {Subject}, stage {Stage}, problem {Problem}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogFlowEnded(ILogger logger, string flowRef, string subject, FlowStage stage, FlowProblem? problem, string clientIp, string userAgent);

    public static void AfterChange(this ILogger logger, AuditActor who, string step, string outcome) => LogAfterChange(logger, who.FlowRef, who.Subject, step, outcome, who.ClientIp, who.UserAgent);

    [LoggerMessage(1011, LogLevel.Information, "After the change: flow {FlowRef}, subject {Subject}, step {Step}, outcome {Outcome}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogAfterChange(ILogger logger, string flowRef, string subject, string step, string outcome, string clientIp, string userAgent);

    public static void ChoiceRefused(this ILogger logger, AuditActor who, string choice) => LogChoiceRefused(logger, who.FlowRef, choice, who.ClientIp, who.UserAgent);

    [LoggerMessage(1012, LogLevel.Warning, "Choice refused: flow {FlowRef}, choice {Choice}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogChoiceRefused(ILogger logger, string flowRef, string choice, string clientIp, string userAgent);

    public static void CodeRefused(this ILogger logger, RequestOrigin client, string code) => LogCodeRefused(logger, code, client.ClientIp, client.UserAgent);

    [LoggerMessage(1013, LogLevel.Warning, "Code refused before Okta: not a code, value {Code}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogCodeRefused(ILogger logger, string code, string clientIp, string userAgent);

    public static void PasswordRefused(this ILogger logger, AuditActor who, string reasons) => LogPasswordRefused(logger, who.FlowRef, who.Subject, reasons, who.ClientIp, who.UserAgent);

    [LoggerMessage(1014, LogLevel.Information, "Password refused before Okta: flow {FlowRef}, subject {Subject}, reasons {Reasons}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogPasswordRefused(ILogger logger, string flowRef, string subject, string reasons, string clientIp, string userAgent);

    [LoggerMessage(1015, LogLevel.Warning, "Breached-password check unavailable, password not checked against it: {Reason}")]
    public static partial void BreachCheckFailed(this ILogger logger, string reason);

    public static void AccountUnlock(this ILogger logger, AuditActor who, string outcome) => LogAccountUnlock(logger, who.FlowRef, who.Subject, outcome, who.ClientIp, who.UserAgent);

    [LoggerMessage(1021, LogLevel.Information, "Account unlock after verification: flow {FlowRef}, subject {Subject}, outcome {Outcome}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogAccountUnlock(ILogger logger, string flowRef, string subject, string outcome, string clientIp, string userAgent);

    public static void ResetNotOffered(this ILogger logger, AuditActor who, string reason) => LogResetNotOffered(logger, who.FlowRef, who.Subject, reason, who.ClientIp, who.UserAgent);

    [LoggerMessage(1020, LogLevel.Warning, "Self-service reset not offered after verification: flow {FlowRef}, subject {Subject}, reason {Reason}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogResetNotOffered(ILogger logger, string flowRef, string subject, string reason, string clientIp, string userAgent);

    public static void RecoveryRuleApplied(this ILogger logger, AuditActor who, string policy, string rule, bool resetAllowed) => LogRecoveryRuleApplied(logger, who.FlowRef, who.Subject, policy, rule, resetAllowed, who.ClientIp, who.UserAgent);

    [LoggerMessage(1023, LogLevel.Information, "Okta password policy rule applied after verification: flow {FlowRef}, subject {Subject}, policy {Policy}, rule {Rule}, reset allowed {ResetAllowed}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogRecoveryRuleApplied(ILogger logger, string flowRef, string subject, string policy, string rule, bool resetAllowed, string clientIp, string userAgent);

    public static void SecondMethodNeeded(this ILogger logger, AuditActor who) => LogSecondMethodNeeded(logger, who.FlowRef, who.Subject, who.ClientIp, who.UserAgent);

    [LoggerMessage(1025, LogLevel.Information, "First of two methods verified, a second one is needed: flow {FlowRef}, subject {Subject}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogSecondMethodNeeded(ILogger logger, string flowRef, string subject, string clientIp, string userAgent);

    [LoggerMessage(1024, LogLevel.Warning, "The Okta recovery rules could not be read ({What}: {Outcome}); no reset is offered until they can be")]
    public static partial void RecoveryRuleUnreadable(this ILogger logger, string what, string outcome);

    public static void OktaError(this ILogger logger, RequestOrigin client, FlowOktaCall operation, int httpStatus, string? errorCode, string? errorId) => LogOktaError(logger, operation, httpStatus, errorCode, errorId, client.ClientIp, client.UserAgent);

    [LoggerMessage(1700, LogLevel.Warning, "Okta error: operation {Operation}, status {HttpStatus}, code {ErrorCode}, id {ErrorId}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogOktaError(ILogger logger, FlowOktaCall operation, int httpStatus, string? errorCode, string? errorId, string clientIp, string userAgent);

    public static void OktaThrottled(this ILogger logger, RequestOrigin client, FlowOktaCall operation, int? limit, int? remaining, DateTimeOffset? resetAt) => LogOktaThrottled(logger, operation, limit, remaining, resetAt, client.ClientIp, client.UserAgent);

    [LoggerMessage(1701, LogLevel.Warning, "Okta rate limit: operation {Operation}, limit {Limit}, remaining {Remaining}, reset {ResetAt:o}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogOktaThrottled(ILogger logger, FlowOktaCall operation, int? limit, int? remaining, DateTimeOffset? resetAt, string clientIp, string userAgent);

    public static void OktaUnavailable(this ILogger logger, RequestOrigin client, FlowOktaCall operation, OktaUnavailableKind kind, int? httpStatus, bool mayHaveReached) => LogOktaUnavailable(logger, operation, kind, httpStatus, mayHaveReached, client.ClientIp, client.UserAgent);

    [LoggerMessage(1702, LogLevel.Error, "Okta unavailable: operation {Operation}, kind {Kind}, status {HttpStatus}, may have reached Okta {MayHaveReached}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogOktaUnavailable(ILogger logger, FlowOktaCall operation, OktaUnavailableKind kind, int? httpStatus, bool mayHaveReached, string clientIp, string userAgent);

    public static void OktaRefused(this ILogger logger, AuditActor who, FlowOktaCall operation) => LogOktaRefused(logger, operation, who.FlowRef, who.ClientIp, who.UserAgent);

    [LoggerMessage(1703, LogLevel.Error, "Okta call refused by the client: operation {Operation}, flow {FlowRef}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogOktaRefused(ILogger logger, FlowOktaCall operation, string flowRef, string clientIp, string userAgent);

    public static void AntiforgeryFailed(this ILogger logger, RequestOrigin client, string path) => LogAntiforgeryFailed(logger, path, client.ClientIp, client.UserAgent);

    [LoggerMessage(1200, LogLevel.Warning, "Antiforgery validation failed: path {Path}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogAntiforgeryFailed(ILogger logger, string path, string clientIp, string userAgent);

    public static void CrossSiteRefused(this ILogger logger, RequestOrigin client, string path, string fetchSite, string origin) => LogCrossSiteRefused(logger, path, fetchSite, origin, client.ClientIp, client.UserAgent);

    [LoggerMessage(1201, LogLevel.Warning, "Cross-site request refused: path {Path}, fetch site {FetchSite}, origin {Origin}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogCrossSiteRefused(ILogger logger, string path, string fetchSite, string origin, string clientIp, string userAgent);

    // Debug: a client may poll 30,000 times a minute (Reset:Limits:PollsPerMinutePerClient); the request log is at Debug too.
    public static void PollWithoutPush(this ILogger logger, RequestOrigin client) => LogPollWithoutPush(logger, client.ClientIp, client.UserAgent);

    [LoggerMessage(1202, LogLevel.Debug, "Push status asked without a pending push: client {ClientIp}, agent {UserAgent}")]
    private static partial void LogPollWithoutPush(ILogger logger, string clientIp, string userAgent);

    public static void ClientThrottled(this ILogger logger, RequestOrigin client, int limit) => LogClientThrottled(logger, client.ClientIp, client.UserAgent, limit);

    [LoggerMessage(1204, LogLevel.Warning, "Client over its request limit: client {ClientIp}, agent {UserAgent}, limit {Limit} per minute")]
    private static partial void LogClientThrottled(ILogger logger, string clientIp, string userAgent, int limit);

    [LoggerMessage(1203, LogLevel.Error, "Unhandled exception: path {Path}, reference {Reference}")]
    public static partial void Unhandled(this ILogger logger, Exception exception, string path, string reference);

    public static void InputRefused(this ILogger logger, RequestOrigin client, string page, string fields) => LogInputRefused(logger, page, fields, client.ClientIp, client.UserAgent);

    [LoggerMessage(1205, LogLevel.Warning, "Input refused: page {Page}, fields {Fields}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogInputRefused(ILogger logger, string page, string fields, string clientIp, string userAgent);

    public static void UnreadableRequest(this ILogger logger, RequestOrigin client, string path, string reason) => LogUnreadableRequest(logger, path, reason, client.ClientIp, client.UserAgent);

    [LoggerMessage(1206, LogLevel.Warning, "Unreadable request refused: path {Path}, reason {Reason}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogUnreadableRequest(ILogger logger, string path, string reason, string clientIp, string userAgent);

    public static void MethodNotServed(this ILogger logger, RequestOrigin client, string method, string path) => LogMethodNotServed(logger, method, path, client.ClientIp, client.UserAgent);

    [LoggerMessage(1207, LogLevel.Warning, "Method not served: method {Method}, path {Path}, client {ClientIp}, agent {UserAgent}")]
    private static partial void LogMethodNotServed(ILogger logger, string method, string path, string clientIp, string userAgent);

    [LoggerMessage(1030, LogLevel.Warning, "Verification pause lifted by the help desk: subject {Subject}, account {Outcome}")]
    public static partial void PauseLifted(this ILogger logger, string subject, string outcome);
}
