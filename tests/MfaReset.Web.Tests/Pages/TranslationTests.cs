using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using MfaReset.Web.Hosting;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The Spanish, French and German resources: the same texts, each with the placeholders of its English key.</summary>
public sealed partial class TranslationTests
{
    private static readonly ResourceManager Resources = new("MfaReset.Web.Resources.SharedResource", typeof(PortalLocalization).Assembly);

    private static Dictionary<string, string> Texts(string culture) =>
        Resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    [Fact]
    public void EveryLanguageTranslatesTheSameTexts()
    {
        var spanish = Texts("es").Keys.Order(StringComparer.Ordinal).ToList();

        Assert.True(spanish.Count > 150, $"only {spanish.Count} texts");
        Assert.Equal(spanish, Texts("fr").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(spanish, Texts("de").Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("es")]
    [InlineData("fr")]
    [InlineData("de")]
    public void TranslationsKeepTheirPlaceholdersAndDifferFromEnglish(string culture)
    {
        foreach (var (english, translated) in Texts(culture))
        {
            Assert.Equal(Placeholders(english), Placeholders(translated));
            Assert.False(string.IsNullOrWhiteSpace(translated), english);
        }

        // Only words that are the same in both languages (names, "Online") may stay English.
        Assert.True(Texts(culture).Count(t => t.Key == t.Value) <= 3, string.Join(", ", Texts(culture).Where(t => t.Key == t.Value).Select(t => t.Key)));
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
