using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Okta.Sandbox.Org;

namespace MfaReset.Okta.Sandbox.Simulator;

/// <summary>
/// The phone simulator page, written as HTML by hand (no Razor, so nothing depends on the entry assembly
/// finding application parts when the portal embeds the sandbox). Every value goes through the HTML
/// encoder. The page works with plain forms; <c>simulator.js</c> refreshes the <c>data-region</c>
/// blocks in place and announces what changed.
/// </summary>
internal sealed class SimulatorPage(SandboxOrg org, ISandboxControl control, SandboxOptions options)
{
    public const int RefreshMilliseconds = 2000;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

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
    public string Render(string? notice, string? noticeLogin)
    {
        var now = org.Clock.GetUtcNow();
        var users = org.Users.Where(u => u.Seed.IsDemoUser).ToList();
        var message = notice is not null && Notices.TryGetValue(notice, out var text) ? text : null;
        var html = new StringBuilder(16 * 1024);
        var portal = string.IsNullOrWhiteSpace(options.PortalUrl) ? "" : $"""<a href="{E(options.PortalUrl)}">Back to the portal</a> · """;
        html.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Phone simulator - Okta sandbox</title>
            <link rel="stylesheet" href="{SimulatorEndpoints.PagePath}/assets/simulator.css">
            <script src="{SimulatorEndpoints.PagePath}/assets/simulator.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to the phones</a>
            <header>
            <h1>Phone simulator</h1>
            <p>The Okta sandbox delivers its text messages, voice calls, emails and Okta Verify pushes here, shows the authenticator codes of its demo users and what happened to each of them. Times are in your browser's time zone (hover for UTC).</p>
            <p>{portal}<a href="{SimulatorEndpoints.PagePath}">Refresh</a> (with scripts on, the page refreshes by itself).</p>
            <section id="whole-sandbox" aria-labelledby="reset-title" class="phone reset">
            <h2 id="reset-title">Start the demo again</h2>

            """);
        AppendRegion(html, "reset-region", ResetControls(notice is "reset" or "reset-org-only" ? message : null), announce: null);
        html.Append("""
            </section>
            <nav aria-label="Demo users"><ul>

            """);
        foreach (var user in users)
        {
            html.Append($"""<li><a href="#{Slug(user)}">{E(user.Seed.DisplayName)}</a> <span class="login">{E(user.Seed.Login)}</span></li>""").Append('\n');
        }

        html.Append($"""
            </ul></nav>
            </header>
            <main id="main" data-refresh-ms="{RefreshMilliseconds}">
            <p id="announcer" class="visually-hidden" role="status" aria-live="polite"></p>
            """);
        foreach (var user in users)
        {
            var isNoticed = string.Equals(user.Seed.Login, noticeLogin, StringComparison.OrdinalIgnoreCase);
            AppendUser(html, user, isNoticed ? message : null, now);
        }

        var hidden = org.Users.Count - users.Count;
        if (hidden > 0)
        {
            html.Append($"<p>{hidden.ToString(CultureInfo.InvariantCulture)} generated load-test users are not shown; use the JSON control API under <code>{SimulatorEndpoints.PagePath}/api/</code>.</p>\n");
        }

        html.Append("""
            </main>
            </body>
            </html>
            """);
        return html.ToString();
    }

    // A confirmation without scripts: the button that resets sits inside a disclosure the trainer opens first.
    private static string ResetControls(string? notice) => $"""
        {(notice is null ? "" : $"""<p class="notice" role="status" tabindex="-1">{E(notice)}</p>""")}
        <details>
        <summary>Reset everything…</summary>
        <p>Puts every demo user back as seeded (status, password, messages, pushes, switches) and clears the portal's flows, limits and pauses when it keeps them in memory. Anyone in the middle of a reset has to start again.</p>
        <form method="post" action="{SimulatorEndpoints.PagePath}/reset" data-enhance>
        <button type="submit" id="reset-sandbox">Yes, reset everything</button>
        </form>
        </details>
        """;

    private void AppendUser(StringBuilder html, OrgUser user, string? notice, DateTimeOffset now)
    {
        var slug = Slug(user);
        var info = control.GetUser(user.Seed.Login);
        html.Append($"""
            <section id="{slug}" aria-labelledby="{slug}-title" class="phone" tabindex="-1">
            <h2 id="{slug}-title">{E(info.DisplayName)} <span class="login">{E(info.Login)}</span></h2>
            <p>{E(info.Description)}.</p>
            {(notice is null ? "" : $"""<p class="notice" role="status">{E(notice)}</p>""")}
            """);
        AppendRegion(html, $"{slug}-inbox", Inbox(user, info, now), Announcement(user, info, now));
        var totp = user.Seed.Factors.Where(f => f.IsTotp).ToList();
        if (totp.Count > 0)
        {
            AppendRegion(html, $"{slug}-codes", AuthenticatorCodes(user), announce: null);
            foreach (var factor in totp)
            {
                html.Append($"""
                    <details id="{slug}-qr-{E(factor.Id)}">
                    <summary>Enroll the {E(factor.Label)} in an authenticator app</summary>
                    <img src="{SimulatorEndpoints.PagePath}/qr/{E(factor.Id)}.png" alt="QR code of the {E(factor.Label)} of {E(info.Login)}">
                    <p>Or type the secret: <code>{E(factor.TotpSecret!.Base32)}</code> (SHA-1, 6 digits, 30 seconds).</p>
                    </details>
                    """);
            }
        }

        AppendSwitches(html, slug, info);
        html.Append("</section>\n");
    }

    private string Inbox(OrgUser user, SandboxUserInfo info, DateTimeOffset now)
    {
        var html = new StringBuilder();
        html.Append($"""<p>Status: <strong>{E(info.Status)}</strong>.{Scripts(info)}</p>""").Append('\n');
        AppendNotOffered(html, info);
        AppendHistory(html, user, info, now);
        if (user.Seed.Factors.Any(f => f.Kind == SandboxFactorKind.OktaVerifyPush))
        {
            var pushes = control.GetPendingPushes(info.Login);
            html.Append($"""<h3 id="{Slug(user)}-pushes" tabindex="-1">Okta Verify</h3>""").Append('\n');
            if (pushes.Count == 0)
            {
                html.Append("<p>No push waiting.</p>\n");
            }
            else
            {
                html.Append("<ul class=\"pushes\">\n");
                foreach (var push in pushes)
                {
                    AppendPush(html, push);
                }

                html.Append("</ul>\n");
            }
        }

        var received = control.GetMessages(info.Login);
        var codeStates = CodeStates(user, received, now);
        if (user.Seed.Factors.Any(f => f.IsPhone))
        {
            AppendMessages(html, "Messages", "No SMS or call yet.", [.. received.Where(m => m.Channel != PhoneChannel.Email)], codeStates);
        }

        var mail = control.GetMail(info.Login);
        if (user.Seed.Factors.Any(f => f.Kind == SandboxFactorKind.Email))
        {
            AppendMessages(html, "Inbox", mail.Count == 0 ? "No email yet." : "No code by email yet.", [.. received.Where(m => m.Channel == PhoneChannel.Email)], codeStates);
        }
        else if (mail.Count > 0)
        {
            html.Append("<h3>Inbox</h3>\n");
        }

        AppendMail(html, mail);

        if (user.Seed.Factors.Count == 0)
        {
            html.Append("<p>No factors enrolled: nothing ever arrives on this phone.</p>\n");
        }

        return html.ToString();
    }

    private static void AppendPush(StringBuilder html, PendingPush push)
    {
        var id = E(push.TransactionId);
        var from = push.ClientIp is null ? E(push.UserAgent) : $"{E(push.UserAgent)} at {E(push.ClientIp)}";
        html.Append($"""
            <li class="push">
            <p><strong>Is this you signing in?</strong> {from}. Sent {TimeTag(push.SentAt)}, expires {TimeTag(push.ExpiresAt)}.</p>
            <form method="post" action="{SimulatorEndpoints.PagePath}/pushes/{id}/approve" data-enhance>
            """);
        if (push.Choices.Count > 0)
        {
            html.Append("<fieldset><legend>Approve: pick the number the reset page shows</legend>\n");
            foreach (var choice in push.Choices)
            {
                var number = choice.ToString(CultureInfo.InvariantCulture);
                html.Append($"""<button type="submit" name="pickedNumber" value="{number}" id="pick-{id}-{number}">{number}</button>""").Append('\n');
            }

            html.Append("</fieldset>\n");
        }
        else
        {
            html.Append($"""<button type="submit" id="approve-{id}">Approve</button>""").Append('\n');
        }

        html.Append($"""
            </form>
            <form method="post" action="{SimulatorEndpoints.PagePath}/pushes/{id}/deny" data-enhance>
            <button type="submit" id="deny-{id}">Deny</button>
            </form>
            </li>
            """).Append('\n');
    }

    private string AuthenticatorCodes(OrgUser user)
    {
        var html = new StringBuilder("<h3>Authenticator codes</h3>\n<dl class=\"codes\">\n");
        foreach (var code in control.GetTotpCodes(user.Seed.Login))
        {
            var label = user.Seed.Factors.First(f => f.Id == code.FactorId).Label;
            html.Append($"""
                <dt>{E(label)}</dt>
                <dd><span class="code">{E(code.Code)}</span> <span class="seconds">{code.SecondsLeft.ToString(CultureInfo.InvariantCulture)} s left</span></dd>
                """).Append('\n');
        }

        return html.Append("</dl>\n").ToString();
    }

    private static void AppendSwitches(StringBuilder html, string slug, SandboxUserInfo info)
    {
        if (info.Factors.Count == 0)
        {
            return;
        }

        html.Append($"""
            <form method="post" action="{SimulatorEndpoints.PagePath}/users/{UrlEncoder.Default.Encode(info.Login)}/switches" class="switches" data-enhance>
            <fieldset>
            <legend>Trainer switches</legend>
            {(info.Factors.Any(f => f.Kind == SandboxFactorKind.OktaVerifyPush) ? NextPushSwitch(slug, info) : "")}
            <label for="{slug}-next-call">Next Okta call about this user</label>
            <select id="{slug}-next-call" name="nextCall">
            {Options(info.NextCall, (ScriptedCallFault.None, "Normal"), (ScriptedCallFault.TooManyRequests, "429 Too Many Requests"), (ScriptedCallFault.ServerError, "500 Internal Server Error"), (ScriptedCallFault.Slow, "Slow answer"),
                (ScriptedCallFault.ConcurrencyLimit, "429 concurrency limit"), (ScriptedCallFault.UserRateLimit, "429 this user's limit"),
                (ScriptedCallFault.CallRateLimit, "403 E0000151 call limit"), (ScriptedCallFault.InternationalPhoneNotAllowed, "403 E0000099 international number"),
                (ScriptedCallFault.TelephonyOptOut, "400 E0000140 number opted out"), (ScriptedCallFault.NotAllowedInStatus, "403 E0000038 user status"),
                (ScriptedCallFault.UnlockNotAllowed, "403 E0000032 unlock not allowed"), (ScriptedCallFault.UserBeingActivated, "409 E0000112 being activated"),
                (ScriptedCallFault.AdditionalChallenge, "409 E0000113 additional challenge"))}
            </select>
            <button type="submit" id="{slug}-save-switches">Save switches</button>
            </fieldset>
            </form>
            """).Append('\n');
    }

    // Only for users with a push factor: for anyone else it would script something that never happens.
    private static string NextPushSwitch(string slug, SandboxUserInfo info) => $"""
        <label for="{slug}-next-push">Next push</label>
        <select id="{slug}-next-push" name="nextPush">
        {Options(info.NextPush, (ScriptedPushOutcome.None, "Wait for the phone"), (ScriptedPushOutcome.Approve, "Approve at once"), (ScriptedPushOutcome.Deny, "Deny at once"), (ScriptedPushOutcome.TimeOut, "Time out"))}
        </select>
        """;

    // Methods the user has that the portal does not offer: without this a trainer waits for an email that is never asked for.
    private void AppendNotOffered(StringBuilder html, SandboxUserInfo info)
    {
        if (options.PortalFactorKinds.Length == 0)
        {
            return;
        }

        var notOffered = info.Factors
            .Where(f => f.Kind != SandboxFactorKind.SecurityQuestion && !options.PortalFactorKinds.Contains(f.Kind.ToString(), StringComparer.OrdinalIgnoreCase))
            .Select(f => KindName(f.Kind)).Distinct().ToList();
        if (notOffered.Count > 0)
        {
            html.Append($"""<p class="flag">Not offered by the portal: {E(string.Join(", ", notOffered))}. Turn every method on with <code>Sandbox:AllMethods=true</code>, or list it in <code>Reset:EnabledFactorKinds</code>.</p>""").Append('\n');
        }
    }

    // What the demo did to this user: the trainer's answer to "did it really change the password?".
    private static void AppendHistory(StringBuilder html, OrgUser user, SandboxUserInfo info, DateTimeOffset now)
    {
        var events = new List<string>();
        PushTransaction? lastPush;
        lock (user.Gate)
        {
            if (user.PasswordHistory.Count > 1)
            {
                events.Add($"Password changed at {TimeTag(info.PasswordChanged)}.");
            }

            lastPush = user.Pushes.Count > 0 ? user.Pushes[^1] : null;
            if (lastPush is not null)
            {
                events.Add($"Last push, sent at {TimeTag(lastPush.SentAt)}: {PushAnswer(lastPush, now)}.");
            }
        }

        if (info.SessionsRevoked is { } ended)
        {
            events.Add($"Sessions ended at {TimeTag(ended)}{(info.OAuthTokensRevoked is null ? "" : ", with its OAuth tokens")}.");
        }

        html.Append("<h3>What happened</h3>\n");
        html.Append(events.Count == 0
            ? "<p>Nothing yet since the last reset.</p>\n"
            : $"<ul class=\"history\">\n{string.Concat(events.Select(e => $"<li>{e}</li>\n"))}</ul>\n");
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
    private static Dictionary<PhoneMessage, string> CodeStates(OrgUser user, IReadOnlyList<PhoneMessage> newestFirst, DateTimeOffset now)
    {
        var states = new Dictionary<PhoneMessage, string>(ReferenceEqualityComparer.Instance);
        var newerSeen = new HashSet<string>(StringComparer.Ordinal);
        lock (user.Gate)
        {
            foreach (var message in newestFirst)
            {
                var open = user.OpenCodes.TryGetValue(message.FactorId, out var current) && ReferenceEquals(current, message);
                states[message] = newerSeen.Contains(message.FactorId) ? "replaced by a newer code"
                    : now >= message.ExpiresAt ? "expired"
                    : open ? $"valid until {TimeTag(message.ExpiresAt)}"
                    : "used";
                newerSeen.Add(message.FactorId);
            }
        }

        return states;
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

    private static string Options<TEnum>(TEnum current, params (TEnum Value, string Label)[] choices)
        where TEnum : struct, Enum =>
        string.Concat(choices.Select(c =>
            $"""<option value="{c.Value}"{(c.Value.Equals(current) ? " selected" : "")}>{E(c.Label)}</option>"""));

    private static string Scripts(SandboxUserInfo info)
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

        return parts.Count == 0 ? "" : $" Scripted: {E(string.Join("; ", parts))}.";
    }

    private static void AppendMessages(StringBuilder html, string heading, string none, IReadOnlyList<PhoneMessage> messages, Dictionary<PhoneMessage, string> codeStates)
    {
        html.Append($"<h3>{heading}</h3>\n");
        if (messages.Count == 0)
        {
            html.Append($"<p>{none}</p>\n");
            return;
        }

        html.Append("<ol class=\"messages\" reversed>\n");
        foreach (var message in messages)
        {
            var sender = message.Channel == PhoneChannel.Email ? $"from Okta to {E(message.PhoneNumber)}, subject <q>Your verification code</q>," : $"to {E(message.PhoneNumber)}";
            html.Append($"""
                <li><span class="channel">{ChannelName(message.Channel)}</span> {sender} at {TimeTag(message.SentAt)} ({codeStates[message]}): <q>{E(message.Text)}</q> <span class="code">{E(message.Code)}</span></li>
                """).Append('\n');
        }

        html.Append("</ol>\n");
    }

    // The portal's notices: plain text, each line encoded; a line that is a web address becomes its link.
    // Articles, not list items: a notice that names a method ("Text message (SMS)") is never taken for a code.
    private static void AppendMail(StringBuilder html, IReadOnlyList<InboxMail> mail)
    {
        if (mail.Count == 0)
        {
            return;
        }

        html.Append("<div class=\"mail\">\n");
        foreach (var message in mail)
        {
            html.Append($"""<article class="notice"><p>Mail to {E(message.To)} at {TimeTag(message.ReceivedAt)}, subject <q>{E(message.Subject)}</q>:</p><p class="mail-text">""");
            foreach (var line in message.Text.Split('\n'))
            {
                var text = line.TrimEnd('\r');
                html.Append(Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
                    ? $"""<a href="{E(url.AbsoluteUri)}">{E(text)}</a><br>"""
                    : $"{E(text)}<br>");
            }

            html.Append("</p></article>\n");
        }

        html.Append("</div>\n");
    }

    private static string ChannelName(PhoneChannel channel) => channel switch
    {
        PhoneChannel.Sms => "SMS",
        PhoneChannel.Email => "Email",
        _ => "Voice call",
    };

    // What the live region says when this user's inbox changes: the newest push or message.
    private string Announcement(OrgUser user, SandboxUserInfo info, DateTimeOffset now)
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

    private static void AppendRegion(StringBuilder html, string id, string content, string? announce)
    {
        // The script replaces a region only when its version changed, so focus and open details survive refreshes.
        var version = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content + announce)).AsSpan(0, 8));
        html.Append($"""<div id="{id}" data-region data-version="{version}"{(announce is null ? "" : $" data-announce=\"{E(announce)}\"")}>""")
            .Append('\n').Append(content).Append("</div>\n");
    }

    /// <summary>The id of a user's section: <c>user-sam-sms</c> for <c>sam.sms@example.com</c>.</summary>
    public static string Slug(string login) =>
        "user-" + new string([.. login.Split('@')[0].Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);

    private static string Slug(OrgUser user) => Slug(user.Seed.Login);

    private static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    // UTC without scripts; simulator.js shows it in the browser's zone and keeps UTC in the title (on hover).
    private static string TimeTag(DateTimeOffset instant) =>
        $"""<time datetime="{instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}" title="{Time(instant)}">{Time(instant)}</time>""";

    private static string E(string value) => Encoder.Encode(value);
}
