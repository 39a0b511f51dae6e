using System.Diagnostics.Metrics;

namespace MfaReset.Web.Notifications;

/// <summary>
/// The notices' instruments on the <c>MfaReset</c> meter. Tags are fixed words (kinds, failure reasons), never an
/// address or a user id. <c>mfareset.notices.outbox</c> is the pending count the growing-outbox alert watches.
/// </summary>
public sealed class NoticeMetrics
{
    public const string Outbox = "mfareset.notices.outbox";

    private readonly Counter<long> _queued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _attemptFailures;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _reports;
    private OutboxCounts _counts;

    public NoticeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(OktaMetrics.MeterName);
        _queued = meter.CreateCounter<long>("mfareset.notices.queued", unit: "{notice}", description: "Notices put in the outbox, by kind (password_reset, account_unlocked).");
        _sent = meter.CreateCounter<long>("mfareset.notices.sent", unit: "{notice}", description: "Notices the mail server accepted.");
        _attemptFailures = meter.CreateCounter<long>("mfareset.notices.attempt_failures", unit: "{attempt}", description: "Failed attempts to send a notice, by reason; each is retried with backoff.");
        _failed = meter.CreateCounter<long>("mfareset.notices.failed", unit: "{notice}", description: "Notices marked failed after their last attempt (kept in the outbox).");
        _reports = meter.CreateCounter<long>("mfareset.notices.wasnt_me", unit: "{report}", description: "'This wasn't me' reports, by whether Okta ended the sessions.");
        meter.CreateObservableGauge(Outbox, () => new[]
        {
            new Measurement<long>(_counts.Pending, new KeyValuePair<string, object?>("status", "pending")),
            new Measurement<long>(_counts.Failed, new KeyValuePair<string, object?>("status", "failed")),
        }, unit: "{notice}", description: "Notices in the outbox now: pending (waiting or retrying) and failed. A growing pending count means mail is not going out.");
    }

    public void Queued(NoticeKind kind) => _queued.Add(1, new KeyValuePair<string, object?>("kind", MetricTagValue.Of(kind)));

    public void Sent() => _sent.Add(1);

    public void AttemptFailed(string reason) => _attemptFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void GaveUp(string reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Reported(bool sessionsEnded) => _reports.Add(1, new KeyValuePair<string, object?>("sessions_ended", sessionsEnded ? "true" : "false"));

    /// <summary>The outbox as last counted by the sender.</summary>
    public void Count(OutboxCounts counts) => _counts = counts;
}
