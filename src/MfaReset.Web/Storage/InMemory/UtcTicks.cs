namespace MfaReset.Web.Storage.InMemory;

/// <summary>
/// A flow's times as it holds them: UTC ticks in 8 bytes instead of a <see cref="DateTimeOffset"/> (16) or a
/// nullable one (24). The instant reads back exactly (and <see cref="DateTimeOffset"/> equality compares
/// instants only); the offset reads back as UTC, which every time the portal keeps already is (its clock
/// and Okta's timestamps are UTC).
/// </summary>
internal static class UtcTicks
{
    /// <summary>The instant as held.</summary>
    public static long Of(DateTimeOffset time) => time.UtcTicks;

    /// <summary>An instant held by <see cref="Of(DateTimeOffset)"/>.</summary>
    public static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>The instant as held, one more than its ticks so that 0 (a field's default) is none.</summary>
    public static long Of(DateTimeOffset? time) => time is { } t ? t.UtcTicks + 1 : 0;

    /// <summary>An instant, or none, held by <see cref="Of(DateTimeOffset?)"/>.</summary>
    public static DateTimeOffset? AtOrNone(long held) => held == 0 ? null : new DateTimeOffset(held - 1, TimeSpan.Zero);
}
