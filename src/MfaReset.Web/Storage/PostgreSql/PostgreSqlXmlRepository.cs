using System.Xml.Linq;
using MfaReset.Web.Hosting;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace MfaReset.Web.Storage.PostgreSql;

/// <summary>
/// ASP.NET Core Data Protection keys in the flow store's database, so every portal instance can read the
/// antiforgery tokens and cookies another instance issued: a browser's form may be posted to any
/// instance behind the load balancer. Outside Development they reach it encrypted to
/// <c>FlowStore:KeyCertificatePath</c>'s certificate, or the operator states that the platform protects
/// them (<see cref="FlowStoreDeploymentValidator"/>). The interface is synchronous by design of
/// Data Protection, which caches the key ring and calls this rarely.
/// </summary>
public sealed class PostgreSqlXmlRepository(NpgsqlDataSource dataSource, string schema, TimeProvider timeProvider) : IXmlRepository
{
    /// <inheritdoc/>
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand($"SELECT xml FROM \"{schema}\".data_protection_keys ORDER BY created_at, name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    /// <inheritdoc/>
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        // Key ids are GUIDs: two instances never write the same name, and a rewrite of one is a no-op.
        using var command = dataSource.CreateCommand(
            $"INSERT INTO \"{schema}\".data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @created_at) ON CONFLICT (name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string>("name", friendlyName));
        command.Parameters.Add(new NpgsqlParameter<string>("xml", element.ToString(SaveOptions.DisableFormatting)));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("created_at", timeProvider.GetUtcNow()));
        command.ExecuteNonQuery();
    }
}
