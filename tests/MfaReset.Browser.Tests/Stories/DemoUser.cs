namespace MfaReset.Browser.Tests.Stories;

/// <summary>A seeded user of the sandbox (src/MfaReset.Okta.Sandbox/README.md): what they type and whose phone they hold.</summary>
public sealed record DemoUser(string Login, string Name)
{
    public static DemoUser Sam { get; } = new("sam.sms@example.com", "Sam Sato");
    public static DemoUser Vera { get; } = new("vera.voice@example.com", "Vera Vance");
    public static DemoUser Pat { get; } = new("pat.push@example.com", "Pat Park");
    public static DemoUser Tom { get; } = new("tom.totp@example.com", "Tom Torres");
    public static DemoUser Gail { get; } = new("gail.google@example.com", "Gail Green");
    public static DemoUser Lou { get; } = new("lou.locked@example.com", "Lou Lang");
    public static DemoUser Liam { get; } = new("liam.locked@example.com", "Liam Lopez");
    public static DemoUser Emma { get; } = new("emma.email@example.com", "Emma Evans");
    public static DemoUser Max { get; } = new("max.multi@example.com", "Max Meyer");
    public static DemoUser Ivy { get; } = new("ivy.import@example.com", "Ivy Ito");
    public static DemoUser Dirk { get; } = new("dirk.directory@example.com", "Dirk Diaz");
    public static DemoUser Fred { get; } = new("fred.federated@example.com", "Fred Fox");

    /// <summary>Accepted by the sandbox's policy for every demo user (no part of any username, never used before).</summary>
    public const string GoodPassword = "Harbor-Lights-42";
}
