import CORS
import CORSTestSupport
import CORSHummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SQLiteNIO
import Synchronization
import Testing

/// Dynamic origins through the middleware: a predicate backed by a real SQLite store, a slow one
/// and a failing one.
@Suite("Dynamic origins (origin predicates) through the Hummingbird middleware")
struct DynamicOriginsTests {
    /// A tenants table in an SQLite file, as a multi-tenant app would keep it.
    final class TenantStore: Sendable {
        let connection: SQLiteConnection
        let path: String
        let lookups = Mutex(0)

        init() async throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("tenants-\(UUID()).sqlite").path
            connection = try await SQLiteConnection.open(storage: .file(path: path))
            try await connection.query("CREATE TABLE tenants (origin TEXT PRIMARY KEY NOT NULL)", []) { _ in }
            for origin in ["https://acme.example.net", "https://globex.example.org"] {
                try await connection.query("INSERT INTO tenants (origin) VALUES (?)", [.text(origin)]) { _ in }
            }
        }

        func isTenant(_ origin: String) async throws -> Bool {
            lookups.withLock { $0 += 1 }
            let found = Mutex(false)
            try await connection.query("SELECT 1 FROM tenants WHERE origin = ?", [.text(origin)]) { _ in
                found.withLock { $0 = true }
            }
            return found.withLock { $0 }
        }

        func close() async throws {
            try await connection.close()
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    struct StoreUnavailable: Error, CustomStringConvertible {
        var description: String { "database is locked" }
    }

    static func application(_ predicate: CORSOriginPredicate, logger: Logger? = nil) throws -> some ApplicationProtocol {
        let policy = try CORSPolicy(
            allowOrigins: ["https://app.example.com"], allowCredentials: true, allowMethods: ["PUT"],
            allowHeaders: ["Authorization"], originPredicate: predicate)
        let router = Router()
        router.add(middleware: CORSPolicyMiddleware(policy: policy))
        router.get("me") { _, _ in Response(status: .ok) }
        if let logger {
            return Application(router: router, logger: logger)
        }
        return Application(router: router)
    }

    @Test func tenantsFromSQLiteAreTrustedAndCached() async throws {
        let store = try await TenantStore()
        let app = try Self.application(.async(cache: .init(maximumEntries: 100, lifetime: .seconds(60))) { origin in
            try await store.isTenant(origin)
        })
        try await app.test(.router) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/me", method: .get, headers: [.origin: "https://acme.example.net"]) { response in
                    #expect(response.headers[.accessControlAllowOrigin] == "https://acme.example.net")
                    #expect(response.headers[.accessControlAllowCredentials] == "true")
                    #expect(response.headers[.vary] == "Origin")
                }
            }
            try await client.execute(
                uri: "/me", method: .options,
                headers: [.origin: "https://globex.example.org", .accessControlRequestMethod: "PUT"]
            ) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://globex.example.org")
            }
            try await client.execute(uri: "/me", method: .get, headers: [.origin: "https://initech.example.com"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[.vary] == "Origin")
            }
            // The static origin never reaches the store.
            try await client.execute(uri: "/me", method: .get, headers: [.origin: "https://app.example.com"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
            }
        }
        // acme once (then cached), globex once, initech once.
        #expect(store.lookups.withLock { $0 } == 3)
        try await store.close()
    }

    @Test func aFailingPredicateDeniesAndLogsWhy() async throws {
        let logs = LogCapture()
        let app = try Self.application(.async { _ in throw StoreUnavailable() }, logger: logs.logger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/me", method: .get, headers: [.origin: "https://acme.example.net"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[.vary] == "Origin")
            }
        }
        let denial = try #require(logs.entries.first { $0.message.hasPrefix("CORS actual request denied") })
        #expect(denial.level == .debug)
        #expect(
            denial.message
                == #"CORS actual request denied: origin "https://acme.example.net" was denied because the origin predicate threw: database is locked"#)
        #expect(denial.metadata["cors.reason"] == "origin-predicate-failed")
    }

    @Test func aSlowPredicateTimesOutAndDenies() async throws {
        let logs = LogCapture()
        let app = try Self.application(
            .async(timeout: .milliseconds(20)) { _ in
                try await Task.sleep(for: .seconds(30))
                return true
            }, logger: logs.logger())
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/me", method: .options,
                headers: [.origin: "https://acme.example.net", .accessControlRequestMethod: "PUT"]
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
        let denial = try #require(logs.entries.first { $0.metadata["cors.reason"] == "origin-predicate-failed" })
        #expect(denial.message.contains("the origin predicate timed out after 0.02 seconds"))
    }
}
