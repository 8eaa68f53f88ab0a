/// The script API that made the request. It does not change any verdict; it only changes the
/// wording of Chromium's console message (the `<kind>` and the hint appended to some errors,
/// `cors_error_string.cc`).
public enum RequestInitiator: String, Sendable, Hashable, CaseIterable {
    /// `fetch()`.
    case fetch
    /// `XMLHttpRequest`.
    case xmlHttpRequest = "XMLHttpRequest"

    /// The word Chromium puts after "Access to" in the console message: `fetch` or
    /// `XMLHttpRequest`.
    public var resourceKind: String {
        rawValue
    }
}
