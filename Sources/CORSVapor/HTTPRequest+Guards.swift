import CORS
import HTTPTypes
import Vapor

extension HTTPRequest {
    /// The part of a Vapor request the guards read: method, `Host`, path, and the `Origin` and
    /// `Sec-Fetch-Site` fields.
    init(guardFieldsOf request: Request) {
        var fields = HTTPFields()
        for value in request.headers[.origin] { fields.append(HTTPField(name: .origin, value: value)) }
        for value in request.headers["Sec-Fetch-Site"] {
            fields.append(HTTPField(name: HTTPField.Name("Sec-Fetch-Site")!, value: value))
        }
        self.init(
            method: HTTPRequest.Method(request.method), scheme: nil, authority: request.headers.first(name: .host),
            path: request.url.string, headerFields: fields)
    }

    /// Every field of a Vapor request, for report-only comparisons.
    init(allFieldsOf request: Request) {
        var fields = HTTPFields()
        for (name, value) in request.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        self.init(
            method: HTTPRequest.Method(request.method), scheme: nil, authority: request.headers.first(name: .host),
            path: request.url.string, headerFields: fields)
    }
}

extension HTTPFields {
    /// A Vapor response's headers as fields (names that are not valid field names are skipped).
    init(_ headers: HTTPHeaders) {
        self.init()
        for (name, value) in headers {
            if let fieldName = HTTPField.Name(name) { append(HTTPField(name: fieldName, value: value)) }
        }
    }
}

extension Response {
    /// A 403 with a short plain-text body, for the guards' refusals.
    static func guardRefusal(_ message: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .forbidden, headers: headers, body: .init(string: message))
    }
}
