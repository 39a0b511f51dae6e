using MfaReset.Okta.Sandbox.Control;
using Microsoft.Net.Http.Headers;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>A user of the running org: the seed plus what has happened since.</summary>
internal sealed class OrgUser(SeedUser seed, DateTimeOffset seededAt, byte[] seedPasswordHash)
{
    public SeedUser Seed { get; } = seed;

    /// <summary>Everything below is read and written only while holding this.</summary>
    public Lock Gate { get; } = new();

    public string Status { get; set; } = seed.Status;

    /// <summary>Locked by five failed verifications (as opposed to seeded as locked by wrong passwords): verify answers <c>E0000069</c>.</summary>
    public bool FactorsLocked { get; set; }

    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset StatusChanged { get; set; } = seed.Created.AddDays(1);

    public DateTimeOffset LastUpdated { get; private set; } = seededAt;

    /// <summary>
    /// The user's current version as getUser's weak <c>ETag</c> gives it (spec, getUser's 200 <c>Etag</c> header,
    /// example <c>W/"1234567890abcdef"</c>): 16 random hex digits, new with every change (<see cref="Changed"/>), so
    /// no two versions share one, not even across a reset of the org or two changes within one clock tick.
    /// </summary>
    public string ETag { get; private set; } = NewETag();

    /// <summary>The user changed at <paramref name="now"/> (password, status, unlock...): a new <c>lastUpdated</c> and <see cref="ETag"/>. Call holding <see cref="Gate"/>.</summary>
    public void Changed(DateTimeOffset now)
    {
        LastUpdated = now;
        ETag = NewETag();
    }

    /// <summary>
    /// Whether an <c>If-Match</c> of <paramref name="tags"/> names the current version: <c>*</c>, or any tag that
    /// equals <see cref="ETag"/> by the weak comparison (RFC 9110 8.8.3.2), as Okta pairs its weak tag with
    /// If-Match. Call holding <see cref="Gate"/>.
    /// </summary>
    public bool Matches(IReadOnlyList<EntityTagHeaderValue> tags) =>
        tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)
            || tag.Compare(EntityTagHeaderValue.Parse(ETag), useStrongComparison: false));

    private static string NewETag() => $"W/\"{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}\"";

    public DateTimeOffset PasswordChanged { get; set; } = seed.Created.AddDays(1);

    public DateTimeOffset? SessionsRevoked { get; set; }

    /// <summary>When the user's OAuth tokens were last revoked with the sessions (<c>?oauthTokens=true</c>), if ever.</summary>
    public DateTimeOffset? OAuthTokensRevoked { get; set; }

    /// <summary>When the user's remembered factors were last cleared on every device (<c>forgetDevices</c>).</summary>
    public DateTimeOffset? DevicesForgotten { get; set; }

    /// <summary>Keyed hashes of the current and previous passwords, newest first.</summary>
    public List<byte[]> PasswordHistory { get; } = [seedPasswordHash];

    /// <summary>Delivered SMS and voice messages, newest first.</summary>
    public List<PhoneMessage> Messages { get; } = [];

    /// <summary>Mail delivered to the inbox (the portal's notices), newest first.</summary>
    public List<InboxMail> Mail { get; } = [];

    /// <summary>The one valid code per SMS or call factor: a new challenge replaces the previous code.</summary>
    public Dictionary<string, PhoneMessage> OpenCodes { get; } = [];

    /// <summary>When each phone number last got an SMS (or a call), for the resend cooldown.</summary>
    public Dictionary<string, DateTimeOffset> LastChallenges { get; } = [];

    /// <summary>The newest accepted TOTP step per factor: a code is accepted once.</summary>
    public Dictionary<string, long> LastTotpSteps { get; } = [];

    /// <summary>Recent push transactions, oldest first.</summary>
    public List<PushTransaction> Pushes { get; } = [];

    public ScriptedPushOutcome NextPush { get; set; }

    public ScriptedCallFault NextCall { get; set; }

    /// <summary>The only operation <see cref="NextCall"/> applies to; null: whichever call comes first.</summary>
    public string? NextCallOperation { get; set; }

    public SeedFactor? FindFactor(string factorId) =>
        Seed.Factors.FirstOrDefault(f => string.Equals(f.Id, factorId, StringComparison.Ordinal));
}
