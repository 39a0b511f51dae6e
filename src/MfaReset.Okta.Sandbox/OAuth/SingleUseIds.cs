using System.Collections.Concurrent;

namespace MfaReset.Okta.Sandbox.OAuth;

/// <summary>The <c>jti</c>s a validator has accepted, each kept until its JWT could no longer be accepted anyway.</summary>
internal sealed class SingleUseIds(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="id"/> until <paramref name="keepUntil"/>; false when it was seen before.</summary>
    public bool FirstUse(string id, DateTimeOffset keepUntil)
    {
        var now = clock.GetUtcNow();
        foreach (var (old, until) in _seen)
        {
            if (until < now)
            {
                _seen.TryRemove(old, out _);
            }
        }

        return _seen.TryAdd(id, keepUntil);
    }
}
