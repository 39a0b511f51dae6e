namespace MfaReset.LoadTest.Reporting;

/// <summary>Everything one invocation of the driver measured, as printed and as written to JSON.</summary>
internal sealed record BenchmarkReport(
    DateTimeOffset StartedAt,
    string Mode,
    string Target,
    MachineInfo Machine,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<string> Failures)
{
    /// <summary>True when every reset completed and no response was a 5xx; figures missing targets do not fail it.</summary>
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>The machine the figures come from, so a table is never read without its context.</summary>
internal sealed record MachineInfo(int Cores, string Os, string Runtime, bool ServerGc)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        System.Runtime.GCSettings.IsServerGC);
}

/// <summary>One numbered figure of the issue: its rows, latency per page, and notes on anything it could not reach.</summary>
internal sealed record Figure(
    string Id, string Title, IReadOnlyList<FigureRow> Rows, IReadOnlyList<PageLatencyRow> Pages, IReadOnlyList<string> Notes);

/// <summary>Latency of one page at one concurrency: medians over the runs of each run's percentiles, in ms.</summary>
internal sealed record PageLatencyRow(int Users, string Page, double P50, double P95, double P99, int Runs);

/// <summary>
/// One measured value: the median over <see cref="Runs"/> runs, the runs themselves, and the target
/// it is held to (if any).
/// </summary>
internal sealed record FigureRow(string Label, string Unit, double Median, IReadOnlyList<double> Runs, Target? Target)
{
    /// <summary>Null when the row has no target.</summary>
    public bool? Met => Target?.IsMetBy(Median);
}

/// <summary>A figure's target: a bound on the median value.</summary>
internal sealed record Target(TargetKind Kind, double Bound)
{
    public static Target AtMost(double bound) => new(TargetKind.AtMost, bound);

    public static Target Below(double bound) => new(TargetKind.Below, bound);

    public static Target AtLeast(double bound) => new(TargetKind.AtLeast, bound);

    public bool IsMetBy(double value) => Kind switch
    {
        TargetKind.AtMost => value <= Bound,
        TargetKind.Below => value < Bound,
        TargetKind.AtLeast => value >= Bound,
        _ => throw new ArgumentOutOfRangeException(nameof(value), Kind, "Unknown target kind."),
    };

    public override string ToString() => Kind switch
    {
        TargetKind.AtMost => $"≤ {Bound:0.###}",
        TargetKind.Below => $"< {Bound:0.###}",
        _ => $"≥ {Bound:0.###}",
    };
}

internal enum TargetKind
{
    AtMost,
    Below,
    AtLeast,
}
