namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>The seeded demo logins (see src/MfaReset.Okta.Sandbox/README.md).</summary>
public static class Demo
{
    public const string Sam = "sam.sms@example.com";
    public const string Vera = "vera.voice@example.com";
    public const string Pat = "pat.push@example.com";
    public const string Tom = "tom.totp@example.com";
    public const string Gail = "gail.google@example.com";
    public const string Max = "max.multi@example.com";
    public const string Lou = "lou.locked@example.com";
    public const string Liam = "liam.locked@example.com";
    public const string Emma = "emma.email@example.com";
    public const string Sue = "sue.suspended@example.com";
    public const string Nora = "nora.nofactors@example.com";
    public const string Ivy = "ivy.import@example.com";
    public const string Dirk = "dirk.directory@example.com";
    public const string Lena = "lena.ldap@example.com";
    public const string Fred = "fred.federated@example.com";
    public const string Sol = "sol.social@example.com";
    public const string Ada = "ada.admin@example.com";
    public const string Gus = "gus.groupadmin@example.com";
    public const string Hal = "hal.helpdesk@example.com";
    public const string Paige = "paige.expired@example.com";
    public const string Rita = "rita.recovery@example.com";
    public const string Stan = "stan.staged@example.com";
    public const string Pia = "pia.provisioned@example.com";
    public const string Dora = "dora.deprovisioned@example.com";

    public const string GoodPassword = "Purple-Gondola-42";
}
