/// The server stacks `cors` knows: how to recognise each, how its configuration spells each
/// CORS setting, its export, and its fixes. Each stack's knowledge lives in its own file
/// (`NginxStack.swift`, `CaddyStack.swift`, …), reached through ``dialect``.
enum ServerStack: String, CaseIterable, Sendable, Codable {
    case nginx
    case caddy
    case apache
    case express
    case flask
    case django
    case fastapi
    case aiohttp
    case spring
    case aspnetcore
    case rails
    case goRsCors = "go-rs-cors"
    case goJub0bsCors = "go-jub0bs-cors"
    case hummingbird
    case vapor
    case swiftCORS = "swift-cors"

    /// The stack's knowledge: recognition, export and fixes.
    var dialect: any StackDialect {
        switch self {
        case .nginx: NginxStack()
        case .caddy: CaddyStack()
        case .apache: ApacheStack()
        case .express: ExpressStack()
        case .flask: FlaskStack()
        case .django: DjangoStack()
        case .fastapi: FastAPIStack()
        case .aiohttp: AiohttpStack()
        case .spring: SpringStack()
        case .aspnetcore: AspNetCoreStack()
        case .rails: RailsStack()
        case .goRsCors: GoRsCorsStack()
        case .goJub0bsCors: GoJub0bsCorsStack()
        case .hummingbird: HummingbirdStack()
        case .vapor: VaporStack()
        case .swiftCORS: SwiftCORSStack()
        }
    }

    /// The names `--to` and `--stack` accept, in order.
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// What one stack knows. Every stack file implements it.
protocol StackDialect: Sendable {
    /// The stack's name as people write it ("nginx", "Flask-CORS").
    var displayName: String { get }
    /// "verified with <tool/version> by <test>" when the test suite runs this stack's export on
    /// the real server through the conformance table; `nil` when it does not.
    var verification: String? { get }
    /// A complete configuration enforcing the policy, and what the stack cannot express.
    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport
    /// Evidence in one response that this stack produced it, one phrase per clue.
    func evidence(in response: StackResponse) -> [String]
    /// The first fix for a failure, as a line of this stack's configuration.
    func fix(for failure: CheckFailureKind) -> String
}

extension StackDialect {
    /// The header comment every export starts with, in the stack's comment syntax.
    func exportHeader(comment: String, model: PolicyExportModel) -> String {
        let provenance = verification ?? "unverified: no test runs this export on the real \(displayName)"
        return [
            "\(comment) CORS policy for \(displayName), exported by `cors export`.",
            "\(comment) \(provenance).",
            "\(comment) Trusted origins: \((model.exactOrigins + model.policy.allowOriginPatterns + (model.allowsAnyOrigin ? ["*"] : [])).joined(separator: " ")).",
        ].joined(separator: "\n")
    }
}
