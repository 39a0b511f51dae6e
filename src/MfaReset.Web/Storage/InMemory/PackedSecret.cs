using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Storage.InMemory;

/// <summary>
/// A flow key or lease holder as a flow or lease holds it. The portal's are all 256 bits: a flow key is a
/// SHA-256 in 64 lowercase hex digits (<see cref="FlowSecrets.KeyOf"/>), a random holder 43 base64url
/// characters (<see cref="FlowSecrets.NewSecret"/>); either is kept as its 32 bytes instead of a string of
/// 150 or 110 bytes, and its text rebuilt exactly when read. Text of any other shape is kept as it is.
/// </summary>
internal readonly struct PackedSecret : IEquatable<PackedSecret>
{
    private const int Bytes = 32;
    private const int HexLength = Bytes * 2;
    private static readonly int Base64UrlLength = Base64Url.GetEncodedLength(Bytes);

    private readonly ulong _bits0, _bits1, _bits2, _bits3;
    private readonly Form _form;
    private readonly string? _text;

    private PackedSecret(ReadOnlySpan<byte> bits, Form form)
    {
        _bits0 = BinaryPrimitives.ReadUInt64BigEndian(bits);
        _bits1 = BinaryPrimitives.ReadUInt64BigEndian(bits[8..]);
        _bits2 = BinaryPrimitives.ReadUInt64BigEndian(bits[16..]);
        _bits3 = BinaryPrimitives.ReadUInt64BigEndian(bits[24..]);
        _form = form;
        _text = null;
    }

    private PackedSecret(string text)
    {
        _form = Form.Text;
        _text = text;
    }

    private enum Form : byte
    {
        None,
        Hex,
        Base64Url,
        Text,
    }

    /// <summary>The text as it was given, or null for <c>default</c> (nothing held).</summary>
    public string? Text => _form switch
    {
        Form.None => null,
        Form.Text => _text,
        Form.Hex => string.Create(HexLength, this, static (chars, packed) => Convert.TryToHexStringLower(packed.Bits(stackalloc byte[Bytes]), chars, out _)),
        _ => string.Create(Base64UrlLength, this, static (chars, packed) => Base64Url.EncodeToChars(packed.Bits(stackalloc byte[Bytes]), chars)),
    };

    /// <summary>
    /// <paramref name="text"/> packed when it reads back exactly from its 256 bits (lowercase hex, or
    /// base64url whose unused last bits are zero), otherwise kept whole; null gives <c>default</c>.
    /// </summary>
    public static PackedSecret Of(string? text)
    {
        if (text is null)
        {
            return default;
        }

        Span<byte> bits = stackalloc byte[Bytes];
        if (text.Length == HexLength && text.All(char.IsAsciiHexDigitLower)
            && Convert.FromHexString(text, bits, out _, out var written) == System.Buffers.OperationStatus.Done && written == Bytes)
        {
            return new PackedSecret(bits, Form.Hex);
        }

        if (text.Length == Base64UrlLength
            && Base64Url.DecodeFromChars(text, bits, out _, out written) == System.Buffers.OperationStatus.Done && written == Bytes
            && Base64Url.EncodeToString(bits).AsSpan().SequenceEqual(text))
        {
            return new PackedSecret(bits, Form.Base64Url);
        }

        return new PackedSecret(text);
    }

    /// <summary>Writes the value as held: its form, then its 32 bytes or its text.</summary>
    public void WriteTo(CompactWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte((byte)_form);
        if (_form is Form.Hex or Form.Base64Url)
        {
            writer.WriteBytes(Bits(stackalloc byte[Bytes]));
        }
        else if (_form == Form.Text)
        {
            writer.WriteString(_text);
        }
    }

    /// <summary>Reads a value written by <see cref="WriteTo"/>.</summary>
    public static PackedSecret ReadFrom(ref CompactReader reader)
    {
        var form = (Form)reader.ReadByte();
        return form switch
        {
            Form.None => default,
            Form.Hex or Form.Base64Url => new PackedSecret(reader.ReadBytes(Bytes), form),
            Form.Text => new PackedSecret(reader.ReadString()!),
            _ => throw new InvalidDataException("Not a packed secret."),
        };
    }

    /// <summary>Passes over a value written by <see cref="WriteTo"/> without building it.</summary>
    public static void Skip(ref CompactReader reader)
    {
        var form = (Form)reader.ReadByte();
        if (form is Form.Hex or Form.Base64Url)
        {
            reader.ReadBytes(Bytes);
        }
        else if (form == Form.Text)
        {
            reader.SkipString();
        }
    }

    public bool Equals(PackedSecret other) =>
        _form == other._form && _bits0 == other._bits0 && _bits1 == other._bits1 && _bits2 == other._bits2 && _bits3 == other._bits3
        && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is PackedSecret other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_form, _bits0, _bits1, _bits2, _bits3, _text is null ? 0 : StringComparer.Ordinal.GetHashCode(_text));

    /// <summary>Never the secret itself.</summary>
    public override string ToString() => _form.ToString().ToLower(CultureInfo.InvariantCulture);

    private ReadOnlySpan<byte> Bits(Span<byte> into)
    {
        BinaryPrimitives.WriteUInt64BigEndian(into, _bits0);
        BinaryPrimitives.WriteUInt64BigEndian(into[8..], _bits1);
        BinaryPrimitives.WriteUInt64BigEndian(into[16..], _bits2);
        BinaryPrimitives.WriteUInt64BigEndian(into[24..], _bits3);
        return into;
    }
}
