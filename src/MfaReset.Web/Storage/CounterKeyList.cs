namespace MfaReset.Web.Storage;

/// <summary>The counters one store call records or forgets together.</summary>
internal static class CounterKeyList
{
    /// <summary>
    /// Throws unless <paramref name="counterKeys"/> names at least one counter, each once: an event is recorded or
    /// forgotten once per counter, and a counter named twice would be checked against its own unrecorded event.
    /// </summary>
    public static void ThrowIfInvalid(IReadOnlyList<string> counterKeys, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(counterKeys, parameterName);
        if (counterKeys.Count == 0 || counterKeys.Any(key => key is null))
        {
            throw new ArgumentException("At least one counter key, none null.", parameterName);
        }

        if (counterKeys.Distinct(StringComparer.Ordinal).Count() != counterKeys.Count)
        {
            throw new ArgumentException("Each counter may be named once.", parameterName);
        }
    }
}
