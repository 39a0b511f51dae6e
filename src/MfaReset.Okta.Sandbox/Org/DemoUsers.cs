using System.Security.Cryptography;
using System.Text;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// The seeded people of the sandbox org. Ids are derived from the logins and TOTP secrets are fixed, so
/// every start looks the same and an authenticator app enrolled once keeps producing accepted codes.
/// The README lists these users; keep the two in step.
/// </summary>
internal static class DemoUsers
{
    private static readonly DateTimeOffset Enrolled = new(2025, 3, 3, 9, 30, 0, TimeSpan.Zero);

    public static IReadOnlyList<SeedUser> Create(int loadTestUsers)
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
            User("max.multi@example.com", "Max", "Meyer", "ACTIVE", "Every kind: SMS and voice on two phones, push, two TOTP apps, a security question", "+12025550103",
                new SeedFactor(FactorId("sms", "max"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550103"),
                new SeedFactor(FactorId("clf", "max"), SandboxFactorKind.Call, Enrolled, PhoneNumber: "+12025550104", PhoneExtension: "42"),
                new SeedFactor(FactorId("opf", "max"), SandboxFactorKind.OktaVerifyPush, Enrolled, Device: new("Max's Pixel", "ANDROID", "SmartPhone_Android", "14")),
                new SeedFactor(FactorId("ost", "max-okta"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXMAXMULTIOKTAVERIF")),
                new SeedFactor(FactorId("ost", "max-google"), SandboxFactorKind.GoogleAuthenticator, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXMAXMULTIGOOGLEAPP")),
                new SeedFactor(FactorId("ufs", "max"), SandboxFactorKind.SecurityQuestion, Enrolled, Question: new("favorite_art_piece", "What is your favorite piece of art?", "Mona Lisa"))),
            User("lou.locked@example.com", "Lou", "Lang", "LOCKED_OUT", "Locked out by wrong passwords; SMS and Okta Verify code still work", "+12025550105",
                new SeedFactor(FactorId("sms", "lou"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550105"),
                new SeedFactor(FactorId("ost", "lou"), SandboxFactorKind.OktaVerifyTotp, Enrolled, TotpSecret: TotpSecret.FromBase32("MFARESETSANDBOXLOULOCKEDOKTATOTP"))),
            User("sue.suspended@example.com", "Sue", "Stone", "SUSPENDED", "Suspended by an admin: nothing but lookups works", "+12025550106",
                new SeedFactor(FactorId("sms", "sue"), SandboxFactorKind.Sms, Enrolled, PhoneNumber: "+12025550106")),
            User("nora.nofactors@example.com", "Nora", "Nash", "ACTIVE", "No factors enrolled", null),
        ];

        for (var i = 1; i <= loadTestUsers; i++)
        {
            users.Add(LoadTestUser(i));
        }

        return users;
    }

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
