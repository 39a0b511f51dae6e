namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>A person who can sign in at the sandbox's authorize page, with the Okta groups the ID token names.</summary>
public sealed record DemoAgent(string UserId, string Login, string Name, IReadOnlyList<string> Groups);

/// <summary>
/// The help-desk console's demo agents: one in the help-desk group, one outside it (a trainer shows the
/// refusal with them). Okta's groups claim names groups by name.
/// </summary>
public static class DemoAgents
{
    /// <summary>The group the demo portal lets into the console.</summary>
    public const string HelpDeskGroup = "Help Desk";

    /// <summary>May use the console.</summary>
    public static DemoAgent Hana { get; } = new("00uhelpdeskhana0demo", "hana.agent@example.com", "Hana Agent", ["Everyone", HelpDeskGroup]);

    /// <summary>Signs in at Okta but is not in the help-desk group.</summary>
    public static DemoAgent Olaf { get; } = new("00uoutsideolaf00demo", "olaf.outsider@example.com", "Olaf Outsider", ["Everyone", "Sales"]);

    public static IReadOnlyList<DemoAgent> All { get; } = [Hana, Olaf];
}
