using System.Net;

namespace MfaReset.LoadTest.Browser;

/// <summary>
/// Client addresses for virtual people, as a reverse proxy reports them in <c>X-Forwarded-For</c> (the
/// portal trusts loopback proxies). Taken in turn from 198.18.0.0/15, the range reserved for benchmarks
/// (RFC 2544): nothing is ever sent there, and no two of the first 131,072 browsers share one, so no
/// per-address limit of the portal counts two people as one.
/// </summary>
internal static class ClientAddresses
{
    private const uint First = (198u << 24) | (18u << 16);
    private const uint Count = 1u << 17;
    private static long _next = -1;

    public static string Next()
    {
        var offset = (uint)(Interlocked.Increment(ref _next) % Count);
        var value = First + offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }
}
