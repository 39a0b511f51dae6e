using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace MfaReset.Testing.Browser;

/// <summary>
/// A form as a browser would submit it: its action and method, and the successful controls with
/// their current values (hidden antiforgery token included). Values are changed by control name.
/// </summary>
public sealed class HtmlForm
{
    private readonly IHtmlFormElement _form;
    private readonly Uri _pageUrl;
    private readonly List<KeyValuePair<string, string>> _fields;

    public HtmlForm(IHtmlFormElement form, Uri pageUrl)
    {
        _form = form;
        _pageUrl = pageUrl;
        _fields = [.. SuccessfulControls(form)];
    }

    /// <summary>Sets the value of the control named <paramref name="name"/>; the form must have it.</summary>
    public HtmlForm Set(string name, string value)
    {
        var index = _fields.FindIndex(f => f.Key == name);
        if (index < 0)
        {
            // Unchecked radios and checkboxes are not successful controls yet but are still fields.
            if (_form.QuerySelector($"[name='{name}']") is null)
            {
                throw new InvalidOperationException($"The form posting to '{_form.Action}' has no field '{name}'.");
            }

            _fields.Add(new(name, value));
            return this;
        }

        _fields[index] = new(name, value);
        return this;
    }

    /// <summary>The value the form would send for <paramref name="name"/> (e.g. its hidden antiforgery token), or null.</summary>
    public string? Value(string name) => _fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>
    /// The request a browser sends when the person presses the submit button whose text, name or
    /// value is <paramref name="button"/> (or the form's first submit button when null).
    /// </summary>
    public FormSubmission Submit(string? button = null)
    {
        var submitter = FindSubmitter(button);
        var action = submitter?.GetAttribute("formaction") ?? _form.GetAttribute("action");
        var method = submitter?.GetAttribute("formmethod") ?? _form.GetAttribute("method") ?? "get";
        var fields = new List<KeyValuePair<string, string>>(_fields);
        if (submitter?.GetAttribute("name") is { Length: > 0 } submitterName)
        {
            fields.Add(new(submitterName, submitter.GetAttribute("value") ?? string.Empty));
        }

        var target = string.IsNullOrEmpty(action) ? _pageUrl : new Uri(_pageUrl, action);
        return new FormSubmission(
            method.Equals("post", StringComparison.OrdinalIgnoreCase) ? HttpMethod.Post : HttpMethod.Get,
            target,
            fields);
    }

    private IElement? FindSubmitter(string? button)
    {
        var candidates = _form.QuerySelectorAll("button:not([type]), button[type='submit'], input[type='submit']")
            .Where(b => !b.HasAttribute("disabled"))
            .ToList();
        if (button is null)
        {
            return candidates.FirstOrDefault();
        }

        return candidates.FirstOrDefault(b =>
                b.TextContent.Trim().Equals(button, StringComparison.OrdinalIgnoreCase)
                || b.GetAttribute("name") == button
                || b.GetAttribute("value") == button)
            ?? throw new InvalidOperationException($"The form posting to '{_form.Action}' has no enabled button '{button}'.");
    }

    private static IEnumerable<KeyValuePair<string, string>> SuccessfulControls(IHtmlFormElement form)
    {
        foreach (var element in form.Elements)
        {
            if (element.GetAttribute("name") is not { Length: > 0 } name || element.HasAttribute("disabled"))
            {
                continue;
            }

            switch (element)
            {
                case IHtmlInputElement input when IsValueInput(input):
                    yield return new(name, input.Value);
                    break;
                case IHtmlTextAreaElement textArea:
                    yield return new(name, textArea.Value);
                    break;
                case IHtmlSelectElement select:
                    var option = select.Options.FirstOrDefault(o => o.IsSelected) ?? (select.Options.Length > 0 ? select.Options[0] : null);
                    if (option is not null)
                    {
                        yield return new(name, option.Value);
                    }

                    break;
            }
        }
    }

    private static bool IsValueInput(IHtmlInputElement input) => input.Type.ToLowerInvariant() switch
    {
        "submit" or "button" or "image" or "reset" or "file" => false,
        "checkbox" or "radio" => input.IsChecked,
        _ => true,
    };
}
