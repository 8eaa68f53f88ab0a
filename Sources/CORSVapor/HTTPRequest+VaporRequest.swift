import CORS
import HTTPTypes
import Vapor

extension HTTPRequest {
    /// The part of a Vapor request the CORS engine reads: its method, and its `Origin` and
    /// `Access-Control-Request-*` fields (the latter only on `OPTIONS`, the only method whose
    /// requests can be preflights). Nothing else is copied; field values are shared with
    /// Vapor's strings, not duplicated.
    init(corsFieldsOf request: Request) {
        let method = HTTPRequest.Method(request.method)
        let isOptions = method == .options
        var fields = HTTPFields()
        for (name, value) in request.headers {
            guard let fieldName = HTTPField.Name(corsRequestFieldNamed: name, isOptions: isOptions) else {
                continue
            }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        // The pseudo-header fields live in a class instance: sharing one per common method
        // saves allocating it on every request (only the header fields differ).
        self = Self.template(for: method) ?? HTTPRequest(method: method, scheme: nil, authority: nil, path: nil)
        self.headerFields = fields
    }

    /// A request with only a method, for the methods most requests use.
    private static func template(for method: HTTPRequest.Method) -> HTTPRequest? {
        switch method {
        case .get: Templates.get
        case .options: Templates.options
        case .post: Templates.post
        case .put: Templates.put
        case .delete: Templates.delete
        case .patch: Templates.patch
        case .head: Templates.head
        default: nil
        }
    }

    private enum Templates {
        static let get = HTTPRequest(method: .get, scheme: nil, authority: nil, path: nil)
        static let options = HTTPRequest(method: .options, scheme: nil, authority: nil, path: nil)
        static let post = HTTPRequest(method: .post, scheme: nil, authority: nil, path: nil)
        static let put = HTTPRequest(method: .put, scheme: nil, authority: nil, path: nil)
        static let delete = HTTPRequest(method: .delete, scheme: nil, authority: nil, path: nil)
        static let patch = HTTPRequest(method: .patch, scheme: nil, authority: nil, path: nil)
        static let head = HTTPRequest(method: .head, scheme: nil, authority: nil, path: nil)
    }
}

extension HTTPRequest.Method {
    /// Vapor's (NIO's) method, without going through a string for the common ones.
    init(_ method: Vapor.HTTPMethod) {
        switch method {
        case .GET: self = .get
        case .HEAD: self = .head
        case .POST: self = .post
        case .PUT: self = .put
        case .DELETE: self = .delete
        case .OPTIONS: self = .options
        case .PATCH: self = .patch
        case .CONNECT: self = .connect
        case .TRACE: self = .trace
        default:
            // NIO's parser only accepts token methods, so this always succeeds; any method other
            // than OPTIONS is treated alike by the engine.
            self = HTTPRequest.Method(method.rawValue) ?? .get
        }
    }
}

extension HTTPField.Name {
    /// The engine's name for a request field it reads, or `nil` for every other field.
    /// Compares ASCII case-insensitively without allocating.
    fileprivate init?(corsRequestFieldNamed name: String, isOptions: Bool) {
        let utf8 = name.utf8
        switch utf8.count {
        case 6 where utf8.equalsIgnoringASCIICase("origin"):
            self = .origin
        case 29 where isOptions && utf8.equalsIgnoringASCIICase("access-control-request-method"):
            self = .accessControlRequestMethod
        case 30 where isOptions && utf8.equalsIgnoringASCIICase("access-control-request-headers"):
            self = .accessControlRequestHeaders
        case 38 where isOptions && utf8.equalsIgnoringASCIICase("access-control-request-private-network"):
            self = .accessControlRequestPrivateNetwork
        default:
            return nil
        }
    }
}

extension String.UTF8View {
    /// Whether this equals `lowercase` (which must be lowercase ASCII), ignoring ASCII case.
    func equalsIgnoringASCIICase(_ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in self {
                let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if folded != expected[index] { return false }
                index += 1
            }
            return true
        }
    }
}
