using Microsoft.Net.Http.Headers;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// What the sandbox's text messages, calls and emails say, in the language the challenge asked for with
/// <c>Accept-Language</c>, as Okta's own templates do; English when none of these is asked for.
/// </summary>
internal static class PhoneTexts
{
    /// <summary>The first language of <paramref name="acceptLanguage"/> (by quality) that the sandbox speaks, else <c>en</c>.</summary>
    public static string LanguageOf(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage) || !StringWithQualityHeaderValue.TryParseList([acceptLanguage], out var ranges))
        {
            return "en";
        }

        return ranges
            .OrderByDescending(r => r.Quality ?? 1)
            .Select(r => r.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is "en" or "es" or "fr" or "de") ?? "en";
    }

    public static string Sms(string language, string code) => language switch
    {
        "es" => $"Su código de verificación es {code}",
        "fr" => $"Votre code de vérification est {code}",
        "de" => $"Ihr Bestätigungscode lautet {code}",
        _ => $"Your verification code is {code}",
    };

    public static string Email(string language, string code, int minutes) => language switch
    {
        "es" => $"Su código de verificación es {code}. Caduca en {minutes} minutos. Si no lo ha solicitado, ignore este correo.",
        "fr" => $"Votre code de vérification est {code}. Il expire dans {minutes} minutes. Si vous ne l'avez pas demandé, ignorez cet e-mail.",
        "de" => $"Ihr Bestätigungscode lautet {code}. Er läuft in {minutes} Minuten ab. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.",
        _ => $"Your verification code is {code}. It expires in {minutes} minutes. If you didn't ask for it, ignore this email.",
    };

    public static string Voice(string language, string code)
    {
        var digits = string.Join(' ', code.ToCharArray());
        return language switch
        {
            "es" => $"Su código de verificación es {digits}. Repito: {digits}.",
            "fr" => $"Votre code de vérification est {digits}. Je répète : {digits}.",
            "de" => $"Ihr Bestätigungscode lautet {digits}. Noch einmal: {digits}.",
            _ => $"Your verification code is {digits}. Again: {digits}.",
        };
    }
}
