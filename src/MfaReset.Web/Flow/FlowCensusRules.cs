namespace MfaReset.Web.Flow;

/// <summary>What <see cref="IFlowStore.CountAsync"/> counts; the PostgreSQL store says the same in SQL.</summary>
internal static class FlowCensusRules
{
    /// <summary>Not ended (identified, challenged or verified) and within its lifetime.</summary>
    public static bool IsUnderWay(FlowState state, DateTimeOffset now) =>
        state.Stage is FlowStage.Identified or FlowStage.Challenged or FlowStage.Verified && state.ExpiresAt > now;

    /// <summary>Challenged with a push that is still pending and has not expired.</summary>
    public static bool IsWaitingOnPush(FlowState state, DateTimeOffset now) =>
        state.Stage == FlowStage.Challenged && state.ExpiresAt > now
        && state.Push is { Status: PushStatus.Pending } push && push.ExpiresAt > now;
}
