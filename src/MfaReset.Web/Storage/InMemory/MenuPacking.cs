using System.Buffers.Binary;
using System.Text;

using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage.InMemory;

/// <summary>
/// A flow's factor menu as the in-memory store keeps it (<see cref="CompactFlow"/>): the choices without their
/// Okta factor ids, one array shared by every flow offered the same choices (all flows are in the generic
/// mode), and the ids packed as UTF-8 in one byte array. A flow waiting on a push so holds a few dozen bytes
/// of menu instead of a list of records. One per store.
/// </summary>
internal sealed class MenuPacking
{
    // Enough for the generic mode's menus (one per set of enabled kinds a policy leaves); the enrolled
    // mode's masked labels differ per person, so beyond this a menu keeps choices of its own.
    private const int MostShared = 16;

    private const int NoId = 0;

    private readonly Lock _gate = new();
    private FlowFactor[][] _shared = [];

    /// <summary>The choices of <paramref name="factors"/> without ids: an array already shared when one holds the same choices.</summary>
    public FlowFactor[] ChoicesOf(IReadOnlyList<FlowFactor> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.Count == 0)
        {
            return [];
        }

        var shared = Volatile.Read(ref _shared);
        if (Array.Find(shared, choices => AreChoicesOf(choices, factors)) is { } found)
        {
            return found;
        }

        FlowFactor[] own = [.. factors.Select(f => f with { OktaFactorId = null })];
        lock (_gate)
        {
            if (_shared.Length < MostShared && Array.Find(_shared, choices => AreChoicesOf(choices, factors)) is null)
            {
                Volatile.Write(ref _shared, [.. _shared, own]);
            }
        }

        return own;
    }

    /// <summary>
    /// The ids of <paramref name="factors"/>, packed: per choice a 16-bit length + 1 (0: no id, a decoy), then
    /// that many UTF-8 bytes less one. Null when no choice has an id.
    /// </summary>
    public static byte[]? PackIds(IReadOnlyList<FlowFactor> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.All(f => f.OktaFactorId is null))
        {
            return null;
        }

        var lengths = factors.Select(f => f.OktaFactorId is { } id ? Encoding.UTF8.GetByteCount(id) : -1).ToArray();
        if (lengths.Any(length => length >= ushort.MaxValue))
        {
            throw new ArgumentException("An Okta factor id is far longer than any Okta issues.", nameof(factors));
        }

        var packed = new byte[lengths.Sum(length => sizeof(ushort) + Math.Max(length, 0))];
        var offset = 0;
        for (var i = 0; i < factors.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(packed.AsSpan(offset), (ushort)(lengths[i] + 1));
            offset += sizeof(ushort);
            if (factors[i].OktaFactorId is { } id)
            {
                offset += Encoding.UTF8.GetBytes(id, packed.AsSpan(offset));
            }
        }

        return packed;
    }

    /// <summary>The menu of <paramref name="choices"/> with the ids <see cref="PackIds"/> packed.</summary>
    public static FlowFactor[] Unpack(FlowFactor[] choices, byte[]? packedIds)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (packedIds is null)
        {
            return choices.Length == 0 ? [] : [.. choices];
        }

        var menu = new FlowFactor[choices.Length];
        var offset = 0;
        for (var i = 0; i < choices.Length; i++)
        {
            var stored = BinaryPrimitives.ReadUInt16LittleEndian(packedIds.AsSpan(offset));
            offset += sizeof(ushort);
            menu[i] = stored == NoId ? choices[i] : choices[i] with { OktaFactorId = Encoding.UTF8.GetString(packedIds, offset, stored - 1) };
            offset += Math.Max(stored - 1, 0);
        }

        return menu;
    }

    private static bool AreChoicesOf(FlowFactor[] choices, IReadOnlyList<FlowFactor> factors)
    {
        if (choices.Length != factors.Count)
        {
            return false;
        }

        for (var i = 0; i < choices.Length; i++)
        {
            var (choice, factor) = (choices[i], factors[i]);
            if (!string.Equals(choice.ChoiceKey, factor.ChoiceKey, StringComparison.Ordinal) || choice.Kind != factor.Kind
                || !string.Equals(choice.Label, factor.Label, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
