using MfaReset.Web.Flow;

namespace MfaReset.Web.Tests.Flow;

/// <summary>The shared store behavior against <see cref="InMemoryFlowStore"/>.</summary>
public sealed class InMemoryFlowStoreBehaviorTests : FlowStoreBehaviorTests
{
    protected override Task<IFlowStore> CreateStoreAsync() => Task.FromResult<IFlowStore>(new InMemoryFlowStore(Clock));
}
