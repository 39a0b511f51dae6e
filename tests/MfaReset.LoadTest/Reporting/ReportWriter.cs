using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MfaReset.LoadTest.Reporting;

/// <summary>Prints the report as a Markdown table (pasted as is into the README) and writes it as JSON.</summary>
internal static class ReportWriter
{
    public static string ToMarkdown(BenchmarkReport report)
    {
        var text = new StringBuilder();
        var gc = report.Machine.ServerGc ? "server" : "workstation";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Measured {report.StartedAt:yyyy-MM-dd HH:mm} UTC, mode `{report.Mode}`, target {report.Target}; {report.Machine.Cores} cores, {report.Machine.Runtime}, {gc} GC. Each value is the median of the runs listed beside it.");
        text.AppendLine();
        foreach (var figure in report.Figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Fig. {figure.Id}: {figure.Title}");
        }

        text.AppendLine();
        text.AppendLine("| Fig. | Measure | Median | Runs | Target | Met |");
        text.AppendLine("|---|---|---:|---|---|---|");
        foreach (var figure in report.Figures)
        {
            foreach (var row in figure.Rows)
            {
                var runs = string.Join(" · ", row.Runs.Select(Format));
                var met = row.Met switch { true => "yes", false => "**no**", null => string.Empty };
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {figure.Id} | {row.Label} | {Format(row.Median)} {row.Unit} | {runs} | {row.Target} | {met} |");
            }
        }

        foreach (var figure in report.Figures.Where(f => f.Pages.Count > 0))
        {
            AppendPages(text, figure);
        }

        var notes = report.Figures.SelectMany(f => f.Notes.Select(n => $"Fig. {f.Id}: {n}")).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        if (!report.Succeeded)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"FAILED ({report.Failures.Count}):");
            foreach (var failure in report.Failures.Take(20))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {failure}");
            }
        }

        return text.ToString();
    }

    /// <summary>Writes <c>loadtest-&lt;time&gt;.json</c>, and <c>latest.json</c> / <c>latest.md</c> beside it.</summary>
    public static async Task<string> WriteAsync(BenchmarkReport report, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var json = JsonSerializer.Serialize(report, ReportJsonContext.Default.BenchmarkReport);
        var path = Path.Combine(folder, $"loadtest-{report.StartedAt:yyyyMMdd-HHmmss}.json");
        await File.WriteAllTextAsync(path, json, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.json"), json, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.md"), ToMarkdown(report), ct).ConfigureAwait(false);
        return path;
    }

    // One row per page, one column per concurrency: "p50 / p95 / p99".
    private static void AppendPages(StringBuilder text, Figure figure)
    {
        var levels = figure.Pages.Select(p => p.Users).Distinct().Order().ToList();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Fig. {figure.Id}, latency per page in ms (p50 / p95 / p99, each the median of the runs):");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| Page | {string.Join(" | ", levels.Select(l => $"{l} users"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(levels.Select(_ => "---:|"))}");
        foreach (var page in figure.Pages.Select(p => p.Page).Distinct())
        {
            var cells = levels.Select(l => figure.Pages.FirstOrDefault(p => p.Page == page && p.Users == l) is { } row
                ? $"{Format(row.P50)} / {Format(row.P95)} / {Format(row.P99)}"
                : string.Empty);
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{page}` | {string.Join(" | ", cells)} |");
        }
    }

    private static string Format(double value) => value switch
    {
        >= 100 or <= -100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 or <= -10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BenchmarkReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
