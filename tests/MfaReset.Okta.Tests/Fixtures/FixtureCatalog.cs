using MfaReset.Testing;

namespace MfaReset.Okta.Tests.Fixtures;

/// <summary>
/// The fixture folders and what the client does with each. Replay theories take their data from
/// <see cref="Of"/>, which lists the folder on disk, so a file added later is replayed (and must pass)
/// without anyone touching the tests.
/// </summary>
public static class FixtureCatalog
{
    /// <summary>Operation folders whose calls the client makes; every file in them is replayed.</summary>
    public static readonly IReadOnlySet<string> UsedOperations = new HashSet<string>(StringComparer.Ordinal)
    {
        "getUser", "listFactors", "verifyFactor", "getFactorTransactionStatus", "updateUser", "unlockUser", "revokeUserSessions",
        "listAssignedRolesForUser", "oauthToken", "listUserGroups", "listPolicies", "listPolicyRules",
    };

    /// <summary>
    /// Operations the client does not call yet. A folder moves to <see cref="UsedOperations"/> with its first
    /// call, and from then on every file in it must be replayed. getFactor: the portal reads factors only as a list.
    /// </summary>
    public static readonly IReadOnlySet<string> NotCalledYet = new HashSet<string>(StringComparer.Ordinal) { "getFactor" };

    /// <summary>Error bodies shared by the operations; every file is replayed.</summary>
    public const string Errors = "errors";

    /// <summary>Operations the portal must never call (Okta's own reset machinery, security.md item 42).</summary>
    public static readonly IReadOnlySet<string> NeverCalled = new HashSet<string>(StringComparer.Ordinal)
    {
        "resetPassword", "expirePassword", "expirePasswordWithTempPassword",
    };

    /// <summary>Folders that hold reference material, not request/response pairs.</summary>
    public static readonly IReadOnlySet<string> NotFixtures = new HashSet<string>(StringComparer.Ordinal) { "reference", "spec" };

    public static TheoryData<string> Of(string folder) => new(ContractFixture.Files(folder));
}
