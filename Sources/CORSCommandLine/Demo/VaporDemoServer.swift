import CORS

// Placeholder until the Vapor demo server lands (helper-3 replaces this file).
func runVaporDemoAPI(policy: CORSPolicy, host: String, port: Int) async throws {
    throw ToolFailure("the Vapor demo is not implemented yet")
}
