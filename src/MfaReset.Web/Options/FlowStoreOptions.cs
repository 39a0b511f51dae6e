using System.ComponentModel.DataAnnotations;
using MfaReset.Web.Hosting;
using Npgsql;

namespace MfaReset.Web.Options;

/// <summary>Where flows, limits and leases live. Bound from <c>FlowStore</c>.</summary>
public sealed class FlowStoreOptions : IValidatableObject
{
    public const string SectionName = "FlowStore";

    /// <summary>
    /// <see cref="FlowStoreProvider.InMemory"/> (default) for a single instance;
    /// <see cref="FlowStoreProvider.PostgreSql"/> when several instances share limits and single-use tokens.
    /// </summary>
    public FlowStoreProvider Provider { get; set; } = FlowStoreProvider.InMemory;

    /// <summary>
    /// An Npgsql connection string (pooling is on by default). A secret: environment or user-secrets
    /// only, never appsettings. Validation messages never repeat it.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The PostgreSQL schema holding the store's tables, created at start when missing.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "FlowStore:Schema must be a lower-case SQL identifier such as mfareset.")]
    public string Schema { get; set; } = "mfareset";

    /// <summary>How often expired rows are deleted. Expired rows are invisible before that; this only reclaims space.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows deleted per statement by the cleanup, so it never holds many locks at once.</summary>
    [Range(10, 10_000)]
    public int CleanupBatchSize { get; set; } = 500;

    /// <summary>
    /// A PKCS#12 (.pfx) file whose certificate encrypts the Data Protection keys before they are stored in
    /// PostgreSQL (and whose private key decrypts them). Required outside Development with the PostgreSQL
    /// store unless <see cref="KeysProtectedByPlatform"/> says the platform protects them.
    /// </summary>
    public string? KeyCertificatePath { get; set; }

    /// <summary>The password of <see cref="KeyCertificatePath"/>. A secret: environment or user-secrets only.</summary>
    public string? KeyCertificatePassword { get; set; }

    /// <summary>
    /// The operator's statement that the platform protects the Data Protection keys at rest in PostgreSQL
    /// (an encrypted database the portal's own readers cannot reach, for example), so no certificate is used.
    /// </summary>
    public bool KeysProtectedByPlatform { get; set; }

    /// <summary>
    /// For a lab only: lets the portal start outside Development over a PostgreSQL connection that does not
    /// require TLS (<c>SSL Mode</c> below <c>Require</c>) to another machine. The start says so in a warning.
    /// </summary>
    public bool AllowUnencryptedConnection { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != FlowStoreProvider.PostgreSql)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new("FlowStore:ConnectionString is required when FlowStore:Provider is PostgreSql (set it in the environment or user-secrets).", [nameof(ConnectionString)]);
        }
        else if (!TryParse(ConnectionString, out var parsed))
        {
            yield return new("FlowStore:ConnectionString is not a valid Npgsql connection string.", [nameof(ConnectionString)]);
        }
        else if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            yield return new("FlowStore:ConnectionString must name a Host.", [nameof(ConnectionString)]);
        }

        if (KeyCertificatePath is { Length: > 0 } && KeyCertificate.Problem(this) is { } certificateProblem)
        {
            yield return new(certificateProblem, [nameof(KeyCertificatePath)]);
        }
    }

    /// <summary>
    /// Whether the connection string requires TLS (<c>SSL Mode</c> Require, VerifyCA or VerifyFull), and whether
    /// every host is this machine (a loopback address or a Unix socket), where nothing crosses a network.
    /// Null: the string does not parse (the validation says so).
    /// </summary>
    public (bool Tls, bool OnThisMachine)? ConnectionPrivacy()
    {
        if (ConnectionString is null || !TryParse(ConnectionString, out var parsed) || string.IsNullOrWhiteSpace(parsed.Host))
        {
            return null;
        }

        return (parsed.SslMode is SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull, parsed.Host.Split(',').All(IsThisMachine));
    }

    private static bool IsThisMachine(string hostAndPort)
    {
        var host = hostAndPort.Trim();
        if (host.StartsWith('/'))
        {
            return true; // a Unix socket directory
        }

        // "host", "host:port", "[v6]:port" or a bare v6 address.
        var bare = host;
        if (host.StartsWith('[') && host.IndexOf(']', StringComparison.Ordinal) is var end and > 0)
        {
            bare = host[1..end];
        }
        else if (host.Count(c => c == ':') == 1)
        {
            bare = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }

        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(bare, out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    // The parser's own message may quote the offending part of the string, so it is dropped.
    private static bool TryParse(string connectionString, out NpgsqlConnectionStringBuilder parsed)
    {
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            parsed = new NpgsqlConnectionStringBuilder();
            return false;
        }
    }
}

/// <summary>Which <c>IFlowStore</c> the portal uses.</summary>
public enum FlowStoreProvider
{
    /// <summary>In this process: limits and single-use tokens hold for one instance only.</summary>
    InMemory,

    /// <summary>A PostgreSQL database shared by every instance.</summary>
    PostgreSql,
}
