using System.Security.Cryptography;
using System.Text;
using MfaReset.Okta;
using MfaReset.Web.Options;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Flow;

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
            ? usable.Select(f => (f.Kind, Label: EnrolledLabel(f.Kind, f.PhoneNumber), Id: (string?)f.Id))
            : Decoys(username, enabled).Select(d => (d.Kind, d.Label, Id: (string?)null));
        return [.. listed
            .OrderBy(f => Rank(f.Kind)) // stable: keeps Okta's order within a kind
            .Select((f, i) => new FlowFactor($"f{i + 1}", f.Kind, f.Label, f.Id))];
    }

    /// <summary>Whether a kind is verified with a typed code (as opposed to a push).</summary>
    public static bool UsesCode(FactorKind kind) => kind is FactorKind.Sms or FactorKind.Call or FactorKind.OktaVerifyTotp or FactorKind.GoogleAuthenticator;

    /// <summary>Whether the portal must send the code first (SMS, voice).</summary>
    public static bool NeedsSend(FactorKind kind) => kind is FactorKind.Sms or FactorKind.Call;

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

    /// <summary>The masked number of an enrolled phone method (<c>••• ••• 1337</c>); null for the generic label and other kinds.</summary>
    public static string? PhoneMaskOf(FlowFactor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        var maskLength = MaskPhone(null).Length;
        return NeedsSend(factor.Kind) && factor.Label != GenericLabel(factor.Kind) && factor.Label.Length > maskLength
            ? factor.Label[^maskLength..]
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
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an offered kind."),
    };

    private static string EnrolledLabel(FactorKind kind, string? phoneNumber) => kind switch
    {
        FactorKind.Sms => $"Text message (SMS) to {MaskPhone(phoneNumber)}",
        FactorKind.Call => $"Voice call to {MaskPhone(phoneNumber)}",
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
        if (shape.Count == 0)
        {
            shape.Add(enabled[hash[1] % enabled.Count]);
        }

        var phone = $"{(hash[2] << 8 | hash[3]) % 10000:D4}";
        return shape.Select(kind => (kind, EnrolledLabel(kind, phone)));
    }
}
