using System.Globalization;

namespace MfaReset.LoadTest.Measurement;

/// <summary>
/// Open TCP connections to a loopback port, read from <c>/proc/net/tcp</c> and <c>tcp6</c> (.NET's dual-mode
/// sockets show IPv4 connections there); Linux only, elsewhere null.
/// </summary>
internal static class TcpConnections
{
    private const string Established = "01";

    /// <summary>How many established connections have <paramref name="port"/> as their remote end.</summary>
    public static int? To(int port)
    {
        string[] tables = ["/proc/net/tcp", "/proc/net/tcp6"];
        if (!tables.All(File.Exists))
        {
            return null;
        }

        // Columns: sl local_address rem_address st ...; addresses are HEXIP:HEXPORT.
        return tables.SelectMany(table => File.ReadLines(table).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(columns => columns.Length > 3
                && columns[3] == Established
                && int.Parse(columns[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port);
    }
}
