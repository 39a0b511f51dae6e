using System.Globalization;

namespace MfaReset.Web.Pages;

/// <summary>The brand colour's light variant, for links and outlines on the dark scheme's surfaces.</summary>
public static class BrandColors
{
    /// <summary>
    /// <paramref name="color"/> (<c>#rrggbb</c>, validated on start) mixed with white, 35 % colour to
    /// 65 % white: on the dark surface (#1b2026) any colour so mixed has well over 4.5:1 contrast.
    /// </summary>
    public static string Lighten(string color)
    {
        ArgumentNullException.ThrowIfNull(color);
        var channels = Enumerable.Range(0, 3)
            .Select(i => int.Parse(color.AsSpan(1 + (2 * i), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .Select(c => (int)Math.Round((0.35 * c) + (0.65 * 255)));
        return "#" + string.Concat(channels.Select(c => c.ToString("x2", CultureInfo.InvariantCulture)));
    }
}
