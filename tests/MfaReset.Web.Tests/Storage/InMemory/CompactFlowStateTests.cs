using CsCheck;
using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage.InMemory;

namespace MfaReset.Web.Tests.Storage.InMemory;

/// <summary>
/// The compact form the in-memory store holds a pending flow in (a hundred thousand of them may wait at once)
/// reads back as exactly what was put in: the factor menu, the chosen factor, the personal words, the poll
/// link and the times.
/// </summary>
public sealed class CompactFlowStateTests
{
    private static readonly Uri Org = new("https://example.okta.com");

    /// <summary>A flow of user 00u1 offered <paramref name="factors"/>, under the key "k1".</summary>
    internal static FlowState Flow(IReadOnlyList<FlowFactor> factors) => new()
    {
        Key = "k1",
        Stage = FlowStage.Identified,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(15),
        LastActivityAt = DateTimeOffset.UnixEpoch,
        SubjectKey = "user:00u1",
        OktaUserId = "00u1",
        Factors = factors,
    };

    /// <summary><paramref name="flow"/> as the in-memory store reads it back, written under <see cref="Org"/> and read under <paramref name="readUnder"/>.</summary>
    internal static FlowState RoundTrip(FlowState flow, Uri? readUnder = null, MenuPacking? menus = null) =>
        CompactFlow.Of(flow, 0, menus ?? new MenuPacking(), Org).ToState(readUnder ?? Org);

    [Fact]
    public void MenuReadsBackEveryChoiceWithItsOktaIdAndDecoysWithout()
    {
        FlowFactor[] factors =
        [
            new("sms", FactorKind.Sms, "Text message (SMS)", "mbl1"),
            new("push", FactorKind.OktaVerifyPush, "Okta Verify push notification", null),
            new("email", FactorKind.Email, "Email me a code", "emf\u00e91-\u4e2d"),
        ];

        Assert.Equal(factors, RoundTrip(Flow(factors)).Factors);
        Assert.Empty(RoundTrip(Flow([])).Factors);
    }

    [Fact]
    public void SharedChoicesAreUsedOnlyWhenTheyAreTheSameChoices()
    {
        var menus = new MenuPacking();
        FlowFactor[] first = [new("sms", FactorKind.Sms, "Text message (SMS)", "mbl1"), new("push", FactorKind.OktaVerifyPush, "Push", "opf1")];
        FlowFactor[] same = [new("sms", FactorKind.Sms, "Text message (SMS)", "mbl2"), new("push", FactorKind.OktaVerifyPush, "Push", null)];
        FlowFactor[] other = [new("sms", FactorKind.Sms, "Text message (SMS) to \u2022\u2022\u2022 1337", "mbl1"), new("push", FactorKind.OktaVerifyPush, "Push", "opf1")];

        var shared = menus.ChoicesOf(first);

        Assert.Same(shared, menus.ChoicesOf(same));
        Assert.NotSame(shared, menus.ChoicesOf(other));
        Assert.All(shared, choice => Assert.Null(choice.OktaFactorId));
        Assert.Equal(same, RoundTrip(Flow(same), menus: menus).Factors);
        Assert.Equal(other, RoundTrip(Flow(other), menus: menus).Factors);
    }

    [Fact]
    public void MenusBeyondTheSharedOnesStillReadBackExactly()
    {
        var menus = new MenuPacking();
        // Enrolled mode: every person's masked labels differ, so most menus are not shared.
        var flows = Enumerable.Range(0, 40).Select(i => Flow([new($"f1", FactorKind.Sms, $"Text \u2022\u2022\u2022 {i:0000}", $"mbl{i}")])).ToList();

        Assert.All(flows, flow => Assert.Equal(flow.Factors, RoundTrip(flow, menus: menus).Factors));
    }

    [Fact]
    public void ChosenReadsBackAsTheMenusEntryForItsKey()
    {
        var flow = Flow([new("sms", FactorKind.Sms, "Text message (SMS)", "mbl1"), new("push", FactorKind.OktaVerifyPush, "Push", "opf1")]);

        var chosen = flow with { Chosen = flow.Factors[1] };

        Assert.Equal(new FlowFactor("push", FactorKind.OktaVerifyPush, "Push", "opf1"), RoundTrip(chosen).Chosen);
        Assert.Null(RoundTrip(chosen with { Chosen = null }).Chosen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("alice example smith")]
    public void PersonalWordsReadBackAsTheyWereGiven(string spaced)
    {
        var words = spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(words, RoundTrip(Flow([]) with { PersonalWords = words }).PersonalWords);
        Assert.Null(RoundTrip(Flow([])).PersonalWords);
    }

    [Fact]
    public void PersonalWordsThatCannotBeJoinedReadBackOneByOne()
    {
        string[] words = ["alice", string.Empty, "a\0b"];

        Assert.Equal(words, RoundTrip(Flow([]) with { PersonalWords = words }).PersonalWords);
    }

    [Fact]
    public void SubjectKeyAndPublicIdReadBackWhetherHeldAsTheirBitsOrAsText()
    {
        var flow = Flow([]) with { PublicId = FlowSecrets.NewPublicId() };

        Assert.Equal((flow.SubjectKey, flow.PublicId), (RoundTrip(flow).SubjectKey, RoundTrip(flow).PublicId));
        Assert.Equal(("login:abc", "not-an-id"), (RoundTrip(flow with { SubjectKey = "login:abc", PublicId = "not-an-id" }).SubjectKey, RoundTrip(flow with { SubjectKey = "login:abc", PublicId = "not-an-id" }).PublicId));
        Assert.Equal(string.Empty, RoundTrip(flow with { PublicId = string.Empty }).PublicId);
    }

    [Fact]
    public void PollLinkOfTheDocumentedShapeIsHeldAsItsTransactionIdAndRebuiltExactly()
    {
        var href = "https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst.GldKV5VxTrifyeZmWSQguA";

        var flow = PushingFlow(href);

        Assert.Equal(href, RoundTrip(flow).Push!.PollHandle);
        // Only the transaction id was held: read under another org, the link is rebuilt there.
        Assert.Equal("https://other.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst.GldKV5VxTrifyeZmWSQguA", RoundTrip(flow, new Uri("https://other.okta.com")).Push!.PollHandle);
    }

    [Theory]
    [InlineData("https://example-admin.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst1")] // another host of the org
    [InlineData("https://example.okta.com/api/v1/users/00u1/factors/opf2/transactions/v2mst1")] // another factor id than the one pushed
    [InlineData("https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/")] // no transaction id
    [InlineData("https://example.okta.com/api/v1/push/v2mst1")] // another shape altogether
    public void PollLinkOfAnyOtherShapeIsKeptWhole(string href)
    {
        var flow = PushingFlow(href);

        Assert.Equal(href, RoundTrip(flow).Push!.PollHandle);
        Assert.Equal(href, RoundTrip(flow, new Uri("https://other.okta.com")).Push!.PollHandle);
    }

    [Fact]
    public void PollLinkIsKeptWholeWhenTheStoreKnowsNoOrg()
    {
        var href = "https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst1";

        Assert.Equal(href, CompactFlow.Of(PushingFlow(href), 0, new MenuPacking(), null).ToState(null).Push!.PollHandle);
    }

    [Fact]
    public void DecoyPushReadsBackWithoutALink() => Assert.Null(RoundTrip(PushingFlow(null)).Push!.PollHandle);

    [Fact]
    [Trait("Category", "Fuzz")]
    public void EveryTimeReadsBackAsTheSameInstantInUtcAndNoneAsNone()
    {
        // Any instant a DateTimeOffset can hold, under any offset it allows (whole minutes up to 14 hours).
        var times = Gen.Select(Gen.Long[DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay], Gen.Int[-14 * 60, 14 * 60],
            (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(minutes)));
        var maybe = Gen.Frequency<DateTimeOffset?>((1, Gen.Const((DateTimeOffset?)null)), (4, times.Select(t => (DateTimeOffset?)t)));
        Gen.Select(times.Array[4], maybe.Array[5], times.Array[2], maybe.Array[2]).Sample(
            (required, optional, pushRequired, pushOptional) =>
            {
                var flow = RoundTrip(Flow([]) with
                {
                    CreatedAt = required[0], ExpiresAt = required[1], LastActivityAt = required[2],
                    OktaPasswordChanged = optional[0], CodeSentAt = optional[1], PhoneBusyUntil = optional[2], PushHeldUntil = optional[3], TokenExpiresAt = optional[4],
                    Push = Pending() with { SentAt = pushRequired[0], ExpiresAt = pushRequired[1], LastPolledAt = pushOptional[0], BackoffUntil = pushOptional[1] },
                });

                AssertSameInstants([required[0], required[1], required[2]], [flow.CreatedAt, flow.ExpiresAt, flow.LastActivityAt]);
                AssertSameInstants(optional, [flow.OktaPasswordChanged, flow.CodeSentAt, flow.PhoneBusyUntil, flow.PushHeldUntil, flow.TokenExpiresAt]);
                AssertSameInstants([pushRequired[0], pushRequired[1]], [flow.Push!.SentAt, flow.Push.ExpiresAt]);
                AssertSameInstants(pushOptional, [flow.Push.LastPolledAt, flow.Push.BackoffUntil]);
            },
            seed: FuzzRuns.Seed,
            iter: FuzzRuns.Iterations(2_000),
            threads: 1);
    }

    [Fact]
    public void TheEarliestAndLatestInstantsReadBack()
    {
        var flow = RoundTrip(Flow([]) with { CreatedAt = DateTimeOffset.MinValue, ExpiresAt = DateTimeOffset.MaxValue, CodeSentAt = DateTimeOffset.MinValue, TokenExpiresAt = DateTimeOffset.MaxValue });

        Assert.Equal((DateTimeOffset.MinValue, DateTimeOffset.MaxValue), (flow.CreatedAt, flow.ExpiresAt));
        Assert.Equal((DateTimeOffset.MinValue, DateTimeOffset.MaxValue), (flow.CodeSentAt, flow.TokenExpiresAt));
        Assert.Null(flow.PhoneBusyUntil);
    }

    private static void AssertSameInstants(IReadOnlyList<DateTimeOffset?> given, IReadOnlyList<DateTimeOffset?> read)
    {
        Assert.Equal(given.Select(t => t?.UtcTicks), read.Select(t => t?.UtcTicks));
        Assert.All(read, t => Assert.True(t is null || t.Value.Offset == TimeSpan.Zero));
    }

    // A flow of user 00u1 waiting on a push to factor opf1 with the poll link href.
    private static FlowState PushingFlow(string? href)
    {
        var flow = Flow([new("push", FactorKind.OktaVerifyPush, "Push", "opf1")]);
        return flow with { Chosen = flow.Factors[0], Push = Pending() with { PollHandle = href } };
    }

    private static PushState Pending() => new() { SentAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(5), Status = PushStatus.Pending };
}
