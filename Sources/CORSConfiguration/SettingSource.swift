import CORS

/// Where a setting's value came from, so that a finding about it names the right place: a
/// key path and position in the file, or a configuration key.
enum SettingSource: Sendable {
    /// Written in a file at `keyPath`; `node` is its value; `elementIndices[i]` is the index in
    /// the file of the setting's `i`-th element (elements of the wrong type are left out).
    case file(keyPath: String, node: JSONNode, elementIndices: [Int])
    /// Given by a configuration provider under `key` (`cors.allowOrigins`).
    case configuration(key: String)

    /// The path and position of the setting, or of its `index`-th element.
    func place(index: Int?) -> (path: String, position: CORSSourcePosition?) {
        switch self {
        case .file(let keyPath, let node, let elementIndices):
            guard let index else { return (keyPath, node.position) }
            let fileIndex = index < elementIndices.count ? elementIndices[index] : index
            if case .array(let elements) = node.value, fileIndex < elements.count {
                return ("\(keyPath)[\(fileIndex)]", elements[fileIndex].position)
            }
            return ("\(keyPath)[\(fileIndex)]", node.position)
        case .configuration(let key):
            return (index.map { "\(key)[\($0)]" } ?? key, nil)
        }
    }
}

/// A relative path of the core (`allowOrigins[1]`, `maxAge`) split into its key and index.
struct RelativePath: Sendable, Hashable {
    var key: String
    var index: Int?

    init(_ path: String) {
        if let open = path.firstIndex(of: "["), path.hasSuffix("]"),
            let index = Int(path[path.index(after: open)..<path.index(before: path.endIndex)])
        {
            key = String(path[..<open])
            self.index = index
        } else {
            key = path
            index = nil
        }
    }
}
