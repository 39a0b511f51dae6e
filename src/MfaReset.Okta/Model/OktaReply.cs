namespace MfaReset.Okta;

/// <summary>What one client call got back, before it is mapped to the call's result type.</summary>
internal abstract record OktaReply
{
    private OktaReply()
    {
    }

    /// <summary>Okta answered with a non-5xx status. <paramref name="Error"/> is set for every non-2xx status.</summary>
    public sealed record Answer(int Status, byte[] Body, RateLimitInfo? RateLimit, OktaError? Error) : OktaReply
    {
        /// <summary>The <c>after</c> cursor of <see cref="NextPage"/>: null on the last page.</summary>
        public string? NextAfter => OktaPaging.AfterOf(NextPage?.AbsoluteUri);

        /// <summary>The error to report when a 2xx body is not what the documentation describes.</summary>
        public OktaError Unreadable() => new(Status, null, null, null, [], RateLimit);

        /// <summary>A paged list's next page (<c>Link: &lt;...&gt;; rel="next"</c>), as Okta gave it; null on the last page.</summary>
        public Uri? NextPage { get; init; }

        /// <summary>The answer's <c>ETag</c>, if it carried a well-formed one: the version of the resource it describes.</summary>
        public OktaEntityTag? ETag { get; init; }
    }

    /// <summary>No usable answer: timeout, connection failure or 5xx (after the allowed retries).</summary>
    public sealed record NoAnswer(OktaUnavailable Reason) : OktaReply;
}
