import CORS
import HTTPTypes
import Vapor

extension CORSRequestFacts {
    /// The facts of a Vapor request, read straight from its headers: no `HTTPRequest` and no
    /// `HTTPFields` are built, and field values are shared with Vapor's strings.
    init(_ request: Request) {
        self.init(method: HTTPRequest.Method(request.method))
        for (name, value) in request.headers {
            add(name: name, value: value)
        }
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
