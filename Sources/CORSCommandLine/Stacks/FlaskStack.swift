struct FlaskStack: StackDialect {
    var displayName: String { "flask" }
    var verification: String? { nil }
    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        StackExport(stack: .flask, configuration: "", warnings: [], verification: nil)
    }
    func evidence(in response: StackResponse) -> [String] { [] }
    func fix(for failure: CheckFailureKind) -> String { "" }
}
