import HTTPTypes

// Constants and predicates of fetch.bs "HTTP-redirect fetch" (L5963) and Chromium's
// `net::RedirectUtil::UpdateHttpRequest` / `CorsURLLoader::OnReceiveRedirect`.

enum RedirectRules {
    /// The redirect statuses (fetch.bs "redirect status"; Chromium
    /// `HttpResponseHeaders::IsRedirectResponseCode`). 300 and 304 are not redirects.
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// fetch.bs: "If request's redirect count is 20, then return a network error." Measured on
    /// Chromium 156: 20 redirects are followed (21 requests), the 21st fails.
    static let maximumRedirects = 20

    /// The request-body-header names dropped when a redirect turns the request into a GET
    /// (fetch.bs "request-body-header name"; `RedirectUtil::UpdateHttpRequest`).
    static let requestBodyHeaderNames: Set<String> = [
        "content-encoding", "content-language", "content-location", "content-type",
    ]

    /// A response the browser follows: a redirect status with a `Location` field. A 3xx
    /// without `Location` is handed to the script like any other response.
    static func isRedirect(_ response: HTTPResponse) -> Bool {
        redirectStatuses.contains(response.status.code) && response.headerFields[.location] != nil
    }

    /// Whether following `status` changes `method` to GET (fetch.bs L5963, HTTP-redirect
    /// fetch): 301 and 302 on POST, 303 on anything but GET and HEAD.
    static func rewritesToGET(status: Int, method: String) -> Bool {
        ((status == 301 || status == 302) && method == "POST")
            || (status == 303 && method != "GET" && method != "HEAD")
    }
}
