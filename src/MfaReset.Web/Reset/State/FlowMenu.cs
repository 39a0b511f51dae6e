using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace MfaReset.Web.Reset.State;

/// <summary>
/// A flow's factor menu as a flow holds it: the choices without their Okta factor ids (one array shared by
/// every flow offered the same choices, as all flows are in the generic mode) and the ids packed as UTF-8
/// in one byte array. Reads as the list of <see cref="FlowFactor"/> it was built from; each read builds
/// the entry anew, so a flow waiting on a push holds a few dozen bytes of menu instead of a list of records.
/// </summary>
public sealed class FlowMenu : IReadOnlyList<FlowFactor>
{
    private const int NoId = 0;

    // Choices as shown; every OktaFactorId is null. Never changed after construction.
    private readonly FlowFactor[] _choices;

    // Per choice: a 16-bit length + 1 (0: no id, a decoy), then that many UTF-8 bytes less one. Null when no choice has an id.
    private readonly byte[]? _ids;

    private FlowMenu(FlowFactor[] choices, byte[]? ids)
    {
        _choices = choices;
        _ids = ids;
    }

    /// <summary>The empty menu.</summary>
    public static FlowMenu Empty { get; } = new([], null);

    public int Count => _choices.Length;

    public FlowFactor this[int index] => _choices[index] with { OktaFactorId = IdAt(index) };

    /// <summary>
    /// The menu of <paramref name="factors"/>. <paramref name="sharedChoices"/>, when given, are the same
    /// choices without ids, kept by the caller for every flow; otherwise the menu keeps its own.
    /// </summary>
    public static FlowMenu Of(IReadOnlyList<FlowFactor> factors, FlowFactor[]? sharedChoices = null)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors is FlowMenu menu)
        {
            return menu;
        }

        if (factors.Count == 0)
        {
            return Empty;
        }

        var choices = sharedChoices is not null && sharedChoices.Length == factors.Count
            && factors.Select((f, i) => f with { OktaFactorId = null } == sharedChoices[i]).All(same => same)
            ? sharedChoices
            : [.. factors.Select(f => f with { OktaFactorId = null })];
        return new FlowMenu(choices, Pack(factors));
    }

    /// <summary>The choices without ids, as held (shared by the flows offered the same choices).</summary>
    internal FlowFactor[] Choices => _choices;

    /// <summary>The packed ids as held, or null when no choice has one.</summary>
    internal byte[]? PackedIds => _ids;

    /// <summary>A menu from parts of another's <see cref="Choices"/> and <see cref="PackedIds"/>.</summary>
    internal static FlowMenu FromParts(FlowFactor[] choices, byte[]? packedIds) =>
        choices.Length == 0 && packedIds is null ? Empty : new FlowMenu(choices, packedIds);

    /// <summary>The choice with <paramref name="choiceKey"/>, or null.</summary>
    public FlowFactor? Find(string? choiceKey)
    {
        var index = Array.FindIndex(_choices, f => string.Equals(f.ChoiceKey, choiceKey, StringComparison.Ordinal));
        return index < 0 ? null : this[index];
    }

    public IEnumerator<FlowFactor> GetEnumerator()
    {
        for (var i = 0; i < _choices.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string? IdAt(int index)
    {
        if (_ids is null)
        {
            return null;
        }

        var offset = 0;
        for (var i = 0; ; i++)
        {
            var stored = BinaryPrimitives.ReadUInt16LittleEndian(_ids.AsSpan(offset));
            offset += sizeof(ushort);
            if (i == index)
            {
                return stored == NoId ? null : Encoding.UTF8.GetString(_ids, offset, stored - 1);
            }

            offset += Math.Max(stored - 1, 0);
        }
    }

    private static byte[]? Pack(IReadOnlyList<FlowFactor> factors)
    {
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
}
