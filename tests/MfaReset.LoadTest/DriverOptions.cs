using System.Globalization;

namespace MfaReset.LoadTest;

/// <summary>How big a run is: <c>smoke</c> keeps the driver working in CI; <c>full</c> is the manual benchmark.</summary>
internal enum DriverMode
{
    Smoke,
    Full,
}

/// <summary>The driver's command line.</summary>
internal sealed record DriverOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/MfaReset.LoadTest -- [options]
          --mode smoke|full     smoke: a few users for a few seconds (CI); full: the benchmark (default: smoke)
          --figures 1,2,...     only these figures (default: all, 1 to 9)
          --runs N              repeat each figure N times and print medians (default: smoke 1, full 3)
          --out DIR             where the JSON and Markdown results go (default: tests/MfaReset.LoadTest/results)
          --portal-url URL      drive a running portal instead of starting one in this process
          --sandbox-url URL     its Okta sandbox, whose /simulator/api/ reads codes and answers pushes
          --portal-dll PATH     the built portal for figures 4 and 5, run as its own process (default: src/MfaReset.Web/bin/<config>/net10.0)
          --chromium-origin     send Origin: null with form POSTs under the no-referrer policy, exactly as Chromium does
          --push-flows N,...    figure 4: how many flows wait on a push at once, one step per value (default: smoke 20, full 1000,10000)
          --long-push-waits     figure 4: pushes and flows kept pending an hour (the portal's Benchmark:LongPushWaits and the
                                sandbox's Sandbox:PushLifetime), so every flow of a large step can start before the first expires
          --portal-env NAME=VALUE  an environment variable of the portal's own process (figures 4 and 9), e.g.
                                DOTNET_GCConserveMemory=5; repeat for more
          --postgres CONNECTION figures 7 and 8: the PostgreSQL server the store runs on, a throwaway schema per stage
                                (default: the MFARESET_TEST_POSTGRES environment variable; neither: 7 and 8 are not measured)
        """;

    public DriverMode Mode { get; init; } = DriverMode.Smoke;

    public IReadOnlySet<int> Figures { get; init; } = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

    public int? Runs { get; init; }

    public string? OutputFolder { get; init; }

    public Uri? PortalUrl { get; init; }

    public Uri? SandboxUrl { get; init; }

    public string? PortalDll { get; init; }

    public bool ChromiumOrigin { get; init; }

    /// <summary>Figure 4's flow counts instead of the mode's; null keeps the mode's.</summary>
    public IReadOnlyList<int>? PushWaitFlows { get; init; }

    /// <summary>Figure 4 with <c>Benchmark:LongPushWaits</c>: pushes and flows pending for <see cref="LongPushWaitLifetime"/>.</summary>
    public bool LongPushWaits { get; init; }

    /// <summary>How long a push and a flow may stay pending with <see cref="LongPushWaits"/>: the portal's benchmark cap.</summary>
    public static TimeSpan LongPushWaitLifetime => MfaReset.Web.Options.ResetOptions.BenchmarkLifetimeCap;

    /// <summary>Environment variables for the portal's own process (its GC settings, for instance), not the driver's.</summary>
    public IReadOnlyDictionary<string, string> PortalEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Figures 7 and 8: an Npgsql connection string to a server where the driver may create and drop schemas,
    /// or null (then those figures say they were not measured).
    /// </summary>
    public string? PostgresConnection { get; init; } = NullIfEmpty(Environment.GetEnvironmentVariable("MFARESET_TEST_POSTGRES"));

    /// <summary>True when driving a portal someone else started.</summary>
    public bool IsExternal => PortalUrl is not null;

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message says which.</exception>
    public static DriverOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DriverOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--chromium-origin" => options with { ChromiumOrigin = true },
                "--mode" => options with { Mode = ParseMode(Value()) },
                "--figures" => options with { Figures = ParseFigures(Value()) },
                "--runs" => options with { Runs = ParsePositive(name, Value()) },
                "--out" => options with { OutputFolder = Value() },
                "--portal-url" => options with { PortalUrl = ParseUrl(name, Value()) },
                "--sandbox-url" => options with { SandboxUrl = ParseUrl(name, Value()) },
                "--portal-dll" => options with { PortalDll = Value() },
                "--push-flows" => options with { PushWaitFlows = ParseCounts(name, Value()) },
                "--long-push-waits" => options with { LongPushWaits = true },
                "--portal-env" => options with { PortalEnvironment = WithVariable(options.PortalEnvironment, Value()) },
                "--postgres" => options with { PostgresConnection = NullIfEmpty(Value()) ?? throw new ArgumentException("--postgres needs a connection string.") },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        if ((options.PortalUrl is null) != (options.SandboxUrl is null))
        {
            throw new ArgumentException("--portal-url and --sandbox-url go together: codes and pushes are read from the portal's sandbox.");
        }

        return options;
    }

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> variables, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--portal-env takes NAME=VALUE, not '{assignment}'.");
        }

        return new Dictionary<string, string>(variables, StringComparer.Ordinal) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    private static DriverMode ParseMode(string value) => value.ToLowerInvariant() switch
    {
        "smoke" => DriverMode.Smoke,
        "full" => DriverMode.Full,
        _ => throw new ArgumentException($"--mode is smoke or full, not '{value}'."),
    };

    private static HashSet<int> ParseFigures(string value)
    {
        var figures = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => int.TryParse(f, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 9
                ? n
                : throw new ArgumentException($"--figures takes numbers from 1 to 9, not '{f}'."))
            .ToHashSet();
        return figures.Count > 0 ? figures : throw new ArgumentException("--figures needs at least one figure.");
    }

    private static int[] ParseCounts(string name, string value)
    {
        var counts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(count => ParsePositive(name, count))
            .ToArray();
        return counts.Length > 0 ? counts : throw new ArgumentException($"{name} needs at least one number.");
    }

    private static int ParsePositive(string name, string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} takes a positive number, not '{value}'.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static Uri ParseUrl(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ArgumentException($"{name} takes an http(s) URL, not '{value}'.");
}
