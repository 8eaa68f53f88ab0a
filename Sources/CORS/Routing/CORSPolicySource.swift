/// Where an adapter gets the policies in force: a fixed table, or a store whose table can be
/// replaced while the server runs.
///
/// A fixed table is read without any synchronisation; a store costs one uncontended lock per
/// request.
public enum CORSPolicySource: Sendable {
    /// Policies fixed for the life of the server.
    case fixed(CORSPolicyTable)
    /// Policies that ``CORSPolicyStore/replace(with:)`` or ``CORSPolicyStore/reload(_:)`` can swap.
    case live(CORSPolicyStore)

    /// The table in force now. Read it once per request, so that the whole request is decided
    /// by one table even if another replaces it meanwhile.
    public var currentTable: CORSPolicyTable {
        switch self {
        case .fixed(let table): table
        case .live(let store): store.current
        }
    }

    /// The engine for a request, computing the path only when the table has route prefixes.
    public func engine(forPath path: () -> String) -> CORSEngine {
        let table = currentTable
        return table.routes.isEmpty ? table.defaultEngine : table.engine(forPath: path())
    }
}
