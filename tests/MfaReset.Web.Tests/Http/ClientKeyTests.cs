using System.Net;
using MfaReset.Web.Http;

namespace MfaReset.Web.Tests.Http;

/// <summary>Who the per-client limits count a request against: an IPv4 address, or a whole IPv6 /64.</summary>
public sealed class ClientKeyTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2::7", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::7", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    public void ClientIsTheIpv4AddressOrTheIpv6Slash64(string address, string key) =>
        Assert.Equal(key, ClientRateLimit.ClientKey(IPAddress.Parse(address)));

    [Fact]
    public void EveryAddressOfOneSlash64IsOneClient()
    {
        var keys = Enumerable.Range(0, 64)
            .Select(i => ClientRateLimit.ClientKey(IPAddress.Parse($"2001:db8:aa:bb:{i:x}:{i * 7:x}::{i + 1:x}")))
            .ToHashSet();

        Assert.Equal(["2001:db8:aa:bb::/64"], keys);
    }

    [Fact]
    public void NoAddressIsADash() => Assert.Equal("-", ClientRateLimit.ClientKey(null));
}
