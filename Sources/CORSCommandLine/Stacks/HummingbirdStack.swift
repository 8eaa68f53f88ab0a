struct HummingbirdStack: StackDialect {
    var displayName: String { "hummingbird" }
    var verification: String? { nil }
    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        StackExport(stack: .hummingbird, configuration: "", warnings: [], verification: nil)
    }
    func evidence(in response: StackResponse) -> [String] { [] }
    func fix(for failure: CheckFailureKind) -> String { "" }
}
