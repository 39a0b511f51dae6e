using System.Net;

namespace MfaReset.Web.Reset.Policy;

/// <summary>
/// Whether a rule's <c>conditions.network</c> holds for the client address the portal trusts (the forwarded
/// address only from known proxies): the address must be in one of the <c>include</c> zones (when any are named)
/// and in none of the <c>exclude</c> zones. An <c>IP</c> zone holds its <c>gateways</c> (CIDR or RANGE); an inactive
/// zone holds nothing. Null: it cannot be told (the zones were not read, a zone is unknown or <c>DYNAMIC</c>, which
/// needs locations or ASNs, or the address is not one) and the caller fails closed.
/// </summary>
public sealed class NetworkZones(IReadOnlyList<OktaNetworkZone>? zones)
{
    private readonly Dictionary<string, OktaNetworkZone>? _byId = zones?.ToDictionary(z => z.Id, StringComparer.Ordinal);

    /// <summary>Zones that could not be read: every zone condition is unknown.</summary>
    public static NetworkZones Unread { get; } = new(null);

    /// <summary>No zones were needed (no rule names one): a zone condition names an unknown zone.</summary>
    public static NetworkZones None { get; } = new([]);

    public bool? Holds(OktaNetworkCondition condition, string? clientIp)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!condition.ByZone)
        {
            return true;
        }

        if (_byId is null || !IPAddress.TryParse(clientIp, out var address))
        {
            return null;
        }

        var included = condition.IncludedZoneIds.Count == 0 ? true : AnyContains(condition.IncludedZoneIds, address);
        var excluded = condition.ExcludedZoneIds.Count == 0 ? false : AnyContains(condition.ExcludedZoneIds, address);
        return included is null || excluded is null ? null : included.Value && !excluded.Value;
    }

    private bool? AnyContains(IReadOnlyList<string> zoneIds, IPAddress address) => AnyOf(zoneIds, id => Contains(id, address));

    /// <summary>True when any item holds; false when none does and each is known; else unknown (null).</summary>
    private static bool? AnyOf<T>(IEnumerable<T> items, Func<T, bool?> holds)
    {
        var known = true;
        foreach (var item in items)
        {
            switch (holds(item))
            {
                case true:
                    return true;
                case null:
                    known = false;
                    break;
            }
        }

        return known ? false : null;
    }

    private bool? Contains(string zoneId, IPAddress address)
    {
        if (!_byId!.TryGetValue(zoneId, out var zone) || zone.Type != "IP")
        {
            return null;
        }

        return zone.Active ? AnyOf(zone.Gateways, gateway => GatewayContains(gateway, address)) : false;
    }

    private static bool? GatewayContains(OktaZoneAddress gateway, IPAddress address)
    {
        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (gateway.Type == "CIDR")
        {
            return IPNetwork.TryParse(gateway.Value, out var network) ? network.Contains(candidate) : null;
        }

        if (gateway.Type != "RANGE")
        {
            return null;
        }

        var bounds = gateway.Value.Split('-', 2, StringSplitOptions.TrimEntries);
        if (!IPAddress.TryParse(bounds[0], out var low) || !IPAddress.TryParse(bounds[^1], out var high) || low.AddressFamily != high.AddressFamily)
        {
            return null;
        }

        if (low.AddressFamily != candidate.AddressFamily)
        {
            return false;
        }

        var value = candidate.GetAddressBytes();
        return Compare(low.GetAddressBytes(), value) <= 0 && Compare(value, high.GetAddressBytes()) <= 0;
    }

    private static int Compare(byte[] a, byte[] b) => ((ReadOnlySpan<byte>)a).SequenceCompareTo(b);
}
