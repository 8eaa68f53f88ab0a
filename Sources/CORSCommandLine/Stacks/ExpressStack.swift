/// Express with the `cors` package. `cors` answers preflights and sets the fields; the export
/// decides the origin, method and headers first (`cors` checks neither), answers untrusted
/// preflights with 403 itself, treats an `OPTIONS` without `Access-Control-Request-Method` as the
/// ordinary request it is (`cors` would swallow it), and keeps the policy's fields when a route
/// sets its own.
struct ExpressStack: StackDialect {
    var displayName: String { "Express (cors)" }
    var verification: String? { "verified with Express 4.18.2 and cors 2.8.5 (Debian node-express, node-cors) by ExportConformanceTests/express" }

    static func literal(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        let lit = Self.literal
        func optional(_ value: String?) -> String { value.map(lit) ?? "null" }
        let origins = model.originRegexes.map { "  new RegExp(\(lit($0))),\n" }.joined()
        let configuration = """
            \(exportHeader(comment: "//", model: model))
            // Save as cors-policy.js, then, before every route and before any auth middleware:
            //     require('./cors-policy.js')(app);
            // Oversized Access-Control-Request-Headers get the policy's answer with
            // node --max-http-header-size=131072 (Node's default refuses heads over 16 KiB).
            'use strict';
            const cors = require('cors');
            const vary = require('vary');

            const ANY_ORIGIN = \(model.allowsAnyOrigin);
            // Exact origins and patterns as anchored, case-sensitive regexes.
            const TRUSTED_ORIGINS = [
            \(origins)];
            const METHOD = new RegExp(\(lit(model.methodRegex)));
            const REQUEST_HEADERS = new RegExp(\(lit(model.requestHeadersRegex)), 'i');
            const AUTHORIZATION = \(model.authorizationElementRegex.map { "new RegExp(\(lit($0)), 'i')" } ?? "null");
            const CREDENTIALS = \(model.policy.allowCredentials);
            const ALLOW_METHODS = \(optional(model.allowMethodsValue));
            const ALLOW_HEADERS = \(optional(model.allowHeadersValue));
            const EXPOSE_HEADERS = \(optional(model.exposeHeadersValue));
            const MAX_AGE = \(model.policy.maxAge.map(String.init) ?? "null");
            const PRIVATE_NETWORK = \(model.policy.allowPrivateNetwork);
            const PREFLIGHT_STATUS = \(model.preflightStatus);
            const VARY_PREFLIGHT = \(lit(model.varyPreflightValue));
            const VARY_ACTUAL = \(optional(model.varyActualValue));
            const OWNED = [\(PolicyExportModel.ownedFields.map { lit($0.lowercased()) }.joined(separator: ", "))];

            function originTrusted(origin) {
              if (typeof origin !== 'string') return false; // absent, or several Origin fields
              if (ANY_ORIGIN) return true;
              return origin.length <= \(PolicyExportModel.maximumOriginLength) && TRUSTED_ORIGINS.some((pattern) => pattern.test(origin));
            }

            function state(req) {
              const origin = req.headers.origin;
              // Node joins repeated fields with ', ': two Origin fields never match an origin.
              const trusted = origin !== undefined && !origin.includes(', ') && originTrusted(origin);
              const method = req.headers['access-control-request-method'];
              if (req.method === 'OPTIONS' && origin !== undefined && method !== undefined) {
                if (!trusted) return 'preflight_untrusted';
                const headers = req.headers['access-control-request-headers'];
                const headersAllowed = headers === undefined
                  || (headers.length <= \(PolicyExportModel.maximumRequestHeadersBytes) && !(AUTHORIZATION && AUTHORIZATION.test(headers)) && REQUEST_HEADERS.test(headers));
                return METHOD.test(method) && headersAllowed ? 'preflight_allowed' : 'preflight_denied';
              }
              return trusted ? 'trusted' : 'other';
            }

            // `cors` options for one request; a trusted origin asking for more than the policy grants
            // still gets an ok status and the real lists, so that the browser's console names what is missing.
            function options(current) {
              const preflight = current.startsWith('preflight');
              return {
                origin: ANY_ORIGIN ? '*' : true,
                credentials: CREDENTIALS,
                methods: preflight && ALLOW_METHODS ? ALLOW_METHODS : [],
                allowedHeaders: preflight && ALLOW_HEADERS ? ALLOW_HEADERS : [],
                exposedHeaders: preflight ? undefined : EXPOSE_HEADERS || undefined,
                maxAge: current === 'preflight_allowed' && MAX_AGE !== null ? MAX_AGE : undefined,
                preflightContinue: false,
                optionsSuccessStatus: PREFLIGHT_STATUS,
              };
            }

            // The policy's fields win over a route's own: they are put back just before the head is written.
            function keepPolicyFields(res, required) {
              const policyFields = OWNED.map((name) => [name, res.getHeader(name)]).filter(([, value]) => value !== undefined);
              const writeHead = res.writeHead;
              res.writeHead = function (...args) {
                for (const name of OWNED) res.removeHeader(name);
                for (const [name, value] of policyFields) res.setHeader(name, value);
                if (required) vary(res, required.split(', '));
                return writeHead.apply(this, args);
              };
            }

            module.exports = function installCors(app) {
              app.use((req, res, next) => {
                const current = state(req);
                const required = req.method === 'OPTIONS' ? VARY_PREFLIGHT : VARY_ACTUAL;
                if (required) vary(res, required.split(', '));
                if (current === 'preflight_untrusted') {
                  res.statusCode = 403;
                  res.setHeader('Content-Length', '0');
                  return res.end();
                }
                if (current === 'preflight_allowed' && PRIVATE_NETWORK && req.headers['access-control-request-private-network'] === 'true') {
                  res.setHeader('Access-Control-Allow-Private-Network', 'true');
                }
                const apply = current.startsWith('preflight') || (current === 'trusted' && req.method !== 'OPTIONS')
                  || (ANY_ORIGIN && current === 'other' && req.headers.origin === undefined && req.method !== 'OPTIONS');
                if (apply) {
                  return cors(options(current))(req, res, () => {
                    keepPolicyFields(res, required);
                    next();
                  });
                }
                if (current === 'trusted' || (ANY_ORIGIN && req.headers.origin === undefined)) {
                  // An OPTIONS request that is not a preflight reaches its route; `cors` would answer it.
                  res.setHeader('Access-Control-Allow-Origin', ANY_ORIGIN ? '*' : req.headers.origin);
                  if (CREDENTIALS) res.setHeader('Access-Control-Allow-Credentials', 'true');
                  if (EXPOSE_HEADERS) res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
                }
                keepPolicyFields(res, required);
                next();
              });
              return app;
            };

            """
        return StackExport(stack: .express, configuration: configuration, warnings: model.commonWarnings, verification: verification)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if let powered = response.value("X-Powered-By"), powered.lowercased().contains("express") {
            clues.append("X-Powered-By: \(powered)")
        }
        if response.body.contains("Cannot OPTIONS /") || response.body.contains("Cannot GET /") {
            clues.append("body 'Cannot … /path' (Express's 404)")
        }
        // Express's automatic OPTIONS: 200, `Allow: GET,HEAD,PUT` and that same list as the body.
        if response.status == 200, let allow = response.value("Allow"), response.body == allow,
            response.value("Access-Control-Allow-Origin") == nil
        {
            clues.append("OPTIONS answered 200 with 'Allow: \(allow)' as the body and no CORS fields (Express's automatic OPTIONS)")
        }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "app.use(cors({ origin: [..., '\(origin)'] }))"
        case .methodNotAllowed(let method): "app.use(cors({ methods: [..., '\(method)'] }))"
        case .headerNotAllowed(let name): "app.use(cors({ allowedHeaders: [..., '\(name)'] }))"
        case .credentialsNotAllowed: "app.use(cors({ origin: [...], credentials: true }))"
        case .wildcardWithCredentials(let origin): "app.use(cors({ origin: ['\(origin)'], credentials: true }))  // not '*' or true"
        case .headerNotExposed(let name): "app.use(cors({ exposedHeaders: [..., '\(name)'] }))"
        case .preflightNotOK: "app.options('*', cors(corsOptions))  // before the auth middleware; cors() mounted per route leaves OPTIONS to Express"
        case .preflightAnsweredWithoutCORS(let path): "app.options('\(path)', cors(corsOptions))  // cors() is mounted per route, so Express answers OPTIONS itself (Allow, no CORS fields)"
        case .preflightRedirected: "app.set('strict routing', false)  // and no redirect for OPTIONS"
        case .errorWithoutCORSHeaders: "app.use(cors(corsOptions))  // first, before any route or middleware that can fail"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or app.use(cors()): one layer only"
        case .privateNetworkNotAllowed: "res.setHeader('Access-Control-Allow-Private-Network', 'true')  // cors has no option for it"
        }
    }
}
