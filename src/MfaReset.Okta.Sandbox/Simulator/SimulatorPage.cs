using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Org;

namespace MfaReset.Okta.Sandbox.Simulator;

/// <summary>
/// The phone simulator page: reads what each demo user's phone shows (<see cref="SimulatorView"/>) and lays it
/// out with the Razor components beside it (<c>SimulatorDocument.razor</c>), which encode every value. The page
/// works with plain forms; <c>simulator.js</c> refreshes the <c>data-region</c> blocks in place and announces what changed.
/// </summary>
internal sealed class SimulatorPage(SandboxOrg org, ISandboxControl control, SandboxOptions options, ComponentRenderer components)
{
    public const int RefreshMilliseconds = 2000;

    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["approved"] = "Push approved.",
        ["denied"] = "Push denied.",
        ["wrong-number"] = "Wrong number picked: the push was rejected.",
        ["not-pending"] = "That push was no longer waiting (answered or expired).",
        ["saved"] = "Switches saved.",
        ["reset"] = "Everything was reset: the demo users are back to their seed state, and the portal's flows, limits and pauses were cleared.",
        ["reset-org-only"] = "The demo users are back to their seed state. No portal reported clearing its own flows, limits and pauses: a portal with a shared (PostgreSQL) store keeps them, and a portal that is not listening was not told (restarting a portal that keeps them in memory clears them).",
    };

    /// <summary>The page; <paramref name="notice"/> is a key of a fixed message, shown in <paramref name="noticeLogin"/>'s section.</summary>
    public async Task<string> RenderAsync(string? notice, string? noticeLogin)
    {
        var now = org.Clock.GetUtcNow();
        var users = org.Users.Where(u => u.Seed.IsDemoUser).ToList();
        var message = notice is not null && Notices.TryGetValue(notice, out var text) ? text : null;
        var reset = new RegionHtml("reset-region", await components.RenderAsync<ResetControls>(nameof(ResetControls.Notice), notice is "reset" or "reset-org-only" ? message : null).ConfigureAwait(false), Announce: null);
        var phones = new List<PhoneView>(users.Count);
        foreach (var user in users)
        {
            var isNoticed = string.Equals(user.Seed.Login, noticeLogin, StringComparison.OrdinalIgnoreCase);
            phones.Add(await PhoneAsync(user, isNoticed ? message : null, now).ConfigureAwait(false));
        }

        var view = new SimulatorView(string.IsNullOrWhiteSpace(options.PortalUrl) ? null : options.PortalUrl, reset, phones, org.Users.Count - users.Count);
        return (await components.RenderAsync<SimulatorDocument>(nameof(SimulatorDocument.View), view).ConfigureAwait(false)).Value;
    }

    /// <summary>The id of a user's section: <c>user-sam-sms</c> for <c>sam.sms@example.com</c>.</summary>
    public static string Slug(string login) =>
        "user-" + new string([.. login.Split('@')[0].Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);

    private async Task<PhoneView> PhoneAsync(OrgUser user, string? notice, DateTimeOffset now)
    {
        var slug = Slug(user.Seed.Login);
        var info = control.GetUser(user.Seed.Login);
        var inbox = new RegionHtml($"{slug}-inbox", await components.RenderAsync<InboxRegion>(nameof(InboxRegion.View), Inbox(user, info, slug, now)).ConfigureAwait(false), Announcement(info, now));
        var totp = user.Seed.Factors.Where(f => f.IsTotp).ToList();
        RegionHtml? codes = null;
        if (totp.Count > 0)
        {
            var shown = control.GetTotpCodes(user.Seed.Login).Select(c => new AuthenticatorCode(user.Seed.Factors.First(f => f.Id == c.FactorId).Label, c)).ToList();
            codes = new RegionHtml($"{slug}-codes", await components.RenderAsync<AuthenticatorCodes>(nameof(AuthenticatorCodes.Codes), shown).ConfigureAwait(false), Announce: null);
        }

        return new PhoneView(slug, info, notice, inbox, codes,
            [.. totp.Select(f => new TotpEnrollment(f.Id, f.Label, f.TotpSecret!.Base32))],
            info.Factors.Any(f => f.Kind == SandboxFactorKind.OktaVerifyPush));
    }

    private InboxView Inbox(OrgUser user, SandboxUserInfo info, string slug, DateTimeOffset now)
    {
        var pushes = user.Seed.Factors.Any(f => f.Kind == SandboxFactorKind.OktaVerifyPush) ? control.GetPendingPushes(info.Login) : null;
        var received = control.GetMessages(info.Login);
        var shown = ShownMessages(user, received, now);
        var mail = control.GetMail(info.Login);
        var hasEmail = user.Seed.Factors.Any(f => f.Kind == SandboxFactorKind.Email);
        var lists = new List<MessageList>();
        if (user.Seed.Factors.Any(f => f.IsPhone))
        {
            lists.Add(new MessageList("Messages", "No SMS or call yet.", [.. shown.Where(m => m.Message.Channel != PhoneChannel.Email)]));
        }

        if (hasEmail)
        {
            lists.Add(new MessageList("Inbox", mail.Count == 0 ? "No email yet." : "No code by email yet.", [.. shown.Where(m => m.Message.Channel == PhoneChannel.Email)]));
        }

        return new InboxView(slug, info.Status, Scripted(info), NotOffered(info), History(user, info, now), pushes, lists,
            MailHeading: !hasEmail && mail.Count > 0, mail, NoFactors: user.Seed.Factors.Count == 0);
    }

    // Methods the user has that the portal does not offer: without this a trainer waits for an email that is never asked for.
    private List<string> NotOffered(SandboxUserInfo info) => options.PortalFactorKinds.Length == 0
        ? []
        : [.. info.Factors
            .Where(f => f.Kind != SandboxFactorKind.SecurityQuestion && !options.PortalFactorKinds.Contains(f.Kind.ToString(), StringComparer.OrdinalIgnoreCase))
            .Select(f => KindName(f.Kind)).Distinct()];

    private static List<HistoryEvent> History(OrgUser user, SandboxUserInfo info, DateTimeOffset now)
    {
        var events = new List<HistoryEvent>();
        lock (user.Gate)
        {
            if (user.PasswordHistory.Count > 1)
            {
                events.Add(new HistoryEvent.PasswordChanged(info.PasswordChanged));
            }

            if (user.Pushes.Count > 0)
            {
                var lastPush = user.Pushes[^1];
                events.Add(new HistoryEvent.LastPush(lastPush.SentAt, PushAnswer(lastPush, now)));
            }
        }

        if (info.SessionsRevoked is { } ended)
        {
            events.Add(new HistoryEvent.SessionsEnded(ended, info.OAuthTokensRevoked is not null));
        }

        return events;
    }

    private static string PushAnswer(PushTransaction push, DateTimeOffset now) => push.StateAt(now) switch
    {
        PushState.Approved => "approved",
        PushState.Rejected when push.WrongNumberPicked => "rejected, the wrong number was picked",
        PushState.Rejected => "denied",
        PushState.TimedOut => "expired without an answer",
        PushState.Cancelled => "cancelled by the portal",
        _ => "waiting for an answer",
    };

    // Each message's code: the one that works now, or why it no longer does.
    private static List<ShownMessage> ShownMessages(OrgUser user, IReadOnlyList<PhoneMessage> newestFirst, DateTimeOffset now)
    {
        var shown = new List<ShownMessage>(newestFirst.Count);
        var newerSeen = new HashSet<string>(StringComparer.Ordinal);
        lock (user.Gate)
        {
            foreach (var message in newestFirst)
            {
                var open = user.OpenCodes.TryGetValue(message.FactorId, out var current) && ReferenceEquals(current, message);
                shown.Add(newerSeen.Contains(message.FactorId) ? new ShownMessage(message, null, "replaced by a newer code")
                    : now >= message.ExpiresAt ? new ShownMessage(message, null, "expired")
                    : open ? new ShownMessage(message, message.ExpiresAt, null)
                    : new ShownMessage(message, null, "used"));
                newerSeen.Add(message.FactorId);
            }
        }

        return shown;
    }

    private static string KindName(SandboxFactorKind kind) => kind switch
    {
        SandboxFactorKind.Sms => "text message",
        SandboxFactorKind.Call => "voice call",
        SandboxFactorKind.OktaVerifyPush => "Okta Verify push",
        SandboxFactorKind.OktaVerifyTotp => "Okta Verify code",
        SandboxFactorKind.GoogleAuthenticator => "Google Authenticator",
        _ => "email",
    };

    private static string Scripted(SandboxUserInfo info)
    {
        var parts = new List<string>();
        if (info.NextPush != ScriptedPushOutcome.None)
        {
            parts.Add($"next push: {info.NextPush}");
        }

        if (info.NextCall != ScriptedCallFault.None)
        {
            parts.Add($"next Okta call: {info.NextCall}");
        }

        return parts.Count == 0 ? "" : $" Scripted: {string.Join("; ", parts)}.";
    }

    // What the live region says when this user's inbox changes: the newest push or message.
    private string Announcement(SandboxUserInfo info, DateTimeOffset now)
    {
        var pushes = control.GetPendingPushes(info.Login);
        var push = pushes.Count > 0 ? pushes[0] : null;
        var message = control.GetLatestMessage(info.Login);
        if (push is not null && (message is null || push.SentAt >= message.SentAt))
        {
            return $"Push waiting for {info.DisplayName}.";
        }

        return message is not null && now < message.ExpiresAt
            ? $"{(message.Channel == PhoneChannel.Sms ? "SMS" : "Voice call")} for {info.DisplayName}: {message.Code}."
            : $"{info.DisplayName}: {info.Status}.";
    }
}
