using System.Collections.Frozen;
using System.Globalization;
using System.Resources;
using System.Text;

namespace MfaReset.Web.Hosting;

/// <summary>
/// The resource localizers, and in the pseudo-locale <c>qps-ploc</c> their English texts accented and bracketed
/// (<c>[Çóñţíñúé]</c>) when the text is translated into every language; placeholders stay as they are. A page
/// in the pseudo-locale therefore shows plain English only where a text is not from the resources or lacks a
/// translation.
/// </summary>
internal sealed class PseudoLocaleStringLocalizerFactory(ResourceManagerStringLocalizerFactory inner) : IStringLocalizerFactory
{
    private static readonly ResourceManager Resources = new("MfaReset.Web.Resources.SharedResource", typeof(SharedResource).Assembly);

    public IStringLocalizer Create(Type resourceSource) => new PseudoLocaleStringLocalizer(inner.Create(resourceSource));

    public IStringLocalizer Create(string baseName, string location) => new PseudoLocaleStringLocalizer(inner.Create(baseName, location));

    /// <summary><paramref name="text"/> accented and bracketed, its <c>{0}</c> placeholders untouched.</summary>
    public static string Pseudo(string text)
    {
        var pseudo = new StringBuilder(text.Length + 2).Append('[');
        var inPlaceholder = false;
        foreach (var c in text)
        {
            inPlaceholder = c == '{' || (inPlaceholder && c != '}');
            pseudo.Append(!inPlaceholder && Accents.TryGetValue(c, out var accented) ? accented : c);
        }

        return pseudo.Append(']').ToString();
    }

    private static bool InPseudoLocale => string.Equals(CultureInfo.CurrentUICulture.Name, PortalLocalization.PseudoLocale, StringComparison.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<char, char> Accents = new Dictionary<char, char>
    {
        ['a'] = 'á', ['b'] = 'ƀ', ['c'] = 'ç', ['d'] = 'ď', ['e'] = 'é', ['f'] = 'ƒ', ['g'] = 'ĝ', ['h'] = 'ĥ', ['i'] = 'í',
        ['j'] = 'ĵ', ['k'] = 'ķ', ['l'] = 'ĺ', ['m'] = 'ɱ', ['n'] = 'ñ', ['o'] = 'ó', ['p'] = 'þ', ['q'] = 'ǫ', ['r'] = 'ŕ',
        ['s'] = 'š', ['t'] = 'ţ', ['u'] = 'ú', ['v'] = 'ṽ', ['w'] = 'ŵ', ['x'] = 'ẋ', ['y'] = 'ý', ['z'] = 'ž',
        ['A'] = 'Á', ['B'] = 'Ɓ', ['C'] = 'Ç', ['D'] = 'Ď', ['E'] = 'É', ['F'] = 'Ƒ', ['G'] = 'Ĝ', ['H'] = 'Ĥ', ['I'] = 'Í',
        ['J'] = 'Ĵ', ['K'] = 'Ķ', ['L'] = 'Ĺ', ['M'] = 'Ṁ', ['N'] = 'Ñ', ['O'] = 'Ó', ['P'] = 'Þ', ['Q'] = 'Ǫ', ['R'] = 'Ŕ',
        ['S'] = 'Š', ['T'] = 'Ţ', ['U'] = 'Ú', ['V'] = 'Ṽ', ['W'] = 'Ŵ', ['X'] = 'Ẋ', ['Y'] = 'Ý', ['Z'] = 'Ž',
    }.ToFrozenDictionary();

    private sealed class PseudoLocaleStringLocalizer(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => InPseudoLocale ? PseudoOf(name, []) : inner[name];

        public LocalizedString this[string name, params object[] arguments] => InPseudoLocale ? PseudoOf(name, arguments) : inner[name, arguments];

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);

        private static LocalizedString PseudoOf(string name, object[] arguments)
        {
            var translated = PortalLocalization.IsTranslatedEverywhere(Resources, name);
            var format = translated ? Pseudo(name) : name;
            var value = arguments.Length == 0 ? format : string.Format(CultureInfo.CurrentCulture, format, arguments);
            return new LocalizedString(name, value, resourceNotFound: !translated);
        }
    }
}
