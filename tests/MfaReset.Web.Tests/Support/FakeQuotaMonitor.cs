using MfaReset.Okta;

namespace MfaReset.Web.Tests.Support;

/// <summary>An Okta quota reading the test sets directly.</summary>
public sealed class FakeQuotaMonitor : IOktaQuotaMonitor
{
    public bool IsLow { get; set; }

    public DateTimeOffset? LowUntil { get; set; }

    public IReadOnlyList<OktaQuotaReading> Readings { get; set; } = [];
}
