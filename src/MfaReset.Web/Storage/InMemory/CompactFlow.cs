using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage.InMemory;

/// <summary>
/// A flow as the in-memory store keeps it: one array of bytes, plus the menu's choices, which are shared by
/// every flow offered the same ones (<see cref="FlowMenu"/>). A pending push flow is a few hundred bytes this
/// way instead of a record, a push record, a menu and half a dozen strings; each read builds the
/// <see cref="FlowState"/> anew. The store's own fields (how long it is kept, the version) come first at fixed
/// places, so expiry and compare-and-set read them without building the flow. Times are written relative
/// to <see cref="FlowState.CreatedAt"/>, and numbers in as few bytes as they need. A value, held in the
/// store's dictionary entry itself; two are equal only when they hold the same arrays, so compare-and-set
/// on it compares identity (every write makes a new array).
/// </summary>
internal readonly struct CompactFlow : IEquatable<CompactFlow>
{
    private const int RetainUntilAt = 0, VersionAt = sizeof(long), KeyAt = 2 * sizeof(long);

    [Flags]
    private enum Has : byte
    {
        None = 0,
        WasLockedOut = 1,
        AccountUnlocked = 2,
        SessionsRevoked = 4,
        Push = 8,
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

    /// <summary><paramref name="state"/> kept until <paramref name="retainUntilUtcTicks"/>.</summary>
    public static CompactFlow Of(FlowState state, long retainUntilUtcTicks)
    {
        ArgumentNullException.ThrowIfNull(state);
        var w = new CompactWriter();
        w.WriteFixed(retainUntilUtcTicks);
        w.WriteFixed(state.Version);
        state.KeyHeld.WriteTo(w);
        var created = state.CreatedAt.UtcTicks;
        w.WriteFixed(created);
        w.WriteByte((byte)((state.WasLockedOut ? Has.WasLockedOut : Has.None) | (state.AccountUnlocked ? Has.AccountUnlocked : Has.None)
            | (state.SessionsRevoked ? Has.SessionsRevoked : Has.None) | (state.Push is null ? Has.None : Has.Push)));
        w.WriteNumber((ulong)state.Stage);
        w.WriteNumber((ulong)state.Purpose);
        w.WriteSigned((long?)state.Problem);
        w.WriteNumber((ulong)state.AfterVerification);
        w.WriteNumber((ulong)state.TokenState);
        var (publicIdBits, publicIdText) = state.PublicIdHeld;
        w.WriteNumber((ulong)(publicIdBits >> 64));
        w.WriteFixed((long)(ulong)publicIdBits);
        w.WriteString(publicIdText);
        w.WriteSigned(state.ExpiresAt.UtcTicks - created);
        w.WriteSigned(state.LastActivityAt.UtcTicks - created);
        w.WriteSigned(state.OktaPasswordChanged?.UtcTicks - created);
        w.WriteSigned(state.CodeSentAt?.UtcTicks - created);
        w.WriteSigned(state.PhoneBusyUntil?.UtcTicks - created);
        w.WriteSigned(state.PushHeldUntil?.UtcTicks - created);
        w.WriteSigned(state.TokenExpiresAt?.UtcTicks - created);
        w.WriteString(state.OktaUserId);
        w.WriteString(state.SubjectKeyHeld);
        w.WriteString(state.PersonalWordsHeld);
        w.WriteString(state.PasswordProvider);
        WriteList(w, state.PasswordRules);
        w.WriteString(state.FirstVerifiedChoice);
        w.WriteBlob(state.Menu.PackedIds, state.Menu.PackedIds is null);
        w.WriteString(state.ChosenKey);
        w.WriteString(state.CodeSentFor);
        w.WriteSigned(state.CodeAttempts);
        w.WriteSigned(state.Sends);
        w.WriteSigned(state.Pushes);
        w.WriteSigned(state.PasswordAttempts);
        w.WriteBlob(state.TokenHash, state.TokenHash is null);
        if (state.Push is { } push)
        {
            w.WriteString(push.TransactionId);
            w.WriteString(push.PollHandle);
            w.WriteSigned(push.Number);
            w.WriteSigned(push.SentAt.UtcTicks - created);
            w.WriteSigned(push.ExpiresAt.UtcTicks - created);
            w.WriteNumber((ulong)push.Status);
            w.WriteSigned(push.LastPolledAt?.UtcTicks - created);
            w.WriteSigned(push.BackoffUntil?.UtcTicks - created);
        }

        // Last, after the optional push, so the census (which stops before it) reads past nothing new.
        w.WriteSigned(state.VerifyingUntil?.UtcTicks - created);

        return new CompactFlow(state.Menu.Choices, w.ToArray());
    }

    /// <summary>The flow as it was given to <see cref="Of"/>.</summary>
    public FlowState ToState()
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
        var subjectKey = r.ReadString();
        var state = new FlowState
        {
            Key = string.Empty,
            KeyHeld = key,
            Version = Version,
            Stage = stage,
            Purpose = purpose,
            Problem = problem,
            AfterVerification = afterVerification,
            TokenState = tokenState,
            PublicIdHeld = (publicIdBits, publicIdText),
            CreatedAt = At(created, 0),
            ExpiresAt = At(created, expiresAt),
            LastActivityAt = At(created, lastActivityAt),
            OktaPasswordChanged = At(created, oktaPasswordChanged),
            CodeSentAt = At(created, codeSentAt),
            PhoneBusyUntil = At(created, phoneBusyUntil),
            PushHeldUntil = At(created, pushHeldUntil),
            TokenExpiresAt = At(created, tokenExpiresAt),
            // The subject key is held only when it is not the Okta user's, so it is set before the id derives it.
            SubjectKey = subjectKey ?? FlowKeys.UserSubject(oktaUserId!),
            OktaUserId = oktaUserId,
            WasLockedOut = has.HasFlag(Has.WasLockedOut),
            AccountUnlocked = has.HasFlag(Has.AccountUnlocked),
            SessionsRevoked = has.HasFlag(Has.SessionsRevoked),
            PersonalWordsHeld = r.ReadString(),
            PasswordProvider = r.ReadString(),
            PasswordRules = ReadList(ref r),
            FirstVerifiedChoice = r.ReadString(),
            Factors = FlowMenu.FromParts(_choices, r.ReadBlob()),
            ChosenKey = r.ReadString(),
            CodeSentFor = r.ReadString(),
            CodeAttempts = (int)r.ReadSigned(),
            Sends = (int)r.ReadSigned(),
            Pushes = (int)r.ReadSigned(),
            PasswordAttempts = (int)r.ReadSigned(),
            TokenHash = r.ReadBlob(),
        };
        var push = has.HasFlag(Has.Push)
            ? new PushState
            {
                TransactionId = r.ReadString(),
                PollHandle = r.ReadString(),
                Number = (int?)r.ReadSignedOrNone(),
                SentAt = At(created, r.ReadSigned()),
                ExpiresAt = At(created, r.ReadSigned()),
                Status = (PushStatus)r.ReadNumber(),
                LastPolledAt = At(created, r.ReadSignedOrNone()),
                BackoffUntil = At(created, r.ReadSignedOrNone()),
            }
            : null;
        var verifyingUntil = At(created, r.ReadSignedOrNone());
        return push is null && verifyingUntil is null
            ? state
            : state with { Push = push, VerifyingUntil = verifyingUntil };
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

        for (var i = 0; i < 4; i++)
        {
            r.SkipString(); // Okta user id, subject key, personal words, password provider
        }

        for (var rules = r.ReadNumber(); rules > 1; rules--)
        {
            r.SkipString();
        }

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

    private static DateTimeOffset At(long created, long offset) => UtcTicks.At(created + offset);

    private static DateTimeOffset? At(long created, long? offset) => offset is { } o ? UtcTicks.At(created + o) : null;

    private static void WriteList(CompactWriter w, IReadOnlyList<string>? list)
    {
        w.WriteNumber(list is null ? 0 : (ulong)list.Count + 1);
        foreach (var item in list ?? [])
        {
            w.WriteString(item);
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
