using System.Globalization;
using System.Text;
using MfaReset.Web.Pages;

namespace MfaReset.Web.Notifications;

/// <summary>A notice ready to send: plain text only, so nothing in it is markup.</summary>
/// <param name="Recipients">The profile's primary email, and its second email when set.</param>
/// <param name="Culture">The language it is written in (Content-Language).</param>
public sealed record NoticeMessage(IReadOnlyList<string> Recipients, string Culture, string Subject, string Text);

/// <summary>
/// Writes a notice in the language its flow used: what changed, when (in the person's Okta time zone, else
/// UTC, and says which), the approximate origin (the client address and browser family the portal saw), the
/// method verified (masked), and what to do if it wasn't them: the single-use link, then the help desk.
/// Never a code, a token other than the link's, or a password.
/// </summary>
public sealed class NoticeText(IStringLocalizer<SharedResource> text, IOptions<BrandingOptions> branding)
{
    public NoticeMessage Compose(ChangeNotice notice, IReadOnlyList<string> recipients, string? timeZone, Uri link, DateTimeOffset linkExpiresAt)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(link);
        var culture = CultureInfo.GetCultureInfo(notice.Culture);
        var (previousCulture, previousUiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try
        {
            var org = branding.Value.OrganizationName;
            var zone = ZoneOf(timeZone);
            var body = new StringBuilder()
                .AppendLine(notice.Kind == NoticeKind.PasswordReset ? text["Your password for {0} was reset.", org] : text["Your {0} account was unlocked.", org])
                .AppendLine()
                .AppendLine(text["When: {0} ({1})", Format(notice.ChangedAt, zone, culture), zone.Id == TimeZoneInfo.Utc.Id ? "UTC" : zone.Id])
                .AppendLine(text["From: {0}, {1} (the network address and browser the portal saw, not a precise location)", notice.ClientAddress, BrowserName(notice.Browser)])
                .AppendLine(text["Verified with: {0}", FactorLabels.Of(text, notice.Method, notice.MethodMask)])
                .AppendLine()
                .AppendLine(text["If this was you, there is nothing to do."])
                .AppendLine(text["If it wasn't you, open this link to sign your account out everywhere and report it. It works once, until {0}:", Format(linkExpiresAt, zone, culture)])
                .AppendLine(link.AbsoluteUri)
                .AppendLine(HelpDeskLine())
                .AppendLine()
                .AppendLine(text["We never send a code or a password by email, and the help desk will never ask you for one."])
                .ToString();
            var subject = notice.Kind == NoticeKind.PasswordReset ? text["{0}: your password was reset", org] : text["{0}: your account was unlocked", org];
            return new NoticeMessage(recipients, culture.Name, subject, body);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previousCulture, previousUiCulture);
        }
    }

    /// <summary>The browser family of a User-Agent, as a product name ("Firefox"), or "Unknown"; never the header itself.</summary>
    public static string BrowserFamily(string? userAgent) => userAgent switch
    {
        null or "" => Unknown,
        _ when userAgent.Contains("Edg/", StringComparison.Ordinal) => "Edge",
        _ when userAgent.Contains("OPR/", StringComparison.Ordinal) => "Opera",
        _ when userAgent.Contains("Firefox/", StringComparison.Ordinal) => "Firefox",
        _ when userAgent.Contains("Chrome/", StringComparison.Ordinal) || userAgent.Contains("Chromium/", StringComparison.Ordinal) => "Chrome",
        _ when userAgent.Contains("Safari/", StringComparison.Ordinal) => "Safari",
        _ => Unknown,
    };

    private const string Unknown = "Unknown";

    private string BrowserName(string family) => family == Unknown ? text["an unknown browser"] : family;

    private string HelpDeskLine()
    {
        var contact = branding.Value;
        var parts = new[] { contact.HelpDeskPhone, contact.HelpDeskHours is { } hours ? text[hours].Value : null, contact.HelpUrl }.OfType<string>().ToList();
        return parts.Count > 0 ? text["Then call the help desk: {0}", string.Join(", ", parts)] : text[contact.HelpText];
    }

    private static TimeZoneInfo ZoneOf(string? timeZone) =>
        timeZone is { Length: > 0 } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    private static string Format(DateTimeOffset instant, TimeZoneInfo zone, CultureInfo culture) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("f", culture);
}
