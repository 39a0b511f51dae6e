using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace MfaReset.Okta.Sandbox;

/// <summary>
/// Razor components rendered to a string: every value is HTML-encoded unless a component says otherwise, and
/// nothing depends on routing, an HTTP context or the entry assembly's application parts, so the simulator
/// and the sandbox's sign-in page render the same standalone and embedded in the portal.
/// </summary>
internal sealed class ComponentRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<MarkupString> RenderAsync<TComponent>(string parameterName, object? value)
        where TComponent : IComponent
    {
        // One renderer per render: an HtmlRenderer keeps every root component it rendered until it is disposed.
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            // The HTML is read on the renderer's dispatcher, so the await stays on it.
            var root = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(new Dictionary<string, object?> { [parameterName] = value }))
                .ConfigureAwait(true);
            return root.ToHtmlString();
        }).ConfigureAwait(false);
        return new MarkupString(html);
    }
}
