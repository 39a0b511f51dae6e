using MfaReset.LoadTest.Measurement;

namespace MfaReset.LoadTest.Reporting;

/// <summary>
/// Collects the value of each row over repeated runs and turns them into a <see cref="Figure"/> of
/// medians. Rows keep the order in which they were first recorded.
/// </summary>
internal sealed class FigureBuilder(string id, string title)
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (string Unit, Target? Target, List<double> Runs)> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];
    private readonly Dictionary<(int Users, string Page), List<PageLatency>> _pages = [];

    /// <summary>Adds one run's value of the row <paramref name="label"/>.</summary>
    public void Add(string label, string unit, double value, Target? target = null)
    {
        if (!_rows.TryGetValue(label, out var row))
        {
            row = (unit, target, []);
            _rows[label] = row;
            _order.Add(label);
        }

        row.Runs.Add(value);
    }

    /// <summary>Adds one run's latency of a page at <paramref name="users"/> concurrent users.</summary>
    public void AddPage(int users, PageLatency latency)
    {
        if (!_pages.TryGetValue((users, latency.Page), out var runs))
        {
            runs = [];
            _pages[(users, latency.Page)] = runs;
        }

        runs.Add(latency);
    }

    /// <summary>Adds a note (once), e.g. why a target could not be reached on this machine.</summary>
    public void Note(string note)
    {
        if (!_notes.Contains(note))
        {
            _notes.Add(note);
        }
    }

    public Figure Build() => new(
        id,
        title,
        [.. _order.Select(label =>
        {
            var (unit, target, runs) = _rows[label];
            return new FigureRow(label, unit, Percentiles.Median(runs), runs, target);
        })],
        [.. _pages.OrderBy(p => p.Key.Page, StringComparer.Ordinal).ThenBy(p => p.Key.Users).Select(p => new PageLatencyRow(
            p.Key.Users,
            p.Key.Page,
            Percentiles.Median(p.Value.Select(l => l.P50)),
            Percentiles.Median(p.Value.Select(l => l.P95)),
            Percentiles.Median(p.Value.Select(l => l.P99)),
            p.Value.Count))],
        _notes);
}
