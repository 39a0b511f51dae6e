using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MfaReset.Web.Http;

/// <summary>
/// Requests per client per one-minute window, counted in this process in fixed memory (no allocation per
/// client): a count-min sketch of <see cref="Rows"/> rows of <see cref="Width"/> slots. Each slot is one
/// 64-bit word, the window it counts in the high half and the count in the low half, so a slot left from
/// an earlier window restarts at its next use and never needs a sweep. A client lands in one slot per row
/// by HMAC-SHA256 of its address under a key drawn when the process starts, so nobody outside can aim a
/// collision. Its count is the smallest of its slots: other clients sharing a slot can only add to it,
/// never take away, so a client is never counted below what it sent.
/// </summary>
public sealed class ClientWindowCounter
{
    /// <summary>Independent rows; a client is over-counted only if it shares a slot in every one.</summary>
    public const int Rows = 3;

    /// <summary>Slots per row: 3 × 2^17 × 8 bytes = 3 MiB for the whole process, whatever the number of clients.</summary>
    public const int Width = 1 << 17;

    private readonly long[] _slots = new long[Rows * Width];
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>Counts one request from <paramref name="client"/> in <paramref name="window"/>; returns its count there, this one included.</summary>
    public long Increment(string client, uint window)
    {
        ArgumentNullException.ThrowIfNull(client);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, MemoryMarshal.AsBytes(client.AsSpan()), digest);
        var estimate = long.MaxValue;
        for (var row = 0; row < Rows; row++)
        {
            // Disjoint 4-byte pieces of one keyed hash: independent indices, one per row.
            var index = (int)(BinaryPrimitives.ReadUInt32LittleEndian(digest[(row * 4)..]) & (Width - 1));
            estimate = Math.Min(estimate, IncrementSlot(ref _slots[(row * Width) + index], window));
        }

        return estimate;
    }

    private static long IncrementSlot(ref long slot, uint window)
    {
        while (true)
        {
            var seen = Volatile.Read(ref slot);
            var seenWindow = (uint)(seen >> 32);
            // A slot already in a later window (a request that read the clock just after this one) keeps it:
            // this request is counted there, an overestimate, rather than wiping the later window's count.
            var counted = seenWindow >= window ? seenWindow : window;
            var count = seenWindow == counted ? (uint)seen : 0u;
            if (count == uint.MaxValue)
            {
                return count;
            }

            var next = ((long)counted << 32) | (count + 1L);
            if (Interlocked.CompareExchange(ref slot, next, seen) == seen)
            {
                return count + 1L;
            }
        }
    }
}
