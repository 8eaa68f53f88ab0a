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
        self.init(method: method, scheme: nil, authority: nil, path: nil, headerFields: fields)
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
