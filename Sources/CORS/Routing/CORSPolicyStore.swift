import Synchronization

/// Holds the policies in force and lets a running server replace them atomically.
///
/// Each request reads the table once, so it is decided entirely by the old policies or
/// entirely by the new ones, never by a mixture. A new policy that fails validation never
/// reaches the store: ``reload(_:)`` refuses it whole and the old one stays in force.
///
/// ```swift
/// let store = CORSPolicyStore(CORSPolicyTable(policy))
/// router.add(middleware: CORSPolicyMiddleware(store: store))
/// // later, e.g. on SIGHUP:
/// if case .failure(let error) = store.reload({ try loadPolicy() }) { logger.error("\(error)") }
/// ```
public final class CORSPolicyStore: Sendable {
    private let table: Mutex<CORSPolicyTable>

    /// Creates a store holding `table`.
    public init(_ table: CORSPolicyTable) {
        self.table = Mutex(table)
    }

    /// The table in force now.
    public var current: CORSPolicyTable {
        table.withLock { $0 }
    }

    /// Replaces the table in force.
    public func replace(with newTable: CORSPolicyTable) {
        table.withLock { $0 = newTable }
    }

    /// Builds a new table and puts it in force, or — when building throws (an invalid policy
    /// file, say) — keeps the old one and returns the error, with every problem it lists.
    @discardableResult
    public func reload(_ build: () throws -> CORSPolicyTable) -> Result<CORSPolicyTable, any Error> {
        do {
            let newTable = try build()
            replace(with: newTable)
            return .success(newTable)
        } catch {
            return .failure(error)
        }
    }
}
