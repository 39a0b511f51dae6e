using Microsoft.Net.Http.Headers;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// What the sandbox's text messages and calls say, in the language the challenge asked for with
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
