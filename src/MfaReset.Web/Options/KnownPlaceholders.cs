namespace MfaReset.Web.Options;

/// <summary>
/// Texts that stand in for a secret rather than being one: what <c>appsettings.example.json</c> writes
/// where a secret goes, and the usual "change me" fillers. A secret setting holding one is refused at
/// start, since anyone who has read the example (or this code) knows it.
/// </summary>
public static class KnownPlaceholders
{
    /// <summary>Fragments that only an instruction or a filler contains, never a generated secret.</summary>
    private static readonly string[] Fragments =
    [
        "through the environment", "from the environment", "user-secrets", "never in a file", "only for factormenu",
        "changeme", "change-me", "change_me", "change me", "replaceme", "replace-me", "replace_me", "replace me",
        "placeholder", "your-secret", "your_secret", "yoursecret", "<secret>", "secret-here", "xxxxxxxx",
    ];

    /// <summary>Whether <paramref name="value"/> is a placeholder rather than a secret.</summary>
    public static bool IsPlaceholder(string? value) =>
        value is not null && Fragments.Any(fragment => value.Contains(fragment, StringComparison.OrdinalIgnoreCase));
}
