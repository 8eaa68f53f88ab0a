struct SpringStack: StackDialect {
    var displayName: String { "spring" }
    var verification: String? { nil }
    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        StackExport(stack: .spring, configuration: "", warnings: [], verification: nil)
    }
    func evidence(in response: StackResponse) -> [String] { [] }
    func fix(for failure: CheckFailureKind) -> String { "" }
}
