using System.Globalization;
using MfaReset.Web.Http;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;

namespace MfaReset.Web.HelpDesk;

/// <summary>What a problem page's reference points to: the flow (if the browser had one), the problem, when.</summary>
public sealed record ProblemReference(string? FlowPublicId, string ProblemSlug, DateTimeOffset ShownAt);

/// <summary>
/// Problem pages record their reference (the request's trace id) with the flow and problem they showed, for a
/// day, so the help desk can look up what happened from the reference a caller reads out. One lease per problem
/// page, for real and unknown usernames alike, and at most <see cref="RecordsPerHolder"/> a day per flow (or, without
/// one, per client address): a page anyone can load must not let anyone fill the store. Beyond that the reference
/// is still on the request's log line (Reference) for operators.
/// </summary>
public sealed class ProblemReferences(IFlowStore store, TimeProvider time)
{
    /// <summary>How long a reference can be looked up.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(1);

    /// <summary>References kept a day per flow, or per client without a flow: a person's refreshes and retries fit.</summary>
    public const int RecordsPerHolder = 10;

    public async Task RecordAsync(string reference, string? flowPublicId, string clientKey, FlowProblem problem, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var counter = "problem-refs:" + (flowPublicId ?? "client:" + clientKey);
        if (!await store.TryRecordEventAsync(counter, [new RateRule(RecordsPerHolder, Kept)], ct).ConfigureAwait(false))
        {
            return;
        }

        var holder = string.Join('|', flowPublicId ?? "-", ProblemPages.SlugOf(problem), time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        await store.SetLeaseAsync(Key(reference), holder, Kept, ct).ConfigureAwait(false);
    }

    public async Task<ProblemReference?> FindAsync(string reference, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Length > 64)
        {
            return null;
        }

        var held = await store.GetLeaseHolderAsync(Key(reference.Trim()), ct).ConfigureAwait(false);
        return held?.Split('|') is [var flow, var slug, var at] && long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? new ProblemReference(flow == "-" ? null : flow, slug, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;
    }

    private static string Key(string reference) => "problem-ref:" + reference;
}
