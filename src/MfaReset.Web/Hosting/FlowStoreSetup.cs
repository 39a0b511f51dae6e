using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using MfaReset.Web.Storage.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace MfaReset.Web.Hosting;

/// <summary>The <see cref="IFlowStore"/> named by <c>FlowStore:Provider</c>, validated on start, and the key ring shared through its database.</summary>
public static class FlowStoreSetup
{
    /// <summary>
    /// Registers the store chosen by <see cref="FlowStoreOptions.Provider"/>, its calls counted by
    /// <see cref="MeteredFlowStore"/>, unless one is registered already, plus <see cref="FlowStoreMaintenance"/>
    /// (schema at start, periodic cleanup).
    /// </summary>
    /// <summary>Statements each store connection keeps prepared: more than the store has, so none is evicted.</summary>
    public const int AutoPreparedStatements = 64;

    /// <summary>Whether the connection string names the Npgsql setting <paramref name="setting"/> (spaces ignored) itself.</summary>
    private static bool Sets(string? connectionString, string setting) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString ?? "" }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), setting, StringComparison.OrdinalIgnoreCase));

    public static IServiceCollection AddFlowStore(this IServiceCollection services)
    {
        services.AddValidatedOptions<FlowStoreOptions, FlowStoreOptionsValidator>(FlowStoreOptions.SectionName);
        // Keyed, so it is the store's own pool and no one else's NpgsqlDataSource registration is taken or replaced.
        services.TryAddKeyedSingleton(FlowStoreOptions.SectionName, (provider, _) =>
        {
            var connectionString = provider.GetRequiredService<IOptions<FlowStoreOptions>>().Value.ConnectionString;
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.ConnectionStringBuilder.ApplicationName ??= "MfaReset";
            if (!Sets(connectionString, "MaxAutoPrepare"))
            {
                // Every step runs the same few statements: prepared on a connection after their second use, each
                // later run skips the server's parse and plan. A connection string that sets it (0 behind a pooler
                // that cannot keep prepared statements) is left as it is.
                builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
                builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }

            if (!Sets(connectionString, "NoResetOnClose"))
            {
                // Every store call takes a pooled connection for one statement or batch. Npgsql would otherwise reset
                // each returned connection with a string of statements (RESET ALL, CLOSE ALL, UNLISTEN *, ...: DISCARD
                // ALL without dropping the prepared ones) run before the next call's own. The store leaves no session
                // state to reset: no SET, no LISTEN, no temporary table, and its advisory locks are transaction-scoped.
                builder.ConnectionStringBuilder.NoResetOnClose = true;
            }

            return builder.UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>()).Build();
        });
        // Its own registration, so the demo's "Reset everything" (DemoHolds) can clear it without a clearing operation on IFlowStore.
        services.TryAddSingleton(provider => new InMemoryFlowStore(provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IOptions<OktaOptions>>().Value.OrgUrl));
        services.TryAddSingleton<IFlowStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<FlowStoreOptions>>().Value;
            var timeProvider = provider.GetRequiredService<TimeProvider>();
            IFlowStore store = options.Provider switch
            {
                FlowStoreProvider.PostgreSql => new PostgreSqlFlowStore(
                    provider.GetRequiredKeyedService<NpgsqlDataSource>(FlowStoreOptions.SectionName), options, timeProvider),
                _ => provider.GetRequiredService<InMemoryFlowStore>(),
            };
            return new MeteredFlowStore(store, provider.GetRequiredService<PortalMetrics>());
        });
        services.AddHostedService<FlowStoreMaintenance>();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlowStoreOptions>, FlowStoreDeploymentValidator>());
        services.AddHostedService<FlowStoreStartNotes>();
        return services;
    }

    /// <summary>
    /// The Data Protection key ring, shared by every instance on the flow store's database when the store is
    /// PostgreSQL (antiforgery tokens and cookies must read on any instance), encrypted with the configured
    /// key certificate wherever the keys are kept. After <see cref="AddFlowStore"/>, whose options and data source it uses.
    /// </summary>
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        // Several instances must read each other's antiforgery tokens and cookies: share the key ring.
        services.AddDataProtection().SetApplicationName("MfaReset");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, provider) =>
        {
            var options = provider.GetRequiredService<IOptions<FlowStoreOptions>>().Value;
            if (options.Provider == FlowStoreProvider.PostgreSql)
            {
                keys.XmlRepository = new PostgreSqlXmlRepository(
                    provider.GetRequiredKeyedService<NpgsqlDataSource>(FlowStoreOptions.SectionName), options.Schema, provider.GetRequiredService<TimeProvider>());
            }

            // Encrypted before they are stored, wherever that is; read back by KeyCertificateDecryptor.
            if (KeyCertificate.From(options) is { } certificate)
            {
                keys.XmlEncryptor = new KeyCertificateEncryptor(certificate, provider.GetRequiredService<ILoggerFactory>());
            }
        });
        return services;
    }
}
