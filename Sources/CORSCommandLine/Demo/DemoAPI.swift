import Foundation

/// The tutorial's API, served identically by the Hummingbird and the Vapor demo servers.
///
/// - `GET /me` → 200 `{"user":"alice"}` with an `X-Request-Id` header
/// - `PUT /me` → 200 `{"user":"alice","updated":true}`
/// - `DELETE /me` → 204
/// - `GET /boom` → a handler that throws an error that is not an HTTP error (500)
/// - `GET /redirect` → 302 to `/me` (CORS behind a redirect)
/// - `POST /login` → 204 setting two cookies: `session` (`SameSite=None; Secure`) and `legacy`
///   (no `SameSite`, so Chrome treats it as Lax and never sends it cross-site)
/// - `GET /cookies` → 200 `{"cookies":["…"]}`: the names of the cookies the request carried
enum DemoAPI {
    static let meBody = #"{"user":"alice"}"#
    static let updatedBody = #"{"user":"alice","updated":true}"#
    static let requestIDHeader = "X-Request-Id"
    static let sessionCookie = "session=alice; Path=/; SameSite=None; Secure; HttpOnly"
    static let legacyCookie = "legacy=alice; Path=/; HttpOnly"

    /// `{"cookies":["legacy","session"]}` from a `Cookie` header value, names sorted.
    static func cookiesBody(cookieHeader: String?) -> String {
        let names = (cookieHeader ?? "").split(separator: ";").compactMap { pair -> String? in
            let name = pair.split(separator: "=", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            return name?.isEmpty == false ? name : nil
        }.sorted()
        return #"{"cookies":["# + names.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
    }

    /// The error `GET /boom` throws: deliberately not an HTTP error, like a bug in a handler.
    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom: the demo handler failed on purpose" }
    }
}
