/// The application both adapters serve (and the engine runner simulates), route by route.
///
/// - `GET /me` → 200 with `X-Request-Id: 42`
/// - `PUT /me` → 200
/// - `DELETE /me` → 204
/// - `GET /vary` → 200 with `Vary: Accept-Encoding`
/// - `GET /own-cors` → 200 with the application's own `Access-Control-Allow-Origin: *`
/// - `GET /boom` → throws an error that is not an HTTP error (500)
/// - `GET /unauthorized` → throws the framework's HTTP error: 401 with `WWW-Authenticate: Bearer`
/// - `OPTIONS /options-route` → 200 with `X-Handled-By: app`
/// - anything else → 404
enum ConformanceRoutes {
    /// What the application answers, before CORS: status and header fields.
    static func response(method: String, path: String) -> (status: Int, headers: [(String, String)]) {
        switch (method, path) {
        case ("GET", "/me"): (200, [("X-Request-Id", "42")])
        case ("PUT", "/me"): (200, [])
        case ("DELETE", "/me"): (204, [])
        case ("GET", "/vary"): (200, [("Vary", "Accept-Encoding")])
        case ("GET", "/own-cors"): (200, [("Access-Control-Allow-Origin", "*")])
        case ("GET", "/boom"): (500, [])
        case ("GET", "/unauthorized"): (401, [("WWW-Authenticate", "Bearer")])
        case ("OPTIONS", "/options-route"): (200, [("X-Handled-By", "app")])
        default: (404, [])
        }
    }

    /// The error the `/boom` handler throws in both frameworks.
    struct Boom: Error {}
}

/// What an implementation answered, reduced to what the table compares.
struct Observed: Sendable, Equatable, CustomStringConvertible {
    var status: Int
    /// `Access-Control-*` fields in order, names lowercased.
    var cors: [Field]
    /// `Vary` values joined with ", ".
    var vary: String
    /// Whether the body is empty (checked for preflights).
    var bodyIsEmpty: Bool

    struct Field: Sendable, Equatable, CustomStringConvertible {
        var name: String
        var value: String
        var description: String { "\(name): \(value)" }
    }

    /// Reduces a response's fields, given as (name, value) in order.
    init(status: Int, fields: [(String, String)], bodyIsEmpty: Bool) {
        self.status = status
        self.cors = fields.filter { $0.0.lowercased().hasPrefix("access-control-") }
            .map { Field(name: $0.0.lowercased(), value: $0.1) }
        self.vary = fields.filter { $0.0.lowercased() == "vary" }.map(\.1).joined(separator: ", ")
        self.bodyIsEmpty = bodyIsEmpty
    }

    /// What a case expects.
    init(expected: ConformanceCase) {
        self.status = expected.status
        self.cors = expected.cors.map { Field(name: $0.0.lowercased(), value: $0.1) }
        self.vary = expected.vary
        self.bodyIsEmpty = true
    }

    var description: String { "\(status) [\(cors.map(\.description).joined(separator: "; "))] Vary: \(vary)" }

    /// Equal in everything the table fixes (the body only matters for preflights).
    func matches(_ other: Observed, checkingBody: Bool) -> Bool {
        status == other.status && cors == other.cors && vary == other.vary
            && (!checkingBody || bodyIsEmpty == other.bodyIsEmpty)
    }
}
