using MfaReset.Web.HelpDesk;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage.InMemory;

// The help desk's read-only questions: one pass over this instance's flows each (a console request, never a reset's).
public sealed partial class InMemoryFlowStore : IFlowHistory
{
    public Task<IReadOnlyList<FlowState>> FlowsOfAsync(string subjectKey, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subjectKey);
        IReadOnlyList<FlowState> found = [.. Retained()
            .Select(entry => entry.ToState(oktaOrgUrl))
            .Where(state => string.Equals(state.SubjectKey, subjectKey, StringComparison.Ordinal))
            .OrderByDescending(state => state.CreatedAt)
            .Take(max)];
        return Task.FromResult(found);
    }

    public Task<FlowState?> FlowByPublicIdAsync(string publicId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicId);
        return Task.FromResult(Retained().Select(entry => entry.ToState(oktaOrgUrl)).FirstOrDefault(state => string.Equals(state.PublicId, publicId, StringComparison.Ordinal)));
    }

    public Task<IReadOnlyList<DateTimeOffset>> EventTimesAsync(string counterKey, CancellationToken cancellationToken)
    {
        IReadOnlyList<DateTimeOffset> times = _counters.TryGetValue(StoreKey.Of(counterKey), out var counter) && !IsExpired(counter.KeepUntil)
            ? [.. counter.Events().Select(ticks => new DateTimeOffset(ticks, TimeSpan.Zero))]
            : [];
        return Task.FromResult(times);
    }

    private IEnumerable<CompactFlow> Retained() => _flows.Values.Where(entry => !IsExpired(entry.RetainUntil));
}
