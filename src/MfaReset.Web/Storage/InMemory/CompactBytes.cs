using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace MfaReset.Web.Storage.InMemory;

/// <summary>
/// Writes the compact bytes <see cref="CompactFlow"/> keeps a flow in: fixed 64-bit numbers, variable-length
/// unsigned numbers (7 bits a byte), and strings as UTF-8 (UTF-16 for a string UTF-8 cannot carry exactly,
/// one with a lone surrogate).
/// </summary>
internal sealed class CompactWriter
{
    private const int Null = 0, Utf8Text = 1, Utf16Text = 2, KindBits = 2;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void WriteByte(byte value) => _buffer.Write([value]);

    public void WriteBytes(ReadOnlySpan<byte> value) => _buffer.Write(value);

    public void WriteFixed(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(sizeof(long)), value);
        _buffer.Advance(sizeof(long));
    }

    public void WriteNumber(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        _buffer.Advance(length);
    }

    /// <summary>A signed number, small in either direction in few bytes.</summary>
    public void WriteSigned(long value) => WriteNumber(Zigzag(value));

    /// <summary>A number or none: 0 for none, otherwise one more than the number zigzagged.</summary>
    public void WriteSigned(long? value) => WriteNumber(value is { } v ? Zigzag(v) + 1 : 0);

    /// <summary>Bytes or none, with their length.</summary>
    public void WriteBlob(ReadOnlySpan<byte> value, bool isNull)
    {
        WriteNumber(isNull ? 0 : (ulong)value.Length + 1);
        WriteBytes(value);
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNumber(Null);
            return;
        }

        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            if (Utf8.FromUtf16(value, utf8, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                WriteNumber(((ulong)written << KindBits) | Utf8Text);
                WriteBytes(utf8.AsSpan(0, written));
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }

        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan());
        WriteNumber(((ulong)bytes.Length << KindBits) | Utf16Text);
        WriteBytes(bytes);
    }

    /// <summary>What was written, in an array of its exact size.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private static ulong Zigzag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>Reads what <see cref="CompactWriter"/> wrote, in the same order.</summary>
    internal static string? ReadString(ref CompactReader reader)
    {
        var header = reader.ReadNumber();
        var length = checked((int)(header >> KindBits));
        return (header & ((1 << KindBits) - 1)) switch
        {
            Null => null,
            Utf8Text => Encoding.UTF8.GetString(reader.ReadBytes(length)),
            Utf16Text => new string(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(reader.ReadBytes(length))),
            _ => throw new InvalidDataException("Not a string."),
        };
    }
}

/// <summary>Reads bytes written by <see cref="CompactWriter"/>, in the order they were written.</summary>
internal ref struct CompactReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at;

    public byte ReadByte() => _bytes[_at++];

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        var read = _bytes.Slice(_at, count);
        _at += count;
        return read;
    }

    public long ReadFixed() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(sizeof(long)));

    public ulong ReadNumber()
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    public long ReadSigned() => Unzigzag(ReadNumber());

    public long? ReadSignedOrNone() => ReadNumber() is var held && held == 0 ? null : Unzigzag(held - 1);

    public byte[]? ReadBlob() => ReadNumber() is var held && held == 0 ? null : ReadBytes(checked((int)(held - 1))).ToArray();

    public string? ReadString() => CompactWriter.ReadString(ref this);

    /// <summary>Passes over a string without building it.</summary>
    public void SkipString()
    {
        var header = ReadNumber();
        _at += checked((int)(header >> 2));
    }

    /// <summary>Passes over bytes written with their length, without copying them.</summary>
    public void SkipBlob()
    {
        var held = ReadNumber();
        _at += held == 0 ? 0 : checked((int)(held - 1));
    }

    private static long Unzigzag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
