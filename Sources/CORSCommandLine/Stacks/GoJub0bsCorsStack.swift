struct GoJub0bsCorsStack: StackDialect {
    var displayName: String { "goJub0bsCors" }
    var verification: String? { nil }
    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        StackExport(stack: .goJub0bsCors, configuration: "", warnings: [], verification: nil)
    }
    func evidence(in response: StackResponse) -> [String] { [] }
    func fix(for failure: CheckFailureKind) -> String { "" }
}
