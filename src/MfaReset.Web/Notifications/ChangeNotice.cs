namespace MfaReset.Web.Notifications;

/// <summary>What changed on the account.</summary>
public enum NoticeKind
{
    PasswordReset,
    AccountUnlocked,
}

/// <summary>
/// One notice to send: what the portal knew at the change. No address is kept: the recipients are read from
/// Okta's profile when it is sent. Nothing here is a secret (no code, token or password).
/// </summary>
/// <param name="Id">Random, for logs and the outbox.</param>
/// <param name="Kind">What changed.</param>
/// <param name="OktaUserId">Whose account.</param>
/// <param name="Culture">The language the flow used (en, es, fr, de).</param>
/// <param name="ChangedAt">When, on the portal's clock.</param>
/// <param name="ClientAddress">The client address the portal trusts (after forwarded-headers processing).</param>
/// <param name="Browser">The browser family from the User-Agent ("Firefox", "Chrome"), never the whole header.</param>
/// <param name="Method">The method kind verified.</param>
/// <param name="MethodMask">The masked phone number or address of that method, when the flow showed one.</param>
public sealed record ChangeNotice(
    string Id,
    NoticeKind Kind,
    string OktaUserId,
    string Culture,
    DateTimeOffset ChangedAt,
    string ClientAddress,
    string Browser,
    FactorKind Method,
    string? MethodMask);

/// <summary>Where a notice stands in the outbox.</summary>
public enum NoticeStatus
{
    Pending,
    Sent,

    /// <summary>Every attempt failed; kept for the operator, never dropped.</summary>
    Failed,
}

/// <summary>A notice in the outbox with its delivery record.</summary>
public sealed record OutboxEntry(ChangeNotice Notice, NoticeStatus Status, int Attempts, DateTimeOffset NextAttemptAt, string? LastError);

/// <summary>Pending and failed notices now: the alert watches <see cref="Pending"/> grow.</summary>
public readonly record struct OutboxCounts(long Pending, long Failed);

/// <summary>A "this wasn't me" link as stored: only the hash of its token.</summary>
public sealed record WasntMeLink(string TokenHash, string NoticeId, string OktaUserId, NoticeKind Kind, DateTimeOffset ChangedAt, DateTimeOffset ExpiresAt);

/// <summary>What using a link's token did.</summary>
public enum LinkUse
{
    /// <summary>The token was unused and unexpired, and is now used.</summary>
    Claimed,

    /// <summary>The token was used before.</summary>
    AlreadyUsed,

    /// <summary>Expired, or never issued.</summary>
    NotValid,
}

/// <summary>
/// A person said a change was not theirs. Read by the help desk console through <see cref="IWasntMeReports"/>.
/// </summary>
/// <param name="OktaUserId">Whose account.</param>
/// <param name="NoticeId">The notice whose link was used.</param>
/// <param name="Kind">The change reported.</param>
/// <param name="ChangedAt">When the change was made.</param>
/// <param name="ReportedAt">When it was reported.</param>
/// <param name="ClientAddress">The address the report came from.</param>
/// <param name="SessionsEnded">Whether Okta ended the person's sessions.</param>
public sealed record WasntMeReport(string OktaUserId, string NoticeId, NoticeKind Kind, DateTimeOffset ChangedAt, DateTimeOffset ReportedAt, string ClientAddress, bool SessionsEnded);
