using System.Net;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Headers as Kestrel sends them: the test host passes any header value through, Kestrel refuses one outside
/// printable ASCII and answers an empty 500 instead. Here the portal listens on a loopback port (http, as
/// behind a TLS-terminating proxy).
/// </summary>
public sealed class KestrelHeaderTests(KestrelHeaderTests.OnKestrel app) : IClassFixture<KestrelHeaderTests.OnKestrel>
{
    [Theory]
    [InlineData("%2Fhelp%3Fq%3D%C3%A9t%C3%A9", "/help?q=%C3%A9t%C3%A9")]
    [InlineData("%2F%E6%97%A5%E6%9C%AC", "/%E6%97%A5%E6%9C%AC")]
    public async Task TheLanguageSwitchRedirectsToANonAsciiReturnPathOverKestrel(string escapedReturnUrl, string location)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Address };

        using var response = await client.GetAsync("/language/fr?returnUrl=" + escapedReturnUrl, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    public sealed class OnKestrel : PortalApp
    {
        private Uri? _address;

        public OnKestrel() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        /// <summary>The portal's root on Kestrel; starts the server on first use.</summary>
        public Uri Address => _address ??= Start();

        private Uri Start()
        {
            StartServer();
            var bound = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a)).First();
            return new UriBuilder(bound) { Host = "127.0.0.1" }.Uri;
        }
    }
}
