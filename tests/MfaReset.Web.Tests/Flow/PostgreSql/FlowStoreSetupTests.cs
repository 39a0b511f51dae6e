using MfaReset.Testing;
using Microsoft.Extensions.Time.Testing;
using MfaReset.Web.Flow;
using MfaReset.Web.Flow.PostgreSql;
using MfaReset.Web.Infrastructure;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MfaReset.Web.Tests.Flow.PostgreSql;

/// <summary><c>FlowStore:*</c> choosing and validating the store, as the portal's host starts.</summary>
public sealed class FlowStoreSetupTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly FakeLogCollector _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private IHost BuildHost(params (string Key, string? Value)[] settings)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
        builder.Logging.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestClock.DefaultStart));
        builder.Services.AddFlowStore();
        return builder.Build();
    }

    private static async Task<string> StartFailureAsync(IHost host) =>
        (await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())).Message;

    [Fact]
    public async Task WithoutSettingsTheFlowStoreIsInMemory()
    {
        using var host = BuildHost();
        await host.StartAsync();

        Assert.IsType<InMemoryFlowStore>(Assert.IsType<MeteredFlowStore>(host.Services.GetRequiredService<IFlowStore>()).Inner);
        await host.StopAsync();
    }

    [Fact]
    public async Task PostgreSqlFlowStoreIsSharedAndItsSchemaExistsOnceTheHostHasStarted()
    {
        using var host = BuildHost(
            ("FlowStore:Provider", "PostgreSql"), ("FlowStore:ConnectionString", TestDatabase.ConnectionString), ("FlowStore:Schema", _database.Schema));

        await host.StartAsync();
        var store = host.Services.GetRequiredService<IFlowStore>();
        await store.SetLeaseAsync("l", "a", TimeSpan.FromMinutes(1), CancellationToken.None);
        await host.StopAsync();

        Assert.IsType<PostgreSqlFlowStore>(Assert.IsType<MeteredFlowStore>(store).Inner);
        Assert.Equal(1L, await _database.CountAsync("leases"));
        var schema = Assert.Single(_logs.OfEvent(1400));
        Assert.Equal(
            (_database.Schema, FlowStoreSchema.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), "0"),
            (schema.Value("Schema"), schema.Value("Version"), schema.Value("FoundVersion")));
        Assert.Contains(_logs.GetSnapshot(), r => r.Category?.StartsWith("Npgsql.", StringComparison.Ordinal) == true); // Npgsql's own trace, where a careless setting would show it
        var password = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString).Password;
        Assert.True(string.IsNullOrEmpty(password) || !_logs.AllText().Contains(password, StringComparison.Ordinal), "The connection string's password was logged.");
    }

    [Fact]
    public async Task PostgreSqlWithoutAConnectionStringStopsTheStart()
    {
        using var host = BuildHost(("FlowStore:Provider", "PostgreSql"));

        Assert.Contains("FlowStore:ConnectionString is required", await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Password=hunter2-secret;Bogus Keyword=1", "is not a valid Npgsql connection string")]
    [InlineData("Password=hunter2-secret;Database=x", "must name a Host")]
    public async Task ABadConnectionStringStopsTheStartWithoutBeingRepeated(string connectionString, string expected)
    {
        using var host = BuildHost(("FlowStore:Provider", "PostgreSql"), ("FlowStore:ConnectionString", connectionString));

        var message = await StartFailureAsync(host);

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", _logs.AllText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FlowStore:Schema", "public; DROP TABLE x")]
    [InlineData("FlowStore:Schema", "Mixed")]
    [InlineData("FlowStore:CleanupInterval", "00:00:01")]
    [InlineData("FlowStore:CleanupBatchSize", "0")]
    public async Task OutOfRangeSettingsStopTheStart(string key, string value)
    {
        using var host = BuildHost(("FlowStore:Provider", "PostgreSql"), ("FlowStore:ConnectionString", TestDatabase.ConnectionString), (key, value));

        Assert.Contains(key.Split(':')[1], await StartFailureAsync(host), StringComparison.Ordinal);
    }
}
