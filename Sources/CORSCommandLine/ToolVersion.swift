import CORSWebSyntax

/// What `cors --version` prints: the package's version and the date of the embedded Public
/// Suffix List (which decides what `cors lint` and `cors scan` call a public suffix).
enum ToolVersion {
    /// The package version; CHANGELOG.md records what each version contains.
    static let package = "0.1.0"

    /// `swift-cors 0.1.0 (Public Suffix List of 2023-02-09)`.
    static var description: String {
        "swift-cors \(package) (Public Suffix List of \(PublicSuffixList.date))"
    }
}
