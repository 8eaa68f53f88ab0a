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
/// - `POST /transfer` (form-encoded `amount=…`, authenticated by the `session` cookie) → 200
///   `{"user":"alice","transferred":"…"}`, 401 without the cookie; behind cross-origin request
///   protection, so a page on an untrusted origin gets 403 even with the cookie
/// - `GET /ws` → an echo WebSocket, behind the WebSocket origin guard
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

    /// The answer to `POST /transfer`: 200 with the amount for the `session` cookie, else 401.
    static func transfer(cookieHeader: String?, form: String) -> (status: Int, body: String) {
        let cookies = (cookieHeader ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard cookies.contains("session=alice") else { return (401, #"{"error":"log in first"}"#) }
        let amount = form.split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "amount" else { return nil }
            let digits = parts[1].filter(\.isNumber)
            return digits.isEmpty ? nil : String(digits.prefix(12))
        }.first
        return (200, #"{"user":"alice","transferred":""# + (amount ?? "0") + #""}"#)
    }

    /// The most `POST /transfer` reads of a form.
    static let transferBodyLimit = 4096

    /// The error `GET /boom` throws: deliberately not an HTTP error, like a bug in a handler.
    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom: the demo handler failed on purpose" }
    }
}
