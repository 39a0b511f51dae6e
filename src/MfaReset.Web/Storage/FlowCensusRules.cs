using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage;

/// <summary>What <see cref="IFlowStore.CountAsync"/> counts; the PostgreSQL store says the same in SQL.</summary>
internal static class FlowCensusRules
{
    /// <summary>Not ended (identified, challenged or verified) and within its lifetime.</summary>
    public static bool IsUnderWay(FlowState state, DateTimeOffset now) => IsUnderWay(state.Stage, state.ExpiresAt, now);

    /// <summary>Challenged with a push that is still pending and has not expired.</summary>
    public static bool IsWaitingOnPush(FlowState state, DateTimeOffset now) =>
        IsWaitingOnPush(state.Stage, state.ExpiresAt, state.Push?.Status, state.Push?.ExpiresAt ?? DateTimeOffset.MinValue, now);

    /// <summary><see cref="IsUnderWay(FlowState, DateTimeOffset)"/> from the fields it reads.</summary>
    public static bool IsUnderWay(FlowStage stage, DateTimeOffset expiresAt, DateTimeOffset now) =>
        stage is FlowStage.Identified or FlowStage.Challenged or FlowStage.Verified && expiresAt > now;

    /// <summary><see cref="IsWaitingOnPush(FlowState, DateTimeOffset)"/> from the fields it reads (no push: a null status).</summary>
    public static bool IsWaitingOnPush(FlowStage stage, DateTimeOffset expiresAt, PushStatus? pushStatus, DateTimeOffset pushExpiresAt, DateTimeOffset now) =>
        stage == FlowStage.Challenged && expiresAt > now && pushStatus == PushStatus.Pending && pushExpiresAt > now;
}
