using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;

namespace MfaReset.Okta;

/// <summary>
/// Every tag value on the <c>MfaReset</c> meter is lower_snake_case (<c>^[a-z0-9_]+$</c>), so dashboards and
/// alerts match one spelling whatever the value came from: an enum (<c>OktaVerifyPush</c>), an Okta operation
/// id (<c>verifyFactor.passcode</c>), an Okta error code (<c>E0000068</c>) or a limit's name (<c>codes-per-user</c>).
/// </summary>
public static class MetricTagValue
{
    // Tags are recorded on every Okta call and flow step, from small fixed sets of names (operations, limits,
    // Okta's error codes), so each name is converted once. The bound only guards against an unexpected flood.
    private const int RememberedNames = 1024;

    private static readonly ConcurrentDictionary<string, string> Converted = new(StringComparer.Ordinal);

    /// <summary>The enum member's name in lower_snake_case: <c>PasswordChanged</c> gives <c>password_changed</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumNames<TEnum>.Names.TryGetValue(value, out var known) ? known : Convert(value.ToString());

    /// <summary>
    /// <paramref name="name"/> in lower_snake_case: a word starts at each capital that follows a lower-case
    /// letter or a digit (or ends a run of capitals), and anything but a letter or digit separates words.
    /// </summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Converted.TryGetValue(name, out var known))
        {
            return known;
        }

        var converted = Convert(name);
        if (Converted.Count < RememberedNames)
        {
            Converted.TryAdd(name, converted);
        }

        return converted;
    }

    private static string Convert(string name)
    {
        var snake = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                Separate(snake);
                continue;
            }

            if (char.IsAsciiLetterUpper(c) && i > 0 && StartsWord(name, i))
            {
                Separate(snake);
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        if (snake.Length > 0 && snake[^1] == '_')
        {
            snake.Length--;
        }

        return snake.Length == 0 ? "none" : snake.ToString();
    }

    private static bool StartsWord(string name, int i) =>
        char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1])
        || (char.IsAsciiLetterUpper(name[i - 1]) && i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1]));

    private static void Separate(StringBuilder snake)
    {
        if (snake.Length > 0 && snake[^1] != '_')
        {
            snake.Append('_');
        }
    }

    // Every member's tag value, computed once per enum type.
    private static class EnumNames<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Names =
            Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(value => value, value => Convert(value.ToString()));
    }
}
