using MfaReset.Okta;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage.InMemory;

/// <summary>
/// A flow as the in-memory store keeps it: one array of bytes, plus the menu's choices, which are shared by
/// every flow offered the same ones (<see cref="MenuPacking"/>). A pending push flow is a few hundred bytes this
/// way instead of a record, a push record, a menu and half a dozen strings; each read builds the
/// <see cref="FlowState"/> anew. The store's own fields (how long it is kept, the version) come first at fixed
/// places, so expiry and compare-and-set read them without building the flow. Times are written relative
/// to <see cref="FlowState.CreatedAt"/>, and numbers in as few bytes as they need; the key as its 256 bits
/// (<see cref="PackedSecret"/>), the public id as its 96, the subject key not at all when it is the Okta
/// user's, the chosen factor as its menu key, and a push's poll link as its transaction id when it is Okta's
/// documented link for the org, user and factor (<see cref="PushPollHandle.TransactionIdUnder"/>). A value,
/// held in the store's dictionary entry itself; two are equal only when they hold the same arrays, so
/// compare-and-set on it compares identity (every write makes a new array).
/// </summary>
internal readonly struct CompactFlow : IEquatable<CompactFlow>
{
    private const int RetainUntilAt = 0, VersionAt = sizeof(long), KeyAt = 2 * sizeof(long);

    private const char WordSeparator = '\0';

    [Flags]
    private enum Has : byte
    {
        None = 0,
        WasLockedOut = 1,
        AccountUnlocked = 2,
        SessionsRevoked = 4,
        Push = 8,
        PersonalWordsListed = 16,
        WeakETag = 32,
    }

    private readonly FlowFactor[] _choices;
    private readonly byte[] _bytes;

    private CompactFlow(FlowFactor[] choices, byte[] bytes)
    {
        _choices = choices;
        _bytes = bytes;
    }

    public bool Equals(CompactFlow other) => ReferenceEquals(_bytes, other._bytes) && ReferenceEquals(_choices, other._choices);

    public override bool Equals(object? obj) => obj is CompactFlow other && Equals(other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_bytes);

    /// <summary>The UTC ticks until which the store keeps the flow.</summary>
    public long RetainUntil => BitConverter.ToInt64(_bytes, RetainUntilAt);

    /// <summary>The flow's <see cref="FlowState.Version"/>.</summary>
    public long Version => BitConverter.ToInt64(_bytes, VersionAt);

    /// <summary>The flow's key as held.</summary>
    public PackedSecret Key
    {
        get
        {
            var reader = new CompactReader(_bytes.AsSpan(KeyAt));
            return PackedSecret.ReadFrom(ref reader);
        }
    }

    /// <summary>
    /// <paramref name="state"/> kept until <paramref name="retainUntilUtcTicks"/>, its menu's choices shared
    /// through <paramref name="menus"/>; a poll link under <paramref name="orgUrl"/> (when known) is kept as its transaction id.
    /// </summary>
    public static CompactFlow Of(FlowState state, long retainUntilUtcTicks, MenuPacking menus, Uri? orgUrl)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(menus);
        var w = new CompactWriter();
        w.WriteFixed(retainUntilUtcTicks);
        w.WriteFixed(state.Version);
        PackedSecret.Of(state.Key).WriteTo(w);
        var created = state.CreatedAt.UtcTicks;
        w.WriteFixed(created);
        var wordsJoined = CanJoin(state.PersonalWords);
        w.WriteByte((byte)((state.WasLockedOut ? Has.WasLockedOut : Has.None) | (state.AccountUnlocked ? Has.AccountUnlocked : Has.None)
            | (state.SessionsRevoked ? Has.SessionsRevoked : Has.None) | (state.Push is null ? Has.None : Has.Push)
            | (wordsJoined ? Has.None : Has.PersonalWordsListed) | (state.OktaUserETag is { IsWeak: true } ? Has.WeakETag : Has.None)));
        w.WriteNumber((ulong)state.Stage);
        w.WriteNumber((ulong)state.Purpose);
        w.WriteSigned((long?)state.Problem);
        w.WriteNumber((ulong)state.AfterVerification);
        w.WriteNumber((ulong)state.TokenState);
        // The public id as its bits when it is one NewPublicId made (with a marker bit, so bits 0 are none), otherwise as its text.
        var publicIdBits = FlowSecrets.TryParsePublicId(state.PublicId, out var bits) ? bits : UInt128.Zero;
        w.WriteNumber((ulong)(publicIdBits >> 64));
        w.WriteFixed((long)(ulong)publicIdBits);
        w.WriteString(publicIdBits == UInt128.Zero && state.PublicId.Length > 0 ? state.PublicId : null);
        w.WriteSigned(state.ExpiresAt.UtcTicks - created);
        w.WriteSigned(state.LastActivityAt.UtcTicks - created);
        w.WriteSigned(state.OktaPasswordChanged?.UtcTicks - created);
        w.WriteSigned(state.CodeSentAt?.UtcTicks - created);
        w.WriteSigned(state.PhoneBusyUntil?.UtcTicks - created);
        w.WriteSigned(state.PushHeldUntil?.UtcTicks - created);
        w.WriteSigned(state.TokenExpiresAt?.UtcTicks - created);
        w.WriteString(state.OktaUserId);
        // Not held when it is the Okta user's, which the id derives.
        w.WriteString(state.OktaUserId is { } userId && string.Equals(state.SubjectKey, FlowKeys.UserSubject(userId), StringComparison.Ordinal) ? null : state.SubjectKey);
        if (wordsJoined)
        {
            w.WriteString(state.PersonalWords is { } words ? string.Join(WordSeparator, words) : null);
        }
        else
        {
            WriteList(w, state.PersonalWords);
        }

        w.WriteString(state.PasswordProvider);
        WriteRules(w, state.PasswordRules);
        w.WriteString(state.FirstVerifiedChoice);
        var packedIds = MenuPacking.PackIds(state.Factors);
        w.WriteBlob(packedIds, packedIds is null);
        w.WriteString(state.Chosen?.ChoiceKey);
        w.WriteString(state.CodeSentFor);
        w.WriteSigned(state.CodeAttempts);
        w.WriteSigned(state.Sends);
        w.WriteSigned(state.Pushes);
        w.WriteSigned(state.PasswordAttempts);
        w.WriteBlob(state.TokenHash, state.TokenHash is null);
        if (state.Push is { } push)
        {
            var transactionId = TransactionIdOf(push, orgUrl, state);
            w.WriteString(transactionId);
            w.WriteString(transactionId is null ? push.PollHandle : null);
            w.WriteSigned(push.Number);
            w.WriteSigned(push.SentAt.UtcTicks - created);
            w.WriteSigned(push.ExpiresAt.UtcTicks - created);
            w.WriteNumber((ulong)push.Status);
            w.WriteSigned(push.LastPolledAt?.UtcTicks - created);
            w.WriteSigned(push.BackoffUntil?.UtcTicks - created);
        }

        // Last, after the optional push, so the census (which stops before it) reads past nothing new.
        w.WriteSigned(state.VerifyingUntil?.UtcTicks - created);
        w.WriteString(state.OktaUserETag?.OpaqueTag);

        return new CompactFlow(menus.ChoicesOf(state.Factors), w.ToArray());
    }

    /// <summary>The flow as it was given to <see cref="Of"/>, with the same <paramref name="orgUrl"/>.</summary>
    public FlowState ToState(Uri? orgUrl)
    {
        var r = new CompactReader(_bytes.AsSpan(KeyAt));
        var key = PackedSecret.ReadFrom(ref r);
        var created = r.ReadFixed();
        var has = (Has)r.ReadByte();
        var stage = (FlowStage)r.ReadNumber();
        var purpose = (FlowPurpose)r.ReadNumber();
        var problem = (FlowProblem?)r.ReadSignedOrNone();
        var afterVerification = (AfterVerification)r.ReadNumber();
        var tokenState = (TokenState)r.ReadNumber();
        var publicIdHigh = r.ReadNumber();
        var publicIdBits = new UInt128(publicIdHigh, (ulong)r.ReadFixed());
        var publicIdText = r.ReadString();
        var expiresAt = r.ReadSigned();
        var lastActivityAt = r.ReadSigned();
        var oktaPasswordChanged = r.ReadSignedOrNone();
        var codeSentAt = r.ReadSignedOrNone();
        var phoneBusyUntil = r.ReadSignedOrNone();
        var pushHeldUntil = r.ReadSignedOrNone();
        var tokenExpiresAt = r.ReadSignedOrNone();
        var oktaUserId = r.ReadString();
        var subjectKey = r.ReadString() ?? FlowKeys.UserSubject(oktaUserId!);
        var personalWords = has.HasFlag(Has.PersonalWordsListed) ? ReadList(ref r) : r.ReadString() switch { null => null, "" => [], var joined => joined.Split(WordSeparator) };
        var passwordProvider = r.ReadString();
        var passwordRules = ReadRules(ref r);
        var firstVerifiedChoice = r.ReadString();
        var factors = MenuPacking.Unpack(_choices, r.ReadBlob());
        var chosenKey = r.ReadString();
        var state = new FlowState
        {
            Key = key.Text!,
            Version = Version,
            Stage = stage,
            Purpose = purpose,
            Problem = problem,
            AfterVerification = afterVerification,
            TokenState = tokenState,
            PublicId = publicIdText ?? (publicIdBits == UInt128.Zero ? string.Empty : FlowSecrets.FormatPublicId(publicIdBits)),
            CreatedAt = At(created, 0),
            ExpiresAt = At(created, expiresAt),
            LastActivityAt = At(created, lastActivityAt),
            OktaPasswordChanged = At(created, oktaPasswordChanged),
            CodeSentAt = At(created, codeSentAt),
            PhoneBusyUntil = At(created, phoneBusyUntil),
            PushHeldUntil = At(created, pushHeldUntil),
            TokenExpiresAt = At(created, tokenExpiresAt),
            SubjectKey = subjectKey,
            OktaUserId = oktaUserId,
            WasLockedOut = has.HasFlag(Has.WasLockedOut),
            AccountUnlocked = has.HasFlag(Has.AccountUnlocked),
            SessionsRevoked = has.HasFlag(Has.SessionsRevoked),
            PersonalWords = personalWords,
            PasswordProvider = passwordProvider,
            PasswordRules = passwordRules,
            FirstVerifiedChoice = firstVerifiedChoice,
            Factors = factors,
            Chosen = chosenKey is null ? null : Array.Find(factors, f => string.Equals(f.ChoiceKey, chosenKey, StringComparison.Ordinal)),
            CodeSentFor = r.ReadString(),
            CodeAttempts = (int)r.ReadSigned(),
            Sends = (int)r.ReadSigned(),
            Pushes = (int)r.ReadSigned(),
            PasswordAttempts = (int)r.ReadSigned(),
            TokenHash = r.ReadBlob(),
        };
        var push = has.HasFlag(Has.Push) ? ReadPush(ref r, created, orgUrl, state) : null;
        var verifyingUntil = At(created, r.ReadSignedOrNone());
        var etag = r.ReadString() is { } opaqueTag ? new OktaEntityTag(opaqueTag, has.HasFlag(Has.WeakETag)) : null;
        return push is null && verifyingUntil is null && etag is null
            ? state
            : state with { Push = push, VerifyingUntil = verifyingUntil, OktaUserETag = etag };
    }

    /// <summary>
    /// What <see cref="FlowCensusRules"/> reads of the flow, without building it (the census passes over
    /// every flow): the same order as <see cref="ToState"/>, passing over the rest.
    /// </summary>
    public (FlowStage Stage, DateTimeOffset ExpiresAt, PushStatus? PushStatus, DateTimeOffset PushExpiresAt) CensusFields()
    {
        var r = new CompactReader(_bytes.AsSpan(KeyAt));
        PackedSecret.Skip(ref r);
        var created = r.ReadFixed();
        var has = (Has)r.ReadByte();
        var stage = (FlowStage)r.ReadNumber();
        r.ReadNumber(); // purpose
        r.ReadNumber(); // problem
        r.ReadNumber(); // after verification
        r.ReadNumber(); // token state
        r.ReadNumber(); // public id, high bits
        r.ReadFixed(); // public id, low bits
        r.SkipString(); // public id text
        var expiresAt = At(created, r.ReadSigned());
        for (var i = 0; i < 6; i++)
        {
            r.ReadNumber(); // last activity, then the five times that may be none
        }

        r.SkipString(); // Okta user id
        r.SkipString(); // subject key
        if (has.HasFlag(Has.PersonalWordsListed))
        {
            SkipList(ref r); // personal words, one by one
        }
        else
        {
            r.SkipString(); // personal words, joined
        }

        r.SkipString(); // password provider
        SkipRules(ref r); // password rules

        r.SkipString(); // first verified choice
        r.SkipBlob(); // factor ids
        r.SkipString(); // chosen
        r.SkipString(); // code sent for
        for (var i = 0; i < 4; i++)
        {
            r.ReadNumber(); // code attempts, sends, pushes, password attempts
        }

        r.SkipBlob(); // token hash
        if (!has.HasFlag(Has.Push))
        {
            return (stage, expiresAt, null, DateTimeOffset.MinValue);
        }

        r.SkipString(); // transaction id
        r.SkipString(); // poll handle
        r.ReadNumber(); // number
        r.ReadNumber(); // sent at
        var pushExpiresAt = At(created, r.ReadSigned());
        return (stage, expiresAt, (PushStatus)r.ReadNumber(), pushExpiresAt);
    }

    // The poll link's transaction id when the link is Okta's documented one for this org, user and chosen factor.
    private static string? TransactionIdOf(PushState push, Uri? orgUrl, FlowState state) =>
        !string.IsNullOrWhiteSpace(push.PollHandle) && orgUrl is not null && state.OktaUserId is { } userId && state.Chosen?.OktaFactorId is { } factorId
            ? PushPollHandle.Deserialize(push.PollHandle).TransactionIdUnder(orgUrl, userId, factorId)
            : null;

    private static PushState ReadPush(ref CompactReader r, long created, Uri? orgUrl, FlowState state)
    {
        var transactionId = r.ReadString();
        var pollHandle = r.ReadString();
        return new PushState
        {
            // A transaction id was written only with an org URL, a user and a chosen factor, which read back the same.
            PollHandle = transactionId is null ? pollHandle : PushPollHandle.ForTransaction(orgUrl!, state.OktaUserId!, state.Chosen!.OktaFactorId!, transactionId).Serialize(),
            Number = (int?)r.ReadSignedOrNone(),
            SentAt = At(created, r.ReadSigned()),
            ExpiresAt = At(created, r.ReadSigned()),
            Status = (PushStatus)r.ReadNumber(),
            LastPolledAt = At(created, r.ReadSignedOrNone()),
            BackoffUntil = At(created, r.ReadSignedOrNone()),
        };
    }

    // Every time the portal keeps is UTC (its clock, Okta's timestamps), so it reads back as the same instant in UTC.
    private static DateTimeOffset At(long created, long offset) => new(created + offset, TimeSpan.Zero);

    private static DateTimeOffset? At(long created, long? offset) => offset is { } o ? At(created, o) : null;

    private static void WriteList(CompactWriter w, IReadOnlyList<string>? list)
    {
        w.WriteNumber(list is null ? 0 : (ulong)list.Count + 1);
        foreach (var item in list ?? [])
        {
            w.WriteString(item);
        }
    }

    // A password rule is its kind and number (a configured sentence its text too): two or three bytes, not its English line.
    private static void WriteRules(CompactWriter w, IReadOnlyList<PasswordRule>? rules)
    {
        w.WriteNumber(rules is null ? 0 : (ulong)rules.Count + 1);
        foreach (var rule in rules ?? [])
        {
            w.WriteNumber((ulong)rule.Kind);
            w.WriteNumber(checked((ulong)rule.Count));
            w.WriteString(rule.Text);
        }
    }

    private static PasswordRule[]? ReadRules(ref CompactReader r)
    {
        var held = r.ReadNumber();
        if (held == 0)
        {
            return null;
        }

        var rules = new PasswordRule[checked((int)(held - 1))];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = new PasswordRule((PasswordRuleKind)r.ReadNumber(), checked((int)r.ReadNumber()), r.ReadString());
        }

        return rules;
    }

    private static void SkipRules(ref CompactReader r)
    {
        for (var held = r.ReadNumber(); held > 1; held--)
        {
            r.ReadNumber();
            r.ReadNumber();
            r.SkipString();
        }
    }

    // Personal words are held as one string joined by WordSeparator (a byte less per word than a list) when that reads back
    // exactly: no word is empty or holds the separator, which the words PasswordChecks makes never do.
    private static bool CanJoin(IReadOnlyList<string>? words) =>
        words is null || words.All(word => word.Length > 0 && !word.Contains(WordSeparator, StringComparison.Ordinal));

    private static void SkipList(ref CompactReader r)
    {
        for (var held = r.ReadNumber(); held > 1; held--)
        {
            r.SkipString();
        }
    }

    private static string[]? ReadList(ref CompactReader r)
    {
        var held = r.ReadNumber();
        if (held == 0)
        {
            return null;
        }

        var list = new string[checked((int)(held - 1))];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = r.ReadString()!;
        }

        return list;
    }
}
