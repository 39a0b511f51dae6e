using System.Security.Cryptography;
using CsCheck;
using MfaReset.Testing;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage.InMemory;

namespace MfaReset.Web.Tests.Storage.InMemory;

/// <summary>
/// Flow keys and lease holders held as their 256 bits read back as exactly the text given, and two packed
/// values are equal exactly when their texts are: a lease held by one flow is never another's.
/// </summary>
public sealed class PackedSecretTests
{
    private const long CiIterations = 2_000;

    public static TheoryData<string> TextsOfEveryShape() =>
    [
        FlowSecrets.KeyOf(FlowSecrets.NewSecret()), // a flow key: 64 lowercase hex digits
        FlowSecrets.NewSecret(), // a random holder: 43 base64url characters
        FlowSecrets.KeyOf(FlowSecrets.NewSecret()).ToUpperInvariant(), // hex, but not lowercase
        "gmKf6Iu0VXcvZz2Do2HmT2FdolOGkfdsgDFaV3FhqZf", // base64url whose unused last bits are not zero
        "k1",
        "",
        "0",
        new string('a', 64),
        new string('g', 64),
        new string('_', 43),
    ];

    [Theory]
    [MemberData(nameof(TextsOfEveryShape))]
    public void ReadsBackAsTheTextGiven(string text) => Assert.Equal(text, PackedSecret.Of(text).Text);

    [Fact]
    public void NothingHeldReadsBackAsNull()
    {
        Assert.Null(PackedSecret.Of(null).Text);
        Assert.Null(default(PackedSecret).Text);
        Assert.NotEqual(PackedSecret.Of(""), PackedSecret.Of(null));
    }

    [Fact]
    public void AFlowKeyAndTheSecretWithTheSameBitsAreDifferentHolders()
    {
        var bits = RandomNumberGenerator.GetBytes(32);
        var hex = Convert.ToHexStringLower(bits);
        var base64Url = System.Buffers.Text.Base64Url.EncodeToString(bits);

        Assert.NotEqual(PackedSecret.Of(hex), PackedSecret.Of(base64Url));
        Assert.Equal(PackedSecret.Of(hex), PackedSecret.Of(new string(hex.ToCharArray())));
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void EqualExactlyWhenTheTextsAreEqualAndAlwaysReadBack()
    {
        var texts = Gen.Frequency<string>(
            (3, Gen.Byte.Array[32].Select(Convert.ToHexStringLower)),
            (3, Gen.Byte.Array[32].Select(b => System.Buffers.Text.Base64Url.EncodeToString(b))),
            (2, Gen.Char["0123456789abcdefABCDEF"].Array[62, 66].Select(c => new string(c))),
            (2, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/"].Array[41, 45].Select(c => new string(c))),
            (1, Gen.String[0, 80]));
        // Pairs that share a lot: the same text, one character changed, or two unrelated texts.
        var pairs = Gen.Select(texts, Gen.Int[0, 2], Gen.Char["0af_-Z"], Gen.Int[0, 90], (text, kind, c, at) => kind switch
        {
            0 => (text, new string(text.ToCharArray())),
            1 when text.Length > 0 => (text, text.Remove(at % text.Length, 1).Insert(at % text.Length, c.ToString())),
            _ => (text, FlowSecrets.NewSecret()),
        });

        pairs.Sample(
            pair =>
            {
                var (a, b) = pair;
                var (packedA, packedB) = (PackedSecret.Of(a), PackedSecret.Of(b));
                Assert.Equal(a, packedA.Text);
                Assert.Equal(b, packedB.Text);
                Assert.Equal(string.Equals(a, b, StringComparison.Ordinal), packedA.Equals(packedB));
                Assert.True(!packedA.Equals(packedB) || packedA.GetHashCode() == packedB.GetHashCode());
            },
            seed: FuzzRuns.Seed,
            iter: FuzzRuns.Iterations(CiIterations),
            threads: 1);
    }

    [Fact]
    public void FlowKeyIsHeldPackedAndReadsBackExactly()
    {
        var key = FlowSecrets.KeyOf(FlowSecrets.NewSecret());
        var compact = CompactFlow.Of(CompactFlowStateTests.Flow([]) with { Key = key }, 0, new MenuPacking(), null);

        Assert.Equal(PackedSecret.Of(key), compact.Key);
        Assert.NotEqual(PackedSecret.Of(key.ToUpperInvariant()), compact.Key);
        Assert.Equal(key, compact.ToState(null).Key);
        Assert.Equal("k2", CompactFlowStateTests.RoundTrip(CompactFlowStateTests.Flow([]) with { Key = "k2" }).Key);
    }
}
