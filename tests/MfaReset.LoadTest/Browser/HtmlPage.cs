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

    /// <summary>The page's only form.</summary>
    public HtmlForm Form() => SingleForm(_ => true, "at all");

    /// <summary>The form with a control named <paramref name="field"/> (what the person fills in).</summary>
    public HtmlForm FormWithField(string field) =>
        SingleForm(f => f.Elements.Any(e => e.GetAttribute("name") == field), $"with a field '{field}'");

    /// <summary>The form posting to a Razor handler whose action ends with <paramref name="handlerSegment"/>, e.g. "/Send".</summary>
    public HtmlForm FormPostingTo(string handlerSegment) =>
        SingleForm(
            f => (f.GetAttribute("action") ?? string.Empty).Split('?')[0].EndsWith(handlerSegment, StringComparison.OrdinalIgnoreCase),
            $"posting to '…{handlerSegment}'");

    /// <summary>The trimmed text of the first element matching <paramref name="selector"/>, or null.</summary>
    public string? Text(string selector) => Document.QuerySelector(selector)?.TextContent.Trim();

    /// <summary>The first element matching <paramref name="selector"/>, or null.</summary>
    public IElement? Find(string selector) => Document.QuerySelector(selector);

    /// <summary>"GET /Reset/VerifyCode (200)": for failure messages; never the markup (it holds tokens).</summary>
    public string Describe() => $"{Url.AbsolutePath} ({Status})";

    private HtmlForm SingleForm(Func<IHtmlFormElement, bool> match, string what)
    {
        var forms = Document.Forms.Where(match).ToList();
        return forms.Count switch
        {
            1 => new HtmlForm(forms[0], Url),
            0 => throw new InvalidOperationException($"{Describe()} has no form {what}."),
            _ => throw new InvalidOperationException($"{Describe()} has {forms.Count} forms {what}."),
        };
    }
}
