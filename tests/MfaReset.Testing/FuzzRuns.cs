using System.Globalization;

namespace MfaReset.Testing;

/// <summary>
/// How many generated inputs a property-based (fuzz) test tries. CI runs a bounded count; a longer run is
/// <c>MFARESET_FUZZ_ITERATIONS=20000 dotnet test tests/X --filter Category=Fuzz</c>. A failing run prints
/// CsCheck's seed; <c>MFARESET_FUZZ_SEED=&lt;seed&gt;</c> replays exactly that input first.
/// </summary>
public static class FuzzRuns
{
    public static long Iterations(long ciDefault) =>
        long.TryParse(Environment.GetEnvironmentVariable("MFARESET_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : ciDefault;

    /// <summary>The seed to replay, or null for a fresh random one.</summary>
    public static string? Seed => Environment.GetEnvironmentVariable("MFARESET_FUZZ_SEED") is { Length: > 0 } seed ? seed : null;
}
