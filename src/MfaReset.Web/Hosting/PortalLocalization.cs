using System.Globalization;
using System.Resources;
using Microsoft.AspNetCore.Localization;

namespace MfaReset.Web.Hosting;

/// <summary>
/// The portal's languages: English, Spanish, French and German, chosen by the language cookie, then
/// <c>Accept-Language</c>, else English. With <c>Localization:PseudoLocale</c> the pseudo-locale
/// <c>qps-ploc</c> is offered too: every text that comes from the resources is shown accented and in
/// brackets, so a text that did not is easy to find.
/// </summary>
public static class PortalLocalization
{
    public const string CookieName = "__Host-MfaReset-Language";

    /// <summary>Where the language links lead: <c>/language/{culture}?returnUrl=/path</c>.</summary>
    public const string SwitchPath = "/language";

    public const string PseudoLocale = "qps-ploc";

    /// <summary>The languages a person can choose, in the order the switch lists them, each named in itself.</summary>
    public static IReadOnlyList<(string Culture, string NativeName)> Languages { get; } =
    [
        ("en", "English"),
        ("es", "Español"),
        ("fr", "Français"),
        ("de", "Deutsch"),
    ];

    /// <summary>The languages with a resource file of their own (English is the keys).</summary>
    public static IReadOnlyList<string> TranslatedCultures { get; } = ["es", "fr", "de"];

    /// <summary>Resources, localized data annotations, and the request culture (cookie, then Accept-Language).</summary>
    public static WebApplicationBuilder AddPortalLocalization(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LanguageOptions>().BindConfiguration(LanguageOptions.SectionName);
        builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        // Every localizer goes through the pseudo-locale, which is a no-op in the four real languages.
        builder.Services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        builder.Services.AddSingleton<IStringLocalizerFactory, PseudoLocaleStringLocalizerFactory>();
        builder.Services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<LanguageOptions>>((options, settings) =>
        {
            var cultures = Languages.Select(l => new CultureInfo(l.Culture)).ToList();
            if (settings.Value.PseudoLocale)
            {
                cultures.Add(new CultureInfo(PseudoLocale));
            }

            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.ApplyCurrentCultureToResponseHeaders = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = CookieName },
                new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 5 },
            ];
        });
        return builder;
    }

    /// <summary>
    /// <c>GET /language/{culture}?returnUrl=/path</c>: keeps the choice in the language cookie and goes back to
    /// <paramref name="returnUrl"/> when it is a path on this site, else to the first page. No open redirect.
    /// </summary>
    public static WebApplication MapLanguageSwitch(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(SwitchPath + "/{culture}", (string culture, string? returnUrl, HttpContext context, IOptions<RequestLocalizationOptions> options) =>
        {
            var chosen = options.Value.SupportedUICultures?.FirstOrDefault(c => string.Equals(c.Name, culture, StringComparison.OrdinalIgnoreCase));
            if (chosen is null)
            {
                return Results.NotFound();
            }

            context.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)), new CookieOptions
            {
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            context.Response.Headers.Location = IsLocalPath(returnUrl) ? AsciiLocation(returnUrl!) : "/";
            return Results.StatusCode(StatusCodes.Status303SeeOther);
        });
        return app;
    }

    /// <summary>The language link for <paramref name="culture"/> that comes back to the page <paramref name="request"/> shows.</summary>
    public static string SwitchUrl(HttpRequest request, string culture)
    {
        ArgumentNullException.ThrowIfNull(request);
        var back = request.Path + request.QueryString;
        return $"{SwitchPath}/{culture}?returnUrl={Uri.EscapeDataString(IsLocalPath(back) ? back : "/")}";
    }

    /// <summary>A path on this site: one leading slash (not <c>//</c> or <c>/\</c>), no control characters, not too long.</summary>
    public static bool IsLocalPath(string? path) =>
        path is { Length: > 0 and <= 2048 }
        && path[0] == '/'
        && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
        && !path.Any(char.IsControl);

    /// <summary>
    /// <paramref name="path"/> as a <c>Location</c> header value: every character outside printable ASCII
    /// (a space, <c>é</c>, a lone surrogate as U+FFFD) percent-encoded as UTF-8, because Kestrel refuses to
    /// send a header holding one and would answer an empty 500 instead of the redirect.
    /// </summary>
    internal static string AsciiLocation(string path)
    {
        var location = new System.Text.StringBuilder(path.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in path.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F)
            {
                location.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                location.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return location.ToString();
    }

    /// <summary>The <c>lang</c> of the page: the request's UI culture.</summary>
    public static string PageLanguage => CultureInfo.CurrentUICulture.Name is { Length: > 0 } name ? name : "en";

    /// <summary>Whether the key has a translation in every language with a resource file.</summary>
    internal static bool IsTranslatedEverywhere(ResourceManager resources, string key) =>
        TranslatedCultures.All(culture => resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)?.GetString(key) is not null);
}
