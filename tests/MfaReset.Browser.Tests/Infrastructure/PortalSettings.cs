namespace MfaReset.Browser.Tests.Infrastructure;

/// <summary>How the browser suite configures the portal and its embedded sandbox.</summary>
public static class PortalSettings
{
    /// <summary>Where the embedded sandbox's phone simulator is served, relative to the portal.</summary>
    public const string SimulatorPath = "/sandbox/phone";

    /// <summary>The portal as shipped, with the embedded sandbox (no Okta:OrgUrl) and quiet logs.</summary>
    public static IReadOnlyDictionary<string, string?> Default { get; } = new Dictionary<string, string?>
    {
        ["Okta:OrgUrl"] = "",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    /// <summary>As <see cref="Default"/>, with pushes that time out within seconds.</summary>
    public static IReadOnlyDictionary<string, string?> ShortPushExpiry { get; } = new Dictionary<string, string?>(Default)
    {
        ["Sandbox:PushExpiry"] = "00:00:03",
    };
}
