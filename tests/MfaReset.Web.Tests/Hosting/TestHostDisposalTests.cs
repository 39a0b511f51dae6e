using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace MfaReset.Web.Tests.Hosting;

/// <summary>
/// The test hosts give back what a stopped host keeps: a watched physical file provider holds an inotify instance
/// until disposed, and the browser stories start a host per story (128 instances is the usual per-user limit).
/// </summary>
public sealed class TestHostDisposalTests
{
    [Fact]
    public async Task ADisposedTestHostDisposesItsWebRootsFileProvidersThroughComposites()
    {
        var app = new TrackedWebRootPortal();
        await app.InitializeAsync();
        using (var browser = app.NewBrowser())
        {
            await browser.GetAsync("/"); // the host is built and the layout's asp-append-version watches its stylesheet
        }

        Assert.False(app.Tracked.Disposed);

        await app.DisposeAsync();

        Assert.True(app.Tracked.Disposed);
    }

    /// <summary>The portal whose web root has a provider that says whether it was disposed, inside a composite as the static web assets make it.</summary>
    private sealed class TrackedWebRootPortal : PortalApp
    {
        public TrackingProvider Tracked { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureAppConfiguration((context, _) =>
                context.HostingEnvironment.WebRootFileProvider = new CompositeFileProvider(Tracked, context.HostingEnvironment.WebRootFileProvider));
        }
    }

    private sealed class TrackingProvider : IFileProvider, IDisposable
    {
        public bool Disposed { get; private set; }

        public IFileInfo GetFileInfo(string subpath) => new NotFoundFileInfo(subpath);

        public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

        public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

        public void Dispose() => Disposed = true;
    }
}
