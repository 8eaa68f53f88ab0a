import AsyncHTTPClient
import CORS
import CORSObservability
import CORSTestSupport
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

@testable import CORSCommandLine

/// `cors proxy --report-only` changes no response byte either: every request of the conformance
/// table, sent to a live server with the Hummingbird adapter for the case's policy (the CORS layer
/// in place), gets the same status, fields in order and body through the proxy, with the trial
/// policy deciding on the side, as without it. And the proxy records exactly the requests for
/// which the core's comparison finds a difference.
@Suite("cors proxy --report-only changes no response byte")
struct ProxyReportOnlyConformanceTests {
    struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var fields: [String]
        var body: String
        var description: String { "\(status) \(fields) \(body)" }
    }

    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(redirectConfiguration: .disallow))

    static func send(_ testCase: ConformanceCase, to base: String) async throws -> (Answer, HTTPResponse.Status, HTTPFields) {
        var request = HTTPClientRequest(url: base + testCase.path)
        request.method = .init(rawValue: testCase.method)
        for (name, value) in testCase.headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        var fields = HTTPFields()
        for header in response.headers { fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value)) }
        // Everything but what belongs to one connection or one moment must be equal: `Connection`
        // is hop-by-hop (RFC 9110 §7.6.1), and a proxy must add the `Date` an answer lacks
        // (§6.6.1); the upstream refuses the 100 KB head with a bare `Connection: close` 400.
        let answer = Answer(
            status: Int(response.status.code),
            fields: response.headers.filter { !["date", "connection"].contains($0.name.lowercased()) }.map { "\($0.name): \($0.value)" },
            body: String(buffer: body))
        return (answer, HTTPResponse.Status(code: Int(response.status.code)), fields)
    }

    @Test("Every row of the table, on a live server with each policy, through the proxy and not")
    func unchangedThroughProxy() async throws {
        let trial = ReportOnlyConformanceTests.trialPolicy
        for policy in ConformancePolicy.allCases {
            let cases = ConformanceCase.all.filter { $0.policy == policy }
            guard !cases.isEmpty else { continue }
            let upstream = try await LocalServer.start(router: HummingbirdRunner.router(table: policy.table))
            let logs = LogCapture()
            // The table's largest head is 100 KB: the proxy's bound is raised so that every row
            // reaches the upstream, as it does without the proxy.
            var settings = try ProxyCommand.parse([
                "--upstream", upstream.baseURL, "--listen", "127.0.0.1:0", "--max-header-bytes", "262144",
            ]).makeSettings()
            settings.policy = .fixed(CORSPolicyTable(trial))
            settings.reportOnly = ProxyReportOnly(
                recorder: CORSReportOnlyRecorder(originCardinalityCap: 4, recordsMetrics: false), logger: logs.logger(level: .info))
            let proxySettings = settings
            let proxyClient = ProxyServer.makeClient(settings)
            let proxy = try await LocalServer.start("cors proxy") { onRunning in
                ProxyServer.application(
                    settings: proxySettings, client: proxyClient, comparison: nil, logger: LocalServer.quietLogger,
                    onRunning: onRunning)
            }
            var differences = 0
            for testCase in cases {
                let (direct, status, fields) = try await Self.send(testCase, to: upstream.baseURL)
                let (proxied, _, _) = try await Self.send(testCase, to: proxy.baseURL)
                #expect(proxied == direct, "\(policy) \(testCase.name)")
                var requestFields = HTTPFields()
                for (name, value) in testCase.headers { requestFields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
                let request = HTTPRequest(
                    method: .init(testCase.method)!, scheme: "http", authority: "127.0.0.1", path: testCase.path,
                    headerFields: requestFields)
                if await CORSEngine(policy: trial).decide(request).difference(for: request, observedStatus: status, observedFields: fields) != nil {
                    differences += 1
                }
            }
            await proxy.stop()
            await upstream.stop()
            try await proxyClient.shutdown()
            #expect(logs.entries.count == differences, "\(policy): one record per difference")
            #expect(differences > 0, "\(policy): the trial policy disagrees somewhere")
        }
    }
}
