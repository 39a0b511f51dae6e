using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MfaReset.Web.Http;

namespace MfaReset.Web.Reset.State;

/// <summary>
/// The keys of the flow store's per-person leases and counters, in one place: two steps that guard the
/// same thing must name it alike. A subject key is <see cref="FlowState.SubjectKey"/>: the Okta user, or
/// the typed username's hash when Okta knows none, so unknown usernames are limited alike.
/// </summary>
internal static class FlowKeys
{
    /// <summary>Counter of every SMS and voice send (real or decoy) for <see cref="ResetLimits.SendsPerDayGlobal"/>.</summary>
    public const string GlobalSends = "sends:global";

    private const int HolderBytes = 32;

    /// <summary>
    /// The subject key of a typed username, spelled as Okta would resolve it: lowercased (logins are
    /// case-insensitive), and a short name (no <c>@</c>) completed with <paramref name="loginDomain"/> when one is
    /// set, as Okta resolves an unambiguous short name to its login; then its SHA-256 (the username itself is
    /// never a key). So two spellings of one unknown name share limits as two spellings of a real account do.
    /// </summary>
    public static string LoginSubject(string login, string? loginDomain)
    {
        ArgumentNullException.ThrowIfNull(login);
        var name = login.ToLowerInvariant();
        if (!name.Contains('@', StringComparison.Ordinal) && !string.IsNullOrEmpty(loginDomain))
        {
            name = name + "@" + loginDomain.ToLowerInvariant();
        }

        return "login:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
    }

    /// <summary>The subject key of an Okta user.</summary>
    public static string UserSubject(string oktaUserId) => "user:" + oktaUserId;

    /// <summary>Counter of flows started for a username.</summary>
    public static string Starts(string loginSubject) => "starts:" + loginSubject;

    /// <summary>Counter of a person's SMS and voice sends.</summary>
    public static string Sends(string subject) => "sends:" + subject;

    /// <summary>Lease held for the resend cooldown after a send to a person, whatever flow sent it.</summary>
    public static string SendGap(string subject) => "send-gap:" + subject;

    /// <summary>Counter of a person's failed code checks (and denied pushes).</summary>
    public static string Codes(string subject) => "codes:" + subject;

    /// <summary>Counter of a person's pushes.</summary>
    public static string Pushes(string subject) => "pushes:" + subject;

    /// <summary>Lease held by the flow whose push to a person is still open.</summary>
    public static string PushOpen(string subject) => "push-open:" + subject;

    /// <summary>Lease held for the push cooldown after a push to a person.</summary>
    public static string PushGap(string subject) => "push-gap:" + subject;

    /// <summary>Lease naming a person's current count of failed code checks, taken by its first failure (<see cref="VerificationPause"/>).</summary>
    public static string PauseEpoch(string subject) => "pause-epoch:" + subject;

    /// <summary>
    /// The holder of a gap lease (<see cref="PushGap"/>, <see cref="SendGap"/>) taken by a flow: when the gap ends
    /// (the first 8 of its 32 bytes), so a flow held back names the true wait, and the flow's key hashed (the rest),
    /// so the flow can give the gap back (an approved push). Base64url of 32 bytes, held packed like a random holder.
    /// </summary>
    public static string GapHolder(string flowKey, DateTimeOffset endsAt)
    {
        Span<byte> holder = stackalloc byte[HolderBytes];
        BinaryPrimitives.WriteInt64BigEndian(holder, endsAt.UtcTicks);
        SHA256.HashData(Encoding.UTF8.GetBytes(flowKey))[..(HolderBytes - sizeof(long))].CopyTo(holder[sizeof(long)..]);
        return Base64Url.EncodeToString(holder);
    }

    /// <summary>When the gap held by <paramref name="holder"/> (a <see cref="GapHolder"/>) ends; null for any other text.</summary>
    public static DateTimeOffset? GapEnd(string? holder)
    {
        Span<byte> bytes = stackalloc byte[HolderBytes];
        if (holder is null || !Base64Url.TryDecodeFromChars(holder, bytes, out var written) || written != HolderBytes)
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return ticks >= 0 && ticks <= DateTime.MaxValue.Ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>Counter of a person's failed code checks in the count named <paramref name="epoch"/>.</summary>
    public static string Unverified(string subject, string epoch) => $"unverified:{subject}:{epoch}";

    /// <summary>Lease holding when a person's last counted failure was (UTC ticks).</summary>
    public static string LastFailure(string subject) => "last-failure:" + subject;

    /// <summary>
    /// Counter of the failed code checks one client caused, across usernames: keyed by its IPv4 address, or
    /// by the /64 of its IPv6 address (one subscriber's whole network, so rotating addresses within it gains nothing).
    /// </summary>
    public static string FailuresByClient(string clientIp) =>
        "failures-by-client:" + (IPAddress.TryParse(clientIp, out var address) ? ClientRateLimit.ClientKey(address) : clientIp);

    /// <summary>Lease held by the flow whose reset token is a person's newest (older ones are superseded).</summary>
    public static string Token(string subject) => "token:" + subject;

    /// <summary>Lease recording that a code verified a flow, so it never verifies another (stores the code's hash only).</summary>
    public static string UsedCode(string? oktaUserId, string? oktaFactorId, string passCode) =>
        $"otp:{oktaUserId}:{oktaFactorId}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passCode)))}";
}
