using MfaReset.Web.Reset.Audit;
using MfaReset.Testing;
using MfaReset.Web.Hosting;
using MfaReset.Web.Options;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using MfaReset.Web.Storage.PostgreSql;
using MfaReset.Web.Tests.Storage.PostgreSql;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MfaReset.Web.Tests.Hosting;

/// <summary><c>FlowStore:*</c> choosing and validating the store, as the portal's host starts.</summary>
public sealed class FlowStoreSetupTests(PostgreSqlServer postgres) : IAsyncLifetime
{
    private readonly TestDatabase _database = new(postgres);
    private readonly FakeLogCollector _logs = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private IHost BuildHost(params (string Key, string? Value)[] settings) => BuildHost(Environments.Production, settings);

    private IHost BuildHost(string environment, params (string Key, string? Value)[] settings)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
        builder.Logging.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestClock.DefaultStart));
        builder.Services.AddMetrics().AddSingleton<PortalMetrics>(); // AddResetFlow registers it for the whole portal
        builder.Services.AddFlowStore().AddSharedKeyRing();
        return builder.Build();
    }

    private static readonly (string, string?) KeysLeftToThePlatform = ("FlowStore:KeysProtectedByPlatform", "true");

    private (string, string?)[] PostgreSql(params (string, string?)[] more) =>
        [("FlowStore:Provider", "PostgreSql"), ("FlowStore:ConnectionString", PostgreSqlServer.ConnectionString), ("FlowStore:Schema", _database.Schema), .. more];

    private static (string, string?)[] Certificate(string path, string? password = TestKeyCertificate.Password) =>
        [("FlowStore:KeyCertificatePath", path), ("FlowStore:KeyCertificatePassword", password)];

    private static async Task<string> StartFailureAsync(IHost host) =>
        (await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())).Message;

    [Fact]
    public async Task WithoutSettingsTheFlowStoreIsInMemory()
    {
        using var host = BuildHost();
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.IsType<InMemoryFlowStore>(Assert.IsType<MeteredFlowStore>(host.Services.GetRequiredService<IFlowStore>()).Inner);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task PostgreSqlFlowStoreIsSharedAndItsSchemaExistsOnceTheHostHasStarted()
    {
        using var host = BuildHost(
            ("FlowStore:Provider", "PostgreSql"), ("FlowStore:ConnectionString", PostgreSqlServer.ConnectionString), ("FlowStore:Schema", _database.Schema), KeysLeftToThePlatform);

        await host.StartAsync(TestContext.Current.CancellationToken);
        var store = host.Services.GetRequiredService<IFlowStore>();
        await store.SetLeaseAsync("l", "a", TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.IsType<PostgreSqlFlowStore>(Assert.IsType<MeteredFlowStore>(store).Inner);
        Assert.Equal(1L, await _database.CountAsync("leases"));
        var schema = Assert.Single(_logs.OfEvent(1400));
        Assert.Equal(
            (_database.Schema, FlowStoreSchema.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), "0"),
            (schema.Value("Schema"), schema.Value("Version"), schema.Value("FoundVersion")));
        Assert.Contains(_logs.GetSnapshot(), r => r.Category?.StartsWith("Npgsql.", StringComparison.Ordinal) == true); // Npgsql's own trace, where a careless setting would show it
        var password = new NpgsqlConnectionStringBuilder(PostgreSqlServer.ConnectionString).Password;
        Assert.True(string.IsNullOrEmpty(password) || !_logs.AllText().Contains(password, StringComparison.Ordinal), "The connection string's password was logged.");
    }

    [Fact]
    public async Task TheStoresStatementsArePreparedAutomaticallyAndKeepTheirMeaningOncePrepared()
    {
        using var host = BuildHost(PostgreSql(KeysLeftToThePlatform));
        await host.StartAsync(TestContext.Current.CancellationToken);
        var store = host.Services.GetRequiredService<IFlowStore>();
        var ct = CancellationToken.None;

        // The same statement again and again: prepared on its connection after its second use.
        var claims = new List<bool> { await store.TryAcquireLeaseAsync("prepared", "a", TimeSpan.FromMinutes(1), ct) };
        for (var i = 0; i < 4; i++)
        {
            claims.Add(await store.TryAcquireLeaseAsync("prepared", "b", TimeSpan.FromMinutes(1), ct));
        }

        await store.ReleaseLeaseAsync("prepared", "a", ct);
        claims.Add(await store.TryAcquireLeaseAsync("prepared", "b", TimeSpan.FromMinutes(1), ct));
        var source = host.Services.GetRequiredKeyedService<NpgsqlDataSource>(FlowStoreOptions.SectionName);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(FlowStoreSetup.AutoPreparedStatements, new NpgsqlConnectionStringBuilder(source.ConnectionString).MaxAutoPrepare);
        Assert.True(new NpgsqlConnectionStringBuilder(source.ConnectionString).NoResetOnClose);
        Assert.Equal([true, false, false, false, false, true], claims);
    }

    [Fact]
    public void AConnectionStringThatSetsAutoPreparationOrConnectionResetKeepsItsValues()
    {
        using var host = BuildHost(
            ("FlowStore:Provider", "PostgreSql"), ("FlowStore:ConnectionString", PostgreSqlServer.ConnectionString + ";Max Auto Prepare=0;No Reset On Close=false"), ("FlowStore:Schema", _database.Schema), KeysLeftToThePlatform);

        var source = host.Services.GetRequiredKeyedService<NpgsqlDataSource>(FlowStoreOptions.SectionName);

        Assert.Equal(0, new NpgsqlConnectionStringBuilder(source.ConnectionString).MaxAutoPrepare);
        Assert.False(new NpgsqlConnectionStringBuilder(source.ConnectionString).NoResetOnClose);
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
        using var host = BuildHost(("FlowStore:Provider", "PostgreSql"), ("FlowStore:ConnectionString", PostgreSqlServer.ConnectionString), KeysLeftToThePlatform, (key, value));

        Assert.Contains(key.Split(':')[1], await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentKeysInPostgreSqlWithoutProtectionAtRestStopTheStart()
    {
        using var host = BuildHost(PostgreSql());

        var message = await StartFailureAsync(host);

        Assert.Contains("The Data Protection keys kept in PostgreSQL must be protected at rest outside Development", message, StringComparison.Ordinal);
        Assert.Contains("FlowStore:KeysProtectedByPlatform=true", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDevelopmentKeysInPostgreSqlNeedNoProtectionAndTheStartSaysSo()
    {
        using var host = BuildHost(Environments.Development, PostgreSql());

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("not protected (Development)", Assert.Single(_logs.OfEvent(1404)).Value("Protection"));
    }

    [Fact]
    public async Task KeysTheOperatorSaysThePlatformProtectsAreStoredAsTheyAreAndTheStartSaysSo()
    {
        using var host = BuildHost(PostgreSql(KeysLeftToThePlatform));
        await host.StartAsync(TestContext.Current.CancellationToken);

        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a form token");
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("left to the platform (FlowStore:KeysProtectedByPlatform)", Assert.Single(_logs.OfEvent(1404)).Value("Protection"));
        Assert.Contains("<masterKey", Assert.Single(await StoredKeysAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysAreStoredEncryptedToTheCertificateAndAnotherInstanceWithItReadsThem()
    {
        var protectedText = await ProtectedByAnInstanceAsync(TestKeyCertificate.Path);

        using var second = BuildHost(PostgreSql(Certificate(TestKeyCertificate.Path)));
        await second.StartAsync(TestContext.Current.CancellationToken);
        var read = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText);
        await second.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("a form token", read);
        var stored = Assert.Single(await StoredKeysAsync());
        Assert.Contains("EncryptedData", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored, StringComparison.Ordinal); // the key material itself is only inside the ciphertext
        Assert.Contains(_logs.OfEvent(1404), r => r.Value("Protection") == "encrypted to FlowStore:KeyCertificatePath's certificate");
    }

    [Fact]
    public async Task KeysEncryptedToOneCertificateCannotBeReadWithAnother()
    {
        var protectedText = await ProtectedByAnInstanceAsync(TestKeyCertificate.Path);

        using var other = BuildHost(PostgreSql(Certificate(TestKeyCertificate.OtherPath)));
        await other.StartAsync(TestContext.Current.CancellationToken);
        var protector = other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(protectedText));
        await other.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("/nonexistent/keys.pfx", TestKeyCertificate.Password, "names no readable file")]
    [InlineData(null, "wrong-hunter2-password", "could not be read as a PKCS#12 file")]
    public async Task AKeyCertificateThatCannotBeReadStopsTheStartWithoutRepeatingItsPassword(string? path, string password, string expected)
    {
        using var host = BuildHost(PostgreSql(Certificate(path ?? TestKeyCertificate.Path, password)));

        var message = await StartFailureAsync(host);

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", _logs.AllText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db.internal;Database=mfareset;Username=portal", false)]
    [InlineData("Host=db.internal;Database=mfareset;Username=portal;SSL Mode=Prefer", false)]
    [InlineData("Host=127.0.0.1,db.internal;Database=mfareset;Username=portal", false)]
    [InlineData("Host=db.internal;Database=mfareset;Username=portal;SSL Mode=VerifyFull", true)]
    [InlineData("Host=db.internal;Database=mfareset;Username=portal;SSL Mode=Require", true)]
    [InlineData("Host=localhost;Database=mfareset;Username=portal", true)]
    [InlineData("Host=[::1]:5433;Database=mfareset;Username=portal", true)]
    [InlineData("Host=/var/run/postgresql;Database=mfareset;Username=portal", true)]
    public void OutsideDevelopmentAConnectionThatCrossesTheNetworkMustRequireTls(string connectionString, bool starts)
    {
        var options = new FlowStoreOptions { Provider = FlowStoreProvider.PostgreSql, ConnectionString = connectionString, KeysProtectedByPlatform = true };

        var production = Validate(Environments.Production, options);
        var lab = Validate(Environments.Production, new FlowStoreOptions { Provider = FlowStoreProvider.PostgreSql, ConnectionString = connectionString, KeysProtectedByPlatform = true, AllowUnencryptedConnection = true });
        var development = Validate(Environments.Development, options);

        Assert.Equal(starts, production.Succeeded);
        Assert.True(starts || production.FailureMessage!.Contains("FlowStore:ConnectionString must require TLS outside Development", StringComparison.Ordinal), production.FailureMessage);
        Assert.True(lab.Succeeded);
        Assert.True(development.Succeeded);
    }

    [Fact]
    public async Task AnUnencryptedConnectionAllowedForALabIsAWarningAtStart()
    {
        await StartNotesAsync(new FlowStoreOptions { Provider = FlowStoreProvider.PostgreSql, ConnectionString = "Host=db.internal;Database=x", AllowUnencryptedConnection = true, KeysProtectedByPlatform = true });

        var warning = Assert.Single(_logs.OfEvent(1403));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("FlowStore:AllowUnencryptedConnection is set", warning.Value("Reason"));
    }

    /// <summary>"a form token" protected by an instance whose keys are encrypted to <paramref name="certificatePath"/>, since stopped.</summary>
    private async Task<string> ProtectedByAnInstanceAsync(string certificatePath)
    {
        using var first = BuildHost(PostgreSql(Certificate(certificatePath)));
        await first.StartAsync();
        var protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a form token");
        await first.StopAsync();
        return protectedText;
    }

    [Theory]
    [InlineData(FlowStoreProvider.InMemory, 2, true)]
    [InlineData(FlowStoreProvider.InMemory, 1, true)] // one load balancer in front may spread over several instances
    [InlineData(FlowStoreProvider.InMemory, 0, false)]
    [InlineData(FlowStoreProvider.PostgreSql, 2, false)] // limits are shared in the database
    public async Task TheInMemoryStoreBehindAReverseProxyWarnsAtStartThatEveryLimitIsPerInstance(FlowStoreProvider provider, int proxies, bool warns)
    {
        var options = new FlowStoreOptions { Provider = provider, ConnectionString = PostgreSqlServer.ConnectionString, KeysProtectedByPlatform = true };

        await StartNotesAsync(options, [.. Enumerable.Range(1, proxies).Select(i => $"10.0.0.{i}")]);

        var warning = _logs.OfEvent(1405).SingleOrDefault();
        Assert.Equal(warns, warning is not null);
        Assert.True(!warns || warning!.Level == LogLevel.Warning && warning.Message.Contains("every limit is multiplied by the number of instances", StringComparison.Ordinal));
    }

    private async Task StartNotesAsync(FlowStoreOptions options, params string[] knownProxies)
    {
        var proxies = new ReverseProxyOptions();
        proxies.KnownProxies.AddRange(knownProxies);
        var notes = new FlowStoreStartNotes(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(proxies),
            new HostingEnvironment { EnvironmentName = Environments.Production }, new FakeLogger<FlowStoreStartNotes>(_logs));
        await notes.StartAsync(TestContext.Current.CancellationToken);
    }

    private static ValidateOptionsResult Validate(string environment, FlowStoreOptions options)
    {
        using var services = new ServiceCollection().AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment }).BuildServiceProvider();
        return new FlowStoreDeploymentValidator(services).Validate(null, options);
    }

    private async Task<List<string>> StoredKeysAsync()
    {
        await using var command = _database.Admin.CreateCommand($"SELECT xml FROM \"{_database.Schema}\".data_protection_keys");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
