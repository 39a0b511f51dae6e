using System.Security.Cryptography;
using System.Text;
using MfaReset.Okta.Sandbox.Control;
using Microsoft.AspNetCore.Components;

namespace MfaReset.Okta.Sandbox.Simulator;

// What the phone simulator page shows, read from the org before any HTML is written: the Razor
// components under this folder only lay these values out (and encode them). Public because the
// components that take them as parameters are (Razor generates public classes).

/// <summary>The whole page.</summary>
public sealed record SimulatorView(string? PortalUrl, RegionHtml Reset, IReadOnlyList<PhoneView> Phones, int HiddenUsers);

/// <summary>One demo user's phone: its regions are rendered first, so each carries the version of its HTML.</summary>
public sealed record PhoneView(
    string Slug,
    SandboxUserInfo Info,
    string? Notice,
    RegionHtml Inbox,
    RegionHtml? Codes,
    IReadOnlyList<TotpEnrollment> Enrollments,
    bool HasPush);

/// <summary>
/// A block <c>simulator.js</c> swaps in place: it replaces a region only when its version changed, so focus
/// and open details survive refreshes. <paramref name="Content"/> is HTML rendered (and encoded) by a component.
/// </summary>
public sealed record RegionHtml(string Id, MarkupString Content, string? Announce)
{
    public string Version => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Content.Value + Announce)).AsSpan(0, 8));
}

/// <summary>What the inbox region shows.</summary>
/// <param name="Scripted">The trainer's scripted next push and call, or empty.</param>
/// <param name="NotOffered">Methods the user has that the portal does not offer.</param>
/// <param name="Pushes">Pending pushes; null when the user has no push factor.</param>
/// <param name="MessageLists">Texts and calls, then codes by email, each for a factor the user has.</param>
/// <param name="MailHeading">True when mail arrived for a user without an email factor (no list above gives it a heading).</param>
public sealed record InboxView(
    string Slug,
    string Status,
    string Scripted,
    IReadOnlyList<string> NotOffered,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<PendingPush>? Pushes,
    IReadOnlyList<MessageList> MessageLists,
    bool MailHeading,
    IReadOnlyList<InboxMail> Mail,
    bool NoFactors);

/// <summary>What the demo did to a user: the trainer's answer to "did it really change the password?".</summary>
public abstract record HistoryEvent
{
    public sealed record PasswordChanged(DateTimeOffset At) : HistoryEvent;

    public sealed record LastPush(DateTimeOffset SentAt, string Answer) : HistoryEvent;

    public sealed record SessionsEnded(DateTimeOffset At, bool WithOAuthTokens) : HistoryEvent;
}

public sealed record MessageList(string Heading, string None, IReadOnlyList<ShownMessage> Messages);

/// <summary>A message and its code's state: valid until <paramref name="ValidUntil"/>, else <paramref name="Gone"/> says why not.</summary>
public sealed record ShownMessage(PhoneMessage Message, DateTimeOffset? ValidUntil, string? Gone);

public sealed record AuthenticatorCode(string Label, TotpCode Code);

public sealed record TotpEnrollment(string FactorId, string Label, string Base32Secret);
