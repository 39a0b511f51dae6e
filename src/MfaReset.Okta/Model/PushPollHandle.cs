namespace MfaReset.Okta;

/// <summary>
/// Where to poll a push transaction. Opaque to callers: they store it server side (as
/// <see cref="Serialize"/> text) and hand it back. The client checks the href against the org URL
/// every time it follows one, so a tampered stored value cannot make it call elsewhere.
/// </summary>
public sealed class PushPollHandle : IEquatable<PushPollHandle>
{
    internal PushPollHandle(string href)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(href);
        Href = href;
    }

    internal string Href { get; }

    /// <summary>Text for a flow store; turn it back with <see cref="Deserialize"/>.</summary>
    public string Serialize() => Href;

    /// <summary>Restores a handle from <see cref="Serialize"/> text.</summary>
    public static PushPollHandle Deserialize(string serialized) => new(serialized);

    /// <summary>
    /// The handle of push <paramref name="transactionId"/> to <paramref name="userId"/>'s factor
    /// <paramref name="factorId"/> as Okta documents its link under <paramref name="orgUrl"/>; with
    /// <see cref="TransactionIdUnder"/>, a caller can keep a handle as its transaction id alone.
    /// </summary>
    public static PushPollHandle ForTransaction(Uri orgUrl, string userId, string factorId, string transactionId)
    {
        ArgumentNullException.ThrowIfNull(orgUrl);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(factorId);
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        return new(PollHref.TransactionLink(orgUrl, userId, factorId, transactionId));
    }

    /// <summary>
    /// The transaction id when this handle is exactly <see cref="ForTransaction"/> of it (Okta's documented
    /// link for this org, user and factor); null for a link of any other shape, which must be kept whole.
    /// </summary>
    public string? TransactionIdUnder(Uri orgUrl, string userId, string factorId)
    {
        ArgumentNullException.ThrowIfNull(orgUrl);
        return string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(factorId) ? null : PollHref.TransactionIdOf(Href, orgUrl, userId, factorId);
    }

    /// <inheritdoc/>
    public bool Equals(PushPollHandle? other) => other is not null && string.Equals(Href, other.Href, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PushPollHandle);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Href);

    /// <summary>Never prints the href: poll URLs stay out of logs.</summary>
    public override string ToString() => "PushPollHandle";
}
