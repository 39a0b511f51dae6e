namespace MfaReset.LoadTest.Sandbox;

/// <summary>
/// What the virtual users need from the Okta sandbox's control surface: the phone in their pocket (codes,
/// pushes) and the sandbox's call counters. In process it wraps the sandbox's control object; against a
/// running sandbox it speaks the same operations as JSON.
/// </summary>
internal interface ISandboxProbe
{
    /// <summary>Every user with the factor kinds a reset can use, demo users first.</summary>
    Task<IReadOnlyList<ProbeUser>> UsersAsync(CancellationToken ct);

    /// <summary>The newest SMS or voice code delivered to the user, or null when none was.</summary>
    Task<string?> LatestPhoneCodeAsync(string login, CancellationToken ct);

    /// <summary>The current code of the user's TOTP factor of <paramref name="kind"/>.</summary>
    Task<string> TotpCodeAsync(string login, ResetKind kind, CancellationToken ct);

    /// <summary>The newest push waiting on the user's phone, or null.</summary>
    Task<ProbePush?> PendingPushAsync(string login, CancellationToken ct);

    /// <summary>Taps "approve", picking <paramref name="number"/> when the push asks for one; true when approved.</summary>
    Task<bool> ApprovePushAsync(string transactionId, int? number, CancellationToken ct);

    /// <summary>Okta API calls per operation, in total and per login.</summary>
    Task<ProbeCallCounts> CallCountsAsync(CancellationToken ct);
}

/// <summary>A sandbox user and the kinds of reset it can do.</summary>
internal sealed record ProbeUser(string Login, bool IsDemoUser, IReadOnlySet<ResetKind> Kinds);

/// <summary>A push waiting on a phone.</summary>
internal sealed record ProbePush(string TransactionId, int? CorrectAnswer);

/// <summary>Okta API calls per operation id (getUser, verifyFactor, ...), in total and per login.</summary>
internal sealed record ProbeCallCounts(
    IReadOnlyDictionary<string, long> ByOperation,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByUser)
{
    public const string PushPoll = "getFactorTransactionStatus";

    public long Total => ByOperation.Values.Sum();

    /// <summary>
    /// The calls made about some person: without the org-wide reads the portal makes in the background whoever
    /// waits (the administrators' list, the password policies), which a wait's polls must not be charged with.
    /// </summary>
    public long AboutPeople => ByUser.Values.Sum(calls => calls.Values.Sum());

    /// <summary>The calls made about <paramref name="login"/>, per operation (empty when none).</summary>
    public IReadOnlyDictionary<string, long> For(string login) =>
        ByUser.TryGetValue(login, out var calls) ? calls : new Dictionary<string, long>();

    /// <summary>How many calls of <paramref name="operation"/> were made in all.</summary>
    public long Of(string operation) => ByOperation.TryGetValue(operation, out var n) ? n : 0;
}

/// <summary>The factor kinds a person can reset with, as the portal's generic menu names them.</summary>
internal enum ResetKind
{
    Sms,
    Voice,
    OktaVerifyTotp,
    GoogleAuthenticator,
    Push,
}
