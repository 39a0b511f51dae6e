using System.Globalization;

namespace MfaReset.LoadTest.Measurement;

/// <summary>A counter read from a Prometheus scrape (text exposition format), summed per value of one label.</summary>
internal static class PrometheusScrape
{
    /// <summary>
    /// The samples of <paramref name="metric"/> (the exporter may add <c>_total</c>) in <paramref name="scrape"/>,
    /// summed per value of <paramref name="label"/>; samples without that label are left out.
    /// </summary>
    public static Dictionary<string, double> SumByLabel(string scrape, string metric, string label)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var labelStart = "," + label + "=\"";
        foreach (var line in scrape.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // name{labels} value [timestamp]; comments start with '#'.
            var braces = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            if (line.StartsWith('#') || braces < 0 || close < braces)
            {
                continue;
            }

            var name = line[..braces];
            if (name != metric && name != metric + "_total")
            {
                continue;
            }

            // Labels are comma-separated: match the whole label name, not the end of another one.
            var labels = "," + line[(braces + 1)..close];
            var at = labels.IndexOf(labelStart, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var valueStart = at + labelStart.Length;
            var value = labels[valueStart..labels.IndexOf('"', valueStart)];
            var sample = line[(close + 1)..].Trim().Split(' ')[0];
            sums[value] = sums.GetValueOrDefault(value) + double.Parse(sample, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return sums;
    }
}
