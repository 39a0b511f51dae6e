using System.Text.Json;
using MfaReset.LoadTest.Reporting;

namespace MfaReset.LoadTest.Tests.Reporting;

public sealed class ReportWriterTests
{
    [Fact]
    public void TableShowsMediansRunsTargetsAndMisses()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReport());

        Assert.Contains("| 1 | SMS | 5 calls | 5 · 5 · 6 | ≤ 5 | yes |", markdown);
        Assert.Contains("| 5 | first 200 | 1620 ms | 1700 · 1620 · 1500 | < 1500 | **no** |", markdown);
        Assert.Contains("- Fig. 5: limited by JIT", markdown);
        Assert.Contains("- Fig. 1: Okta calls per reset", markdown);
    }

    [Fact]
    public void FailuresAreListedUnderTheTable()
    {
        var report = SampleReport() with { Failures = ["SMS reset of load00001 ended on /Reset/Error (200)"] };

        Assert.False(report.Succeeded);
        Assert.Contains("FAILED (1):", ReportWriter.ToMarkdown(report));
    }

    [Fact]
    public async Task WritesTheReportAsJsonAndMarkdown()
    {
        var folder = Directory.CreateTempSubdirectory("loadtest-report-").FullName;
        try
        {
            var path = await ReportWriter.WriteAsync(SampleReport(), folder, TestContext.Current.CancellationToken);

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
            var row = json.RootElement.GetProperty("figures")[0].GetProperty("rows")[0];
            Assert.Equal(5, row.GetProperty("median").GetDouble());
            Assert.Equal("AtMost", row.GetProperty("target").GetProperty("kind").GetString());
            Assert.True(File.Exists(Path.Combine(folder, "latest.md")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static BenchmarkReport SampleReport()
    {
        var calls = new FigureBuilder("1", "Okta calls per reset");
        foreach (var run in new[] { 5.0, 5, 6 })
        {
            calls.Add("SMS", "calls", run, Target.AtMost(5));
        }

        var coldStart = new FigureBuilder("5", "Cold start");
        foreach (var run in new[] { 1700.0, 1620, 1500 })
        {
            coldStart.Add("first 200", "ms", run, Target.Below(1500));
        }

        coldStart.Note("limited by JIT");
        return new BenchmarkReport(
            new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero), "full", "in-process",
            new MachineInfo(2, "Linux", ".NET 10", ServerGc: true), [calls.Build(), coldStart.Build()], []);
    }
}
