using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;

namespace MfaReset.Web.HelpDesk;

/// <summary>
/// Read-only questions the help desk asks the flow store, kept apart from <see cref="IFlowStore"/> (whose every
/// member is on a reset's path): a person's recent flows, one flow by its public id, the times of a counter's
/// events. Each is one statement (PostgreSQL) or one pass (in memory); none is on a reset's path.
/// </summary>
public interface IFlowHistory
{
    /// <summary>The flows of <paramref name="subjectKey"/> still retained, newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<FlowState>> FlowsOfAsync(string subjectKey, int max, CancellationToken cancellationToken);

    /// <summary>The retained flow whose <see cref="FlowState.PublicId"/> is <paramref name="publicId"/>, or null.</summary>
    Task<FlowState?> FlowByPublicIdAsync(string publicId, CancellationToken cancellationToken);

    /// <summary>When the events still kept under <paramref name="counterKey"/> happened, oldest first.</summary>
    Task<IReadOnlyList<DateTimeOffset>> EventTimesAsync(string counterKey, CancellationToken cancellationToken);
}
