using System.Security.Cryptography;
using System.Text;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// The seeded people of the sandbox org. Ids are derived from the logins and TOTP secrets are fixed, so
/// every start looks the same and an authenticator app enrolled once keeps producing accepted codes.
/// The README lists these users; keep the two in step.
/// </summary>
internal static class DemoUsers
{
    private static readonly DateTimeOffset Enrolled = new(2025, 3, 3, 9, 30, 0, TimeSpan.Zero);

    /// <param name="loadTestUsers">How many generated load-test users to add.</param>
    /// <param name="primaryEmailFactors">Identity Engine's listing: every user with a password also lists their primary email as an email factor.</param>
    public static IReadOnlyList<SeedUser> Create(int loadTestUsers, bool primaryEmailFactors = false)
    {
        List<SeedUser> users =
        [
            User("sam.sms@example.com", "Sam", "Sato", "ACTIVE", "SMS codes", "+12025550101",
                new SeedFactor(FactorId("sms", "sam"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550101")),
            User("vera.voice@example.com", "Vera", "Vance", "ACTIVE", "Voice-call codes", "+12025550102",
                new SeedFactor(FactorId("clf", "vera"), SandboxFactorKind.Call, Enrolled, PhoneNumber: "+12025550102")),
            User("pat.push@example.com", "Pat", "Park", "ACTIVE", "Okta Verify push", null,
                new SeedFactor(FactorId("opf", "pat"), SandboxFactorKind.OktaVerifyPush, Enrolled, Device: new("Pat's iPhone", "IOS", "SmartPhone_IPhone", "17.5"))),
            User("tom.totp@example.com", "Tom", "Torres", "ACTIVE", "Okta Verify code (TOTP)", null,
                new SeedFactor(FactorId("ost", "tom"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXTOMTOTPOKTAVERIFY"))),
            User("gail.google@example.com", "Gail", "Green", "ACTIVE", "Google Authenticator (TOTP)", null,
                new SeedFactor(FactorId("ost", "gail"), SandboxFactorKind.GoogleAuthenticator, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXGAILGOOGLEAUTHAPP"))),
            User("max.multi@example.com", "Max", "Meyer", "ACTIVE", "Every kind: SMS and voice on two phones, push, two TOTP apps, a security question, email", "+12025550103",
                new SeedFactor(FactorId("sms", "max"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550103"),
                new SeedFactor(FactorId("clf", "max"), SandboxFactorKind.Call, Enrolled, PhoneNumber: "+12025550104", PhoneExtension: "42"),
                new SeedFactor(FactorId("opf", "max"), SandboxFactorKind.OktaVerifyPush, Enrolled, Device: new("Max's Pixel", "ANDROID", "SmartPhone_Android", "14")),
                new SeedFactor(FactorId("ost", "max-okta"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXMAXMULTIOKTAVERIF")),
                new SeedFactor(FactorId("ost", "max-google"), SandboxFactorKind.GoogleAuthenticator, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXMAXMULTIGOOGLEAPP")),
                new SeedFactor(FactorId("ufs", "max"), SandboxFactorKind.SecurityQuestion, Enrolled, Question: new("favorite_art_piece", "What is your favorite piece of art?", "Mona Lisa")),
                new SeedFactor(FactorId("emf", "max"), SandboxFactorKind.Email, Enrolled, Email: "max.multi@example.com")),
            User("lou.locked@example.com", "Lou", "Lang", "LOCKED_OUT", "Locked out by wrong passwords; SMS and Okta Verify code still work", "+12025550105",
                new SeedFactor(FactorId("sms", "lou"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550105"),
                new SeedFactor(FactorId("ost", "lou"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXLOULOCKEDOKTATOTP"))),
            User("liam.locked@example.com", "Liam", "Lopez", "LOCKED_OUT", "Locked out by wrong passwords; Okta Verify push and SMS still work: unlock without a reset", "+12025550113",
                new SeedFactor(FactorId("opf", "liam"), SandboxFactorKind.OktaVerifyPush, Enrolled, Device: new("Liam's iPhone", "IOS", "SmartPhone_IPhone", "17.5")),
                new SeedFactor(FactorId("sms", "liam"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550113")),
            User("emma.email@example.com", "Emma", "Evans", "ACTIVE", "Email codes only: the simulator's inbox", null,
                new SeedFactor(FactorId("emf", "emma"), SandboxFactorKind.Email, Enrolled, Email: "emma.email@example.com")),
            User("sue.suspended@example.com", "Sue", "Stone", "SUSPENDED", "Suspended by an admin: nothing but lookups works", "+12025550106",
                new SeedFactor(FactorId("sms", "sue"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550106")),
            User("nora.nofactors@example.com", "Nora", "Nash", "ACTIVE", "No factors enrolled", null),

            // Populations (credentials.provider) and statuses a real org has (issue 9).
            User("ivy.import@example.com", "Ivy", "Ito", "ACTIVE", "Imported user (IMPORT): Okta holds her password, resets like anyone", "+12025550107",
                new SeedFactor(FactorId("sms", "ivy"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550107"))
                with { Provider = new("IMPORT", "IMPORT") },
            User("dirk.directory@example.com", "Dirk", "Diaz", "ACTIVE", "Password in Active Directory (ACTIVE_DIRECTORY): help desk, or set through Okta", null,
                new SeedFactor(FactorId("ost", "dirk"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXDIRKDIRECTORYADTO")))
                with { Provider = new("ACTIVE_DIRECTORY", "corp.example.com") },
            User("lena.ldap@example.com", "Lena", "Lund", "ACTIVE", "Password in an LDAP directory (LDAP): help desk, or set through Okta", null,
                new SeedFactor(FactorId("ost", "lena"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXLENALDAPDIRECTORY")))
                with { Provider = new("LDAP", "ldap.example.com") },
            User("fred.federated@example.com", "Fred", "Fox", "ACTIVE", "Signs in at the company's identity provider (FEDERATION): no password in Okta", null,
                new SeedFactor(FactorId("ost", "fred"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXFREDFEDERATEDTOTP")))
                with { Provider = new("FEDERATION", "FEDERATION") },
            User("sol.social@example.com", "Sol", "Silva", "ACTIVE", "Signs in with a social identity provider (SOCIAL): no password in Okta", "+12025550108",
                new SeedFactor(FactorId("sms", "sol"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550108"))
                with { Provider = new("SOCIAL", "SOCIAL") },
            User("ada.admin@example.com", "Ada", "Adams", "ACTIVE", "Okta super administrator: refused self-service reset after verification", null,
                new SeedFactor(FactorId("ost", "ada"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXADAADMINSUPERTOTP")))
                with { AdminRoles = ["SUPER_ADMIN"] },
            User("gus.groupadmin@example.com", "Gus", "Gray", "ACTIVE", "Help desk administrator through a group: refused self-service reset after verification", null,
                new SeedFactor(FactorId("ost", "gus"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXGUSGROUPADMINTOTP")))
                with { ExtraGroupIds = [AdminGroups.HelpDeskAdminsGroupId] },
            User("hal.helpdesk@example.com", "Hal", "Hughes", "ACTIVE", "In a group whose password policy rule denies self-service reset: refused after verification", "+12025550113",
                new SeedFactor(FactorId("sms", "hal"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550113"))
                with { ExtraGroupIds = [RecoveryPolicies.HelpDeskGroupId] },
            User("paige.expired@example.com", "Paige", "Perez", "PASSWORD_EXPIRED", "Password expired: resets, and can sign in with the new password", null,
                new SeedFactor(FactorId("ost", "paige"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXPAIGEEXPIREDTOTPA"))),
            User("rita.recovery@example.com", "Rita", "Rossi", "RECOVERY", "In recovery (an admin started a reset): resets, and becomes ACTIVE", "+12025550109",
                new SeedFactor(FactorId("sms", "rita"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550109")),
            User("stan.staged@example.com", "Stan", "Stone", "STAGED", "Never activated: same pages as anyone, nothing is ever sent", "+12025550110",
                new SeedFactor(FactorId("sms", "stan"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550110")),
            User("pia.provisioned@example.com", "Pia", "Price", "PROVISIONED", "Activation pending: same pages as anyone, nothing is ever sent", "+12025550111",
                new SeedFactor(FactorId("sms", "pia"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550111")),
            User("dora.deprovisioned@example.com", "Dora", "Dunn", "DEPROVISIONED", "Deactivated: same pages as anyone, nothing is ever sent", "+12025550112",
                new SeedFactor(FactorId("sms", "dora"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550112")),
        ];

        for (var i = 1; i <= loadTestUsers; i++)
        {
            users.Add(LoadTestUser(i));
        }

        return primaryEmailFactors ? [.. users.Select(WithPrimaryEmailFactor)] : users;
    }

    // The login is the sandbox's primary email, verified for every seeded user (Okta's credentials.emails PRIMARY VERIFIED).
    private static SeedUser WithPrimaryEmailFactor(SeedUser user) =>
        !user.CredentialsProvider.HasPassword || user.Factors.Any(f => f.Kind == SandboxFactorKind.Email)
            ? user
            : user with { Factors = [.. user.Factors, new SeedFactor(FactorId("emf", user.Login), SandboxFactorKind.Email, user.Created, Email: user.Login)] };

    private static SeedUser LoadTestUser(int index)
    {
        var name = $"load{index:D5}";
        var phone = $"+1555{index:D7}";
        // A distinct, reproducible secret per generated user.
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"mfareset-sandbox-load-totp:{name}"))[..20];
        return new SeedUser(UserId(name), $"{name}@load.example.com", "Load", $"User {index:D5}", "ACTIVE", "Generated for load tests", IsDemoUser: false,
            phone, Enrolled,
            [
                new SeedFactor(FactorId("sms", name), SandboxFactorKind.Sms, Enrolled, PhoneNumber: phone),
                new SeedFactor(FactorId("opf", name), SandboxFactorKind.OktaVerifyPush, Enrolled, Device: new("Load phone", "ANDROID", "SmartPhone_Android", "14")),
                new SeedFactor(FactorId("ost", name), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromKey(key)),
            ]);
    }

    private static SeedUser User(string login, string first, string last, string status, string description, string? mobilePhone, params SeedFactor[] factors) =>
        new(UserId(login), login, first, last, status, description, IsDemoUser: true, mobilePhone, Enrolled.AddMonths(-6), factors);

    private static string UserId(string seed) => "00u" + Base62(seed, 17);

    private static string FactorId(string prefix, string seed) => prefix + Base62(prefix + ":" + seed, 17);

    // Okta ids are 20 characters of [0-9A-Za-z]; derive them from a hash so they are stable across starts.
    private static string Base62(string seed, int length)
    {
        const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return string.Create(length, hash, static (span, h) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Digits[h[i] % Digits.Length];
            }
        });
    }
}
