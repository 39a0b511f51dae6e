using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MfaReset.LoadTest.Browser;

/// <summary>A page the browser ended on after following redirects: its address, status and markup.</summary>
internal sealed class HtmlPage(Uri url, int status, string html)
{
    private IHtmlDocument? _document;

    public Uri Url { get; } = url;

    public int Status { get; } = status;

    public string Html { get; } = html;

    /// <summary>The parsed document, parsed on first use (most steps only need the form).</summary>
    public IHtmlDocument Document => _document ??= new HtmlParser().ParseDocument(Html);

    /// <summary>
    /// The form whose action contains <paramref name="actionContains"/>, or the page's only form
    /// (apart from ones posting elsewhere) when null.
    /// </summary>
    public HtmlForm Form(string? actionContains = null)
    {
        var forms = Document.Forms.Where(f => actionContains is null
            || (f.GetAttribute("action") ?? string.Empty).Contains(actionContains, StringComparison.OrdinalIgnoreCase)).ToList();
        return forms.Count switch
        {
            1 => new HtmlForm(forms[0], Url),
            0 => throw new InvalidOperationException($"{Describe()} has no form{For(actionContains)}."),
            _ => throw new InvalidOperationException($"{Describe()} has {forms.Count} forms{For(actionContains)}; name the action."),
        };
    }

    /// <summary>The trimmed text of the first element matching <paramref name="selector"/>, or null.</summary>
    public string? Text(string selector) => Document.QuerySelector(selector)?.TextContent.Trim();

    /// <summary>The first element matching <paramref name="selector"/>, or null.</summary>
    public IElement? Find(string selector) => Document.QuerySelector(selector);

    /// <summary>"GET /Reset/VerifyCode (200)": for failure messages; never the markup (it holds tokens).</summary>
    public string Describe() => $"{Url.AbsolutePath} ({Status})";

    private static string For(string? actionContains) =>
        actionContains is null ? string.Empty : $" posting to '{actionContains}'";
}
