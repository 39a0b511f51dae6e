using MfaReset.Web.Reset.Policy;

namespace MfaReset.Web.Pages;

/// <summary>A method's label in the person's language: the kind, and for an enrolled phone or email its masked number or address.</summary>
public static class FactorLabels
{
    public static string Of(IStringLocalizer text, FactorKind kind, string? phoneMask)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (kind, phoneMask) switch
        {
            (FactorKind.Sms, { } mask) => text["Text message (SMS) to {0}", mask],
            (FactorKind.Call, { } mask) => text["Voice call to {0}", mask],
            (FactorKind.Email, { } mask) => text["Email a code to {0}", mask],
            _ => text[FactorMenu.GenericLabel(kind)],
        };
    }
}
