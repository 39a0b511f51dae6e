using System.Security.Cryptography;
using System.Text;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Reset.Policy;

/// <summary>
/// Builds a flow's factor menu. Generic mode: the enabled kinds for everyone, each resolved server
/// side to the user's first ACTIVE factor of that kind (in Okta's order). Enrolled mode: the user's own
/// factors with masked labels, or for unknown users a decoy list derived from a keyed hash of the
/// username, so the same username always gets the same list.
/// </summary>
public sealed class FactorMenu(IOptions<ResetOptions> options)
{
    private const string Dots = "\u2022\u2022\u2022";

    /// <summary>The menu for a flow; <paramref name="userFactors"/> is empty for unknown and ineligible users.</summary>
    public IReadOnlyList<FlowFactor> Build(string username, IReadOnlyList<OktaFactor> userFactors)
    {
        ArgumentNullException.ThrowIfNull(userFactors);
        var enabled = EnabledKinds();
        var usable = userFactors.Where(f => f.Status == OktaFactorStatus.Active && enabled.Contains(f.Kind)).ToList();
        if (options.Value.FactorMenu == FactorMenuMode.Generic)
        {
            return [.. enabled.Select(kind => new FlowFactor(GenericKey(kind), kind, GenericLabel(kind), usable.FirstOrDefault(f => f.Kind == kind)?.Id))];
        }

        var listed = usable.Count > 0
            ? usable.Select(f => (f.Kind, Label: EnrolledLabel(f.Kind, f.Kind == FactorKind.Email ? MaskEmail(f.Email) : MaskPhone(f.PhoneNumber)), Id: (string?)f.Id))
            : Decoys(username, enabled).Select(d => (d.Kind, d.Label, Id: (string?)null));
        return [.. listed
            .OrderBy(f => Rank(f.Kind)) // stable: keeps Okta's order within a kind
            .Select((f, i) => new FlowFactor($"f{i + 1}", f.Kind, f.Label, f.Id))];
    }

    /// <summary>Whether a kind is verified with a typed code (as opposed to a push).</summary>
    public static bool UsesCode(FactorKind kind) => kind is FactorKind.Sms or FactorKind.Call or FactorKind.OktaVerifyTotp or FactorKind.GoogleAuthenticator or FactorKind.Email;

    /// <summary>Whether the portal must send the code first (SMS, voice, email).</summary>
    public static bool NeedsSend(FactorKind kind) => kind is FactorKind.Sms or FactorKind.Call or FactorKind.Email;

    /// <summary>
    /// Masks an email address to its first character and its domain: <c>j•••@example.com</c>. Without an
    /// <c>@</c> nothing of it is shown.
    /// </summary>
    public static string MaskEmail(string? email)
    {
        var at = (email ?? string.Empty).LastIndexOf('@');
        return at > 0 && at < email!.Length - 1 ? $"{email[0]}{Dots}@{email[(at + 1)..]}" : $"{Dots}@{Dots}";
    }

    /// <summary>
    /// Masks a phone number to its last four digits: <c>••• ••• 1337</c>. The country code is left out
    /// too: decoys could not imitate every org's number format, and fewer digits leak less.
    /// </summary>
    public static string MaskPhone(string? phoneNumber)
    {
        var digits = new string((phoneNumber ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        var last4 = digits.Length >= 4 ? digits[^4..] : "\u2022\u2022\u2022\u2022";
        return $"{Dots} {Dots} {last4}";
    }

    /// <summary>
    /// The masked phone number or email address an enrolled method's label names (<c>••• ••• 1337</c>,
    /// <c>j•••@example.com</c>), so the page can name it in the person's language; null for generic labels.
    /// </summary>
    public static string? PhoneMaskOf(FlowFactor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        var prefix = EnrolledLabel(factor.Kind, string.Empty);
        return NeedsSend(factor.Kind) && factor.Label.Length > prefix.Length && factor.Label.StartsWith(prefix, StringComparison.Ordinal)
            ? factor.Label[prefix.Length..]
            : null;
    }

    private List<FactorKind> EnabledKinds() => [.. options.Value.OfferedKinds];

    private static int Rank(FactorKind kind) => ResetOptions.SupportedKinds.ToList().IndexOf(kind);

    private static string GenericKey(FactorKind kind) => kind switch
    {
        FactorKind.OktaVerifyPush => "push",
        FactorKind.OktaVerifyTotp => "okta-code",
        FactorKind.GoogleAuthenticator => "google-code",
        FactorKind.Sms => "sms",
        FactorKind.Call => "call",
        FactorKind.Email => "email",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an offered kind."),
    };

    /// <summary>The visible label of a method kind in the generic menu.</summary>
    public static string GenericLabel(FactorKind kind) => kind switch
    {
        FactorKind.OktaVerifyPush => "Okta Verify push notification",
        FactorKind.OktaVerifyTotp => "Okta Verify code",
        FactorKind.GoogleAuthenticator => "Google Authenticator code",
        FactorKind.Sms => "Text message (SMS)",
        FactorKind.Call => "Voice call",
        FactorKind.Email => "Email me a code",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an offered kind."),
    };

    private static string EnrolledLabel(FactorKind kind, string masked) => kind switch
    {
        FactorKind.Sms => $"Text message (SMS) to {masked}",
        FactorKind.Call => $"Voice call to {masked}",
        FactorKind.Email => $"Email a code to {masked}",
        _ => GenericLabel(kind),
    };

    // Plausible enrolment shapes; one is picked per username by the keyed hash.
    private static readonly FactorKind[][] DecoyShapes =
    [
        [FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp],
        [FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp, FactorKind.Sms],
        [FactorKind.Sms],
        [FactorKind.GoogleAuthenticator, FactorKind.Sms],
        [FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp, FactorKind.Call],
        [FactorKind.Sms, FactorKind.Call],
    ];

    private IEnumerable<(FactorKind Kind, string Label)> Decoys(string username, List<FactorKind> enabled)
    {
        var key = Encoding.UTF8.GetBytes(options.Value.DecoyKey ?? string.Empty);
        var hash = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(username.Trim().ToLowerInvariant()));
        var shape = DecoyShapes[hash[0] % DecoyShapes.Length].Where(enabled.Contains).ToList();

        var others = enabled.Where(k => k != FactorKind.Email).ToList();
        if (shape.Count == 0 && others.Count > 0)
        {
            shape.Add(others[hash[1] % others.Count]);
        }

        // Email is drawn apart from the shapes (so the menus of orgs without email stay as they were), and
        // only for a username that is an email address: a real email factor's address is usually the login.
        if (enabled.Contains(FactorKind.Email) && (shape.Count == 0 || (username.Contains('@', StringComparison.Ordinal) && hash[4] % 3 == 0)))
        {
            shape.Add(FactorKind.Email);
        }

        var phone = MaskPhone($"{(hash[2] << 8 | hash[3]) % 10000:D4}");
        var email = MaskEmail(username.Trim());
        return shape.Select(kind => (kind, EnrolledLabel(kind, kind == FactorKind.Email ? email : phone)));
    }
}
