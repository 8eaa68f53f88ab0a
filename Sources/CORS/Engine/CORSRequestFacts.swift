public import HTTPTypes

/// The few facts of a request that the engine decides on: its method, its `Origin` and, on
/// `OPTIONS`, its `Access-Control-Request-*` fields.
///
/// ``CORSEngine`` gathers them itself when it is given an `HTTPRequest`. An adapter for a
/// framework with its own header type gathers them directly, without building an
/// `HTTPRequest`, and hands them to the engine's `decide(_:)`; the decision is the same.
///
/// ```swift
/// var facts = CORSRequestFacts(method: .options)
/// for (name, value) in frameworkRequest.headers {
///     facts.add(name: name, value: value)
/// }
/// let decision = engine.decide(facts)
/// ```
public struct CORSRequestFacts: Sendable, Hashable {
    /// The request's method.
    public let method: HTTPRequest.Method
    var isOptions: Bool
    /// The value of the last `Origin` field, and how many there were.
    var origin: String?
    var originCount = 0
    /// The value of the last `Access-Control-Request-Method` field, and how many there were.
    var requestMethod: String?
    var requestMethodCount = 0
    /// Every `Access-Control-Request-Headers` field line, joined with commas (an empty list
    /// element is harmless); `nil` when there is none. Lines stop being kept once they are
    /// larger than the engine reads, so hostile input costs bounded memory.
    var requestHeaders: String?
    /// The total length of the `Access-Control-Request-Headers` values, separators excluded.
    var requestHeadersByteCount = 0
    var requestsPrivateNetwork = false

    /// Facts with no fields yet.
    public init(method: HTTPRequest.Method) {
        self.method = method
        self.isOptions = method == .options
    }

    /// The facts of `request`, in one pass over its fields.
    public init(_ request: HTTPRequest) {
        self.init(method: request.method)
        for field in request.headerFields {
            add(field)
        }
    }

    /// Whether the request is a CORS preflight: `OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method` (Fetch §3.2.2).
    public var isPreflight: Bool { isOptions && requestMethodCount > 0 && originCount > 0 }

    /// Records one field of the request; fields the engine does not read are ignored.
    public mutating func add(_ field: HTTPField) {
        if let name = FieldNameClassifier.requestField(field.name) {
            record(name, value: field.value)
        }
    }

    /// Records one field of the request, named in any case (`origin`, `Origin`); fields the
    /// engine does not read are ignored. For frameworks whose header names are plain strings.
    public mutating func add(name: String, value: String) {
        if let name = FieldNameClassifier.requestField(named: name) {
            record(name, value: value)
        }
    }

    private mutating func record(_ name: FieldNameClassifier.RequestField, value: String) {
        switch name {
        case .origin:
            originCount += 1
            origin = value
        case .accessControlRequestMethod where isOptions:
            requestMethodCount += 1
            requestMethod = value
        case .accessControlRequestHeaders where isOptions:
            requestHeadersByteCount += value.utf8.count
            if requestHeadersByteCount > RequestHeadersScanner.maximumBytes {
                requestHeaders = ""
            } else if let earlier = requestHeaders {
                requestHeaders = earlier + "," + value
            } else {
                requestHeaders = value
            }
        case .accessControlRequestPrivateNetwork where isOptions:
            requestsPrivateNetwork = value == "true"
        default:
            break
        }
    }
}
