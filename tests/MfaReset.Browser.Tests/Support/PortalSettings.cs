namespace MfaReset.Browser.Tests.Support;

/// <summary>How the browser suite configures the portal and its embedded sandbox.</summary>
public static class PortalSettings
{
    /// <summary>
    /// The portal as shipped, with the embedded sandbox, except that it asks the sandbox about a push
    /// every second rather than every three.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Default { get; } = new Dictionary<string, string?>
    {
        // Empty even if a developer's user secrets name a real org: these stories never reach Okta.
        ["Okta:OrgUrl"] = "",
        ["Reset:PushPollInterval"] = "00:00:01",
        // Any free port for the embedded sandbox: several portals may run at once on a test machine.
        ["Sandbox:Port"] = "0",
    };

    /// <summary>Pushes nobody answers time out after three seconds instead of five minutes.</summary>
    public static IReadOnlyDictionary<string, string?> ShortPushLifetime { get; } = new Dictionary<string, string?>
    {
        ["Sandbox:PushLifetime"] = "00:00:03",
    };

    /// <summary><see cref="Default"/> with <paramref name="overrides"/> on top.</summary>
    public static IReadOnlyDictionary<string, string?> With(IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>(Default);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
