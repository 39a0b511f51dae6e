namespace MfaReset.Web.Reset.State;

/// <summary>
/// A push's poll link as a flow holds it. Okta's link is
/// <c>{orgUrl}/api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}</c> (contract fixtures
/// <c>verifyFactor/push-challenge*</c>); the flow already knows all but the transaction id, so it keeps only
/// that and rebuilds the link when it polls or cancels. A link of any other shape (another host of the org,
/// another factor id) is kept whole, as Okta gave it.
/// </summary>
internal static class PushLink
{
    private const string TransactionsSegment = "/transactions/";

    /// <summary>The push with the link of <paramref name="poll"/>: its transaction id when the link rebuilds exactly, otherwise the whole link.</summary>
    public static PushState WithLink(PushState push, PushPollHandle poll, Uri? orgUrl, string? userId, string? factorId)
    {
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(poll);
        var href = poll.Serialize();
        var at = href.LastIndexOf(TransactionsSegment, StringComparison.Ordinal);
        var transactionId = at < 0 ? null : href[(at + TransactionsSegment.Length)..];
        return transactionId is { Length: > 0 } && Rebuild(orgUrl, userId, factorId, transactionId) is { } rebuilt && string.Equals(rebuilt, href, StringComparison.Ordinal)
            ? push with { TransactionId = transactionId, PollHandle = null }
            : push with { TransactionId = null, PollHandle = href };
    }

    /// <summary>
    /// The push with a new poll link a later answer carried (Okta's "follow the returned <c>poll</c> link"), or null
    /// when it is not to be followed: only the org's own transaction path for this flow's user and factor is taken
    /// from an answer, never another host or path, so no answer can point the portal's polls elsewhere.
    /// </summary>
    public static PushState? FollowingNewLink(PushState push, PushPollHandle poll, Uri? orgUrl, string? userId, string? factorId)
    {
        var moved = WithLink(push, poll, orgUrl, userId, factorId);
        return moved.TransactionId is { } id && IsPlainId(id) ? moved : null;
    }

    /// <summary>An Okta id as one plain path segment: letters, digits, '.', '_' and '-', not dots only (no query, no fragment, no '/').</summary>
    private static bool IsPlainId(string id) =>
        id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && id.Any(c => c != '.');

    /// <summary>The push's poll handle, or null for a decoy push (nothing was sent, nothing to poll).</summary>
    public static PushPollHandle? HandleOf(PushState push, Uri? orgUrl, string? userId, string? factorId)
    {
        ArgumentNullException.ThrowIfNull(push);
        var href = push.PollHandle ?? (push.TransactionId is { } transactionId ? Rebuild(orgUrl, userId, factorId, transactionId) : null);
        return href is null ? null : PushPollHandle.Deserialize(href);
    }

    private static string? Rebuild(Uri? orgUrl, string? userId, string? factorId, string transactionId) =>
        orgUrl is null || userId is null || factorId is null
            ? null
            : $"{orgUrl.AbsoluteUri.TrimEnd('/')}/api/v1/users/{userId}/factors/{factorId}{TransactionsSegment}{transactionId}";
}
