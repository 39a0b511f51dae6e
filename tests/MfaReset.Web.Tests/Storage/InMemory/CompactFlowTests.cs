using System.Reflection;
using CsCheck;
using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage.InMemory;

namespace MfaReset.Web.Tests.Storage.InMemory;

/// <summary>
/// A flow kept as compact bytes in the in-memory store reads back as exactly the flow given, field by field,
/// and the store's fields (kept until, version, key) and the census's read without building the flow.
/// </summary>
public sealed class CompactFlowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    private static readonly Uri Org = new("https://example.okta.com");

    private static FlowState Full() => new()
    {
        Key = FlowSecrets.KeyOf(FlowSecrets.NewSecret()),
        Version = 7,
        Stage = FlowStage.Verified,
        PublicId = FlowSecrets.NewPublicId(),
        Purpose = FlowPurpose.Unlock,
        Problem = FlowProblem.AlreadyUsed,
        CreatedAt = T0,
        ExpiresAt = T0.AddMinutes(15),
        LastActivityAt = T0.AddSeconds(5),
        SubjectKey = "user:00u1",
        OktaUserId = "00u1",
        WasLockedOut = true,
        AfterVerification = AfterVerification.HelpDesk,
        OktaPasswordChanged = T0.AddDays(-3).AddMilliseconds(344),
        OktaUserETag = new("\"1234567890abcdef\"", IsWeak: true),
        PersonalWords = ["alice", "example", "smith"],
        PasswordProvider = "OKTA",
        PasswordRules = [PasswordRule.MinLength(12), PasswordRule.Of(PasswordRuleKind.Number), PasswordRule.Configured("A number")],
        FirstVerifiedChoice = "push",
        Factors = [new("sms", FactorKind.Sms, "Text message", "sms1"), new("push", FactorKind.OktaVerifyPush, "Push", null)],
        Chosen = new("sms", FactorKind.Sms, "Text message", "sms1"),
        CodeSentAt = T0.AddMinutes(1),
        CodeSentFor = "sms",
        PhoneBusyUntil = T0.AddMinutes(2),
        Push = new PushState
        {
            PollHandle = "https://example.okta.com/api/v1/users/00u1/factors/sms1/transactions/v2mst1",
            Number = 42,
            SentAt = T0.AddMinutes(3),
            ExpiresAt = T0.AddMinutes(8),
            Status = PushStatus.Approved,
            LastPolledAt = T0.AddMinutes(4),
            BackoffUntil = T0.AddMinutes(5),
        },
        PushHeldUntil = T0.AddMinutes(6),
        VerifyingUntil = T0.AddMinutes(7),
        AccountUnlocked = true,
        SessionsRevoked = true,
        CodeAttempts = 2,
        Sends = 3,
        Pushes = 1,
        TokenHash = [1, 2, 3, 255],
        TokenExpiresAt = T0.AddMinutes(10),
        TokenState = TokenState.InProgress,
        PasswordAttempts = 4,
    };

    [Fact]
    public void EveryFieldReadsBack()
    {
        var full = Full();
        // A field added to the flow must be set here, or this fails: the bytes must carry it too.
        Assert.All(typeof(FlowState).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"),
            p => Assert.True(!Equals(p.GetValue(full), Default(p.PropertyType)), $"{p.Name} is not set in Full()"));
        Assert.All(typeof(PushState).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"),
            p => Assert.True(!Equals(p.GetValue(full.Push), Default(p.PropertyType)), $"Push.{p.Name} is not set in Full()"));

        Assert.Equivalent(full, CompactFlow.Of(full, T0.AddHours(1).UtcTicks, new MenuPacking(), Org).ToState(Org), strict: true);
    }

    [Fact]
    public void StoreFieldsReadWithoutBuildingTheFlow()
    {
        var full = Full();

        var compact = CompactFlow.Of(full, T0.AddHours(1).UtcTicks, new MenuPacking(), Org);

        Assert.Equal((T0.AddHours(1).UtcTicks, 7L, PackedSecret.Of(full.Key)), (compact.RetainUntil, compact.Version, compact.Key));
    }

    [Fact]
    public void TwoWritesOfTheSameFlowAreNotTheSameEntry()
    {
        var full = Full();
        var menus = new MenuPacking();
        var first = CompactFlow.Of(full, 0, menus, Org);

        Assert.NotEqual(first, CompactFlow.Of(full, 0, menus, Org));
        Assert.Equal(first, first);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void GeneratedFlowsReadBackExactly()
    {
        var text = Gen.Frequency<string>(
            (4, Gen.String[0, 30]),
            (2, Gen.Char.Array[0, 12].Select(c => new string(c))), // any UTF-16 unit, lone surrogates too
            (1, Gen.Const(string.Empty)));
        var maybeText = Gen.Frequency<string?>((1, Gen.Const((string?)null)), (3, text.Select(t => (string?)t)));
        var time = Gen.Long[DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));
        var maybeTime = Gen.Frequency<DateTimeOffset?>((1, Gen.Const((DateTimeOffset?)null)), (2, time.Select(t => (DateTimeOffset?)t)));
        var key = Gen.OneOf(Gen.Const(0).Select(_ => FlowSecrets.KeyOf(FlowSecrets.NewSecret())), text);
        var publicId = Gen.OneOf(Gen.Const(0).Select(_ => FlowSecrets.NewPublicId()), text);
        var count = Gen.Int[-3, int.MaxValue];
        var menu = Gen.Select(maybeText, maybeText, maybeText).Select((a, b, c) => (IReadOnlyList<FlowFactor>)
            [new("sms", FactorKind.Sms, "Text", a), new("push", FactorKind.OktaVerifyPush, "Push", b), new("code", FactorKind.OktaVerifyTotp, "Code", c)]);
        var push = Gen.Frequency<PushState?>(
            (1, Gen.Const((PushState?)null)),
            (3, Gen.Select(maybeText, NoneOr(Gen.Int), time, time, Gen.Enum<PushStatus>(), maybeTime, maybeTime)
                .Select((handle, number, sent, expires, status, polled, backoff) => (PushState?)new PushState
                {
                    PollHandle = handle, Number = number, SentAt = sent, ExpiresAt = expires, Status = status, LastPolledAt = polled, BackoffUntil = backoff,
                })));
        var identity = Gen.Select(key, publicId, Gen.Long, Gen.Enum<FlowStage>(), Gen.Enum<FlowPurpose>(), NoneOr(Gen.Enum<FlowProblem>()), maybeText, Gen.Bool);
        var times = Gen.Select(time, time, time, maybeTime, maybeTime, maybeTime, maybeTime, maybeTime);
        var details = Gen.Select(Gen.Enum<AfterVerification>(), NullOr(maybeText.Array[0, 4]), maybeText, NullOr(maybeText.Array[0, 3]), maybeText, menu, Gen.Int[-1, 2], maybeText);
        var counts = Gen.Select(Gen.Bool, Gen.Bool, count, count, count, count, NullOr(Gen.Byte.Array[0, 40]), Gen.Enum<TokenState>());

        var etag = Gen.Frequency<OktaEntityTag?>((1, Gen.Const((OktaEntityTag?)null)), (2, Gen.Select(text, Gen.Bool).Select((tag, weak) => (OktaEntityTag?)new OktaEntityTag(tag, weak))));

        Gen.Select(identity, times, details, counts, push, maybeTime, maybeText, etag).Sample(
            (id, t, d, c, p, verifyingUntil, transactionId, userETag) =>
            {
                var (k, pid, version, stage, purpose, problem, userId, lockedOut) = id;
                var (created, expires, active, changed, codeSent, busy, held, tokenExpires) = t;
                var (after, words, provider, rules, firstChoice, factors, chosen, codeFor) = d;
                var (unlocked, revoked, attempts, sends, pushes, passwordAttempts, tokenHash, tokenState) = c;
                var flow = new FlowState
                {
                    Key = k, Version = version, Stage = stage, PublicId = pid, Purpose = purpose, Problem = problem,
                    CreatedAt = created, ExpiresAt = expires, LastActivityAt = active,
                    // Half the subject keys are the Okta user's (held as none), half another text.
                    SubjectKey = userId is not null && lockedOut ? FlowKeys.UserSubject(userId) : "login:" + k,
                    OktaUserId = userId, WasLockedOut = lockedOut, AfterVerification = after, OktaPasswordChanged = changed,
                    PersonalWords = words?.Select(w => w ?? string.Empty).ToArray(),
                    PasswordProvider = provider, PasswordRules = rules?.Select((r, i) => new PasswordRule((PasswordRuleKind)(i % 12), i * 7, r)).ToArray(), FirstVerifiedChoice = firstChoice,
                    Factors = factors, Chosen = chosen < 0 ? null : factors[chosen], CodeSentAt = codeSent, CodeSentFor = codeFor,
                    PhoneBusyUntil = busy, Push = OfTheDocumentedShapeOrNot(p, transactionId, userId, chosen < 0 ? null : factors[chosen].OktaFactorId), PushHeldUntil = held, AccountUnlocked = unlocked, SessionsRevoked = revoked,
                    CodeAttempts = attempts, Sends = sends, Pushes = pushes, TokenHash = tokenHash, TokenExpiresAt = tokenExpires,
                    TokenState = tokenState, PasswordAttempts = passwordAttempts, VerifyingUntil = verifyingUntil, OktaUserETag = userETag,
                };

                var compact = CompactFlow.Of(flow, created.UtcTicks, new MenuPacking(), Org);
                var read = compact.ToState(Org);

                Assert.Equivalent(flow, read, strict: true);
                Assert.Equal((flow.Stage, flow.ExpiresAt, flow.Push?.Status, flow.Push?.ExpiresAt ?? DateTimeOffset.MinValue), compact.CensusFields());
                Assert.Equal(flow.Factors, read.Factors);
                Assert.Equal(flow.SubjectKey, read.SubjectKey);
            },
            seed: FuzzRuns.Seed,
            iter: FuzzRuns.Iterations(1_000),
            threads: 1);
    }

    // The push with, when a transaction id is given, the poll link Okta documents for the user and chosen factor (held as the id alone when both are known).
    private static PushState? OfTheDocumentedShapeOrNot(PushState? push, string? transactionId, string? userId, string? factorId) =>
        push is null || transactionId is null ? push : push with { PollHandle = $"{Org.AbsoluteUri.TrimEnd('/')}/api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}" };

    private static Gen<T?> NullOr<T>(Gen<T> gen)
        where T : class => Gen.Frequency((1, Gen.Const((T?)null)), (3, gen.Select(v => (T?)v)));

    private static Gen<T?> NoneOr<T>(Gen<T> gen)
        where T : struct => Gen.Frequency((1, Gen.Const((T?)null)), (3, gen.Select(v => (T?)v)));

    private static object? Default(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
}
