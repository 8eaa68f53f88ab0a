struct GoRsCorsStack: StackDialect {
    var displayName: String { "goRsCors" }
    var verification: String? { nil }
    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        StackExport(stack: .goRsCors, configuration: "", warnings: [], verification: nil)
    }
    func evidence(in response: StackResponse) -> [String] { [] }
    func fix(for failure: CheckFailureKind) -> String { "" }
}
