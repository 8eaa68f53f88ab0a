import CORSBrowserModel
import HTTPTypes

/// Builds header fields from name/value pairs, keeping duplicates and order.
func fields(_ pairs: [(String, String)]) -> HTTPFields {
    var result = HTTPFields()
    for (name, value) in pairs {
        result.append(HTTPField(name: HTTPField.Name(name)!, value: value))
    }
    return result
}

/// A response with the given status and header fields.
func response(_ status: Int = 200, _ pairs: [(String, String)] = []) -> HTTPResponse {
    HTTPResponse(status: HTTPResponse.Status(code: status), headerFields: fields(pairs))
}

/// A plan for a request from `https://app.example.com` to `https://api.example.com/me`
/// unless told otherwise.
func makePlan(
    url: String = "https://api.example.com/me",
    origin: String = "https://app.example.com",
    method: String = "GET",
    headers: [(String, String)] = [],
    credentials: CredentialsMode = .sameOrigin,
    initiator: RequestInitiator = .fetch,
    forcesPreflight: Bool = false
) throws -> RequestPlan {
    RequestPlan(
        try PageRequest(
            url: url, origin: origin, method: method, headerFields: fields(headers), credentials: credentials,
            initiator: initiator, forcesPreflight: forcesPreflight))
}

/// The header fields of a request or response as (lowercased name, value) pairs, in order.
func pairs(_ fields: HTTPFields) -> [String] {
    fields.map { "\($0.name.rawName): \($0.value)" }
}

let appOrigin = "https://app.example.com"
