using CsCheck;
using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Tests.Storage.InMemory;

/// <summary>
/// The compact forms a pending flow is held in (a hundred thousand of them may wait at once) read back as
/// exactly what was put in: the factor menu, the chosen factor, the personal words, the poll link and the times.
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

    [Fact]
    public void MenuReadsBackEveryChoiceWithItsOktaIdAndDecoysWithout()
    {
        FlowFactor[] factors =
        [
            new("sms", FactorKind.Sms, "Text message (SMS)", "mbl1"),
            new("push", FactorKind.OktaVerifyPush, "Okta Verify push notification", null),
            new("email", FactorKind.Email, "Email me a code", "emf\u00e91-\u4e2d"),
        ];

        var menu = FlowMenu.Of(factors);

        Assert.Equal(factors, menu);
        Assert.Equal(factors[2], menu[2]);
        Assert.Equal(factors[0], menu.Find("sms"));
        Assert.Null(menu.Find("call"));
    }

    [Fact]
    public void SharedChoicesAreUsedOnlyWhenTheyAreTheSameChoices()
    {
        FlowFactor[] shared = [new("sms", FactorKind.Sms, "Text message (SMS)", null), new("push", FactorKind.OktaVerifyPush, "Push", null)];
        FlowFactor[] same = [new("sms", FactorKind.Sms, "Text message (SMS)", "mbl1"), new("push", FactorKind.OktaVerifyPush, "Push", "opf1")];
        FlowFactor[] other = [new("sms", FactorKind.Sms, "Text message (SMS) to \u2022\u2022\u2022 1337", "mbl1"), new("push", FactorKind.OktaVerifyPush, "Push", "opf1")];

        Assert.Equal(same, FlowMenu.Of(same, shared));
        Assert.Equal(other, FlowMenu.Of(other, shared));
    }

    [Fact]
    public void ChosenIsTheMenusEntryForItsKeyAndSurvivesCopies()
    {
        var flow = Flow([new("sms", FactorKind.Sms, "Text message (SMS)", "mbl1"), new("push", FactorKind.OktaVerifyPush, "Push", "opf1")]);

        var chosen = flow with { Chosen = flow.Factors[1] };

        Assert.Equal(new FlowFactor("push", FactorKind.OktaVerifyPush, "Push", "opf1"), chosen.Chosen);
        Assert.Equal(chosen.Chosen, (chosen with { CodeAttempts = 1 }).Chosen);
        Assert.Null((chosen with { Chosen = null }).Chosen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("alice example smith")]
    public void PersonalWordsReadBackAsTheyWereGiven(string spaced)
    {
        var words = spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(words, (Flow([]) with { PersonalWords = words }).PersonalWords);
        Assert.Null(Flow([]).PersonalWords);
    }

    [Fact]
    public void PollLinkOfTheDocumentedShapeIsHeldAsItsTransactionIdAndRebuiltExactly()
    {
        var href = "https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst.GldKV5VxTrifyeZmWSQguA";

        var push = PushLink.WithLink(Pending(), PushPollHandle.Deserialize(href), Org, "00u1", "opf1");

        Assert.Equal(("v2mst.GldKV5VxTrifyeZmWSQguA", null), (push.TransactionId, push.PollHandle));
        Assert.Equal(PushPollHandle.Deserialize(href), PushLink.HandleOf(push, Org, "00u1", "opf1"));
    }

    [Theory]
    [InlineData("https://example-admin.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst1")] // another host of the org
    [InlineData("https://example.okta.com/api/v1/users/00u1/factors/opf2/transactions/v2mst1")] // another factor id than the one pushed
    [InlineData("https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/")] // no transaction id
    [InlineData("https://example.okta.com/api/v1/push/v2mst1")] // another shape altogether
    public void PollLinkOfAnyOtherShapeIsKeptWhole(string href)
    {
        var push = PushLink.WithLink(Pending(), PushPollHandle.Deserialize(href), Org, "00u1", "opf1");

        Assert.Equal((null, href), (push.TransactionId, push.PollHandle));
        Assert.Equal(PushPollHandle.Deserialize(href), PushLink.HandleOf(push, Org, "00u1", "opf1"));
    }

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
                var flow = Flow([]) with
                {
                    CreatedAt = required[0], ExpiresAt = required[1], LastActivityAt = required[2],
                    OktaPasswordChanged = optional[0], CodeSentAt = optional[1], PhoneBusyUntil = optional[2], PushHeldUntil = optional[3], TokenExpiresAt = optional[4],
                    Push = Pending() with { SentAt = pushRequired[0], ExpiresAt = pushRequired[1], LastPolledAt = pushOptional[0], BackoffUntil = pushOptional[1] },
                };

                AssertSameInstants([required[0], required[1], required[2]], [flow.CreatedAt, flow.ExpiresAt, flow.LastActivityAt]);
                AssertSameInstants(optional, [flow.OktaPasswordChanged, flow.CodeSentAt, flow.PhoneBusyUntil, flow.PushHeldUntil, flow.TokenExpiresAt]);
                AssertSameInstants([pushRequired[0], pushRequired[1]], [flow.Push.SentAt, flow.Push.ExpiresAt]);
                AssertSameInstants(pushOptional, [flow.Push.LastPolledAt, flow.Push.BackoffUntil]);
            },
            seed: FuzzRuns.Seed,
            iter: FuzzRuns.Iterations(2_000),
            threads: 1);
    }

    [Fact]
    public void TheEarliestAndLatestInstantsReadBack()
    {
        var flow = Flow([]) with { CreatedAt = DateTimeOffset.MinValue, ExpiresAt = DateTimeOffset.MaxValue, CodeSentAt = DateTimeOffset.MinValue, TokenExpiresAt = DateTimeOffset.MaxValue };

        Assert.Equal((DateTimeOffset.MinValue, DateTimeOffset.MaxValue), (flow.CreatedAt, flow.ExpiresAt));
        Assert.Equal((DateTimeOffset.MinValue, DateTimeOffset.MaxValue), (flow.CodeSentAt, flow.TokenExpiresAt));
        Assert.Null(flow.PhoneBusyUntil);
    }

    private static void AssertSameInstants(IReadOnlyList<DateTimeOffset?> given, IReadOnlyList<DateTimeOffset?> read)
    {
        Assert.Equal(given.Select(t => t?.UtcTicks), read.Select(t => t?.UtcTicks));
        Assert.All(read, t => Assert.True(t is null || t.Value.Offset == TimeSpan.Zero));
    }

    [Fact]
    public void DecoyPushHasNoLink() => Assert.Null(PushLink.HandleOf(Pending(), Org, "00u1", "opf1"));

    private static PushState Pending() => new() { SentAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(5), Status = PushStatus.Pending };
}
