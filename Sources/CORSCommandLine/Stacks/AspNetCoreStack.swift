/// ASP.NET Core: `AddCors` with a named policy and `UseCors` before authentication.
struct AspNetCoreStack: StackDialect {
    var displayName: String { "ASP.NET Core (AddCors)" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        func list(_ values: [String]) -> String { values.map { "\"\($0)\"" }.joined(separator: ", ") }
        var warnings = model.commonWarnings
        warnings.append("ASP.NET Core answers a refused preflight with 204 and no Access-Control-Allow-Origin, not an ok status with the real lists")
        if model.policy.allowPrivateNetwork { warnings.append("ASP.NET Core has no Private Network Access support") }
        var chain: [String] = []
        if model.allowsAnyOrigin {
            chain.append(".AllowAnyOrigin()")
        } else {
            chain.append(".SetIsOriginAllowed(origin => origin.Length <= \(PolicyExportModel.maximumOriginLength) && TrustedOrigin.IsMatch(origin))")
        }
        if model.policy.allowCredentials { chain.append(".AllowCredentials()") }
        if model.policy.allowMethods.contains("*") { chain.append(".AllowAnyMethod()") } else if !model.policy.allowMethods.isEmpty {
            chain.append(".WithMethods(\(list(model.policy.allowMethods)))")
        }
        if model.policy.allowHeaders.contains("*") { chain.append(".AllowAnyHeader()") } else if !model.policy.allowHeaders.isEmpty {
            chain.append(".WithHeaders(\(list(model.policy.allowHeaders)))")
        }
        if !model.policy.exposeHeaders.isEmpty { chain.append(".WithExposedHeaders(\(list(model.policy.exposeHeaders)))") }
        if let maxAge = model.policy.maxAge { chain.append(".SetPreflightMaxAge(TimeSpan.FromSeconds(\(maxAge)))") }
        let configuration = """
            \(exportHeader(comment: "//", model: model))
            // Program.cs
            using System.Text.RegularExpressions;

            static partial class CorsPolicyExport
            {
                // Exact origins and patterns as one anchored, case-sensitive regex.
                public static readonly Regex TrustedOrigin = new(@"\(model.originRegex.replacing("\"", with: "\"\""))", RegexOptions.CultureInvariant);
            }

            builder.Services.AddCors(options => options.AddPolicy("CorsPolicy", policy => policy
                \(chain.map { $0.replacing("TrustedOrigin", with: "CorsPolicyExport.TrustedOrigin") }.joined(separator: "\n    "))));

            // After UseRouting, before UseAuthentication and UseAuthorization, so preflights pass first:
            app.UseCors("CorsPolicy");

            """
        return StackExport(stack: .aspnetcore, configuration: configuration, warnings: warnings, verification: nil)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if StackKnowledge.serverProduct(response) == "kestrel" { clues.append("Server: Kestrel") }
        if let powered = response.value("X-Powered-By"), powered.contains("ASP.NET") { clues.append("X-Powered-By: \(powered)") }
        if response.body.contains("\"type\":\"https://tools.ietf.org/html/rfc") { clues.append("ASP.NET Core problem details body") }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "policy.WithOrigins(..., \"\(origin)\")"
        case .methodNotAllowed(let method): "policy.WithMethods(..., \"\(method)\")"
        case .headerNotAllowed(let name): "policy.WithHeaders(..., \"\(name)\")"
        case .credentialsNotAllowed: "policy.AllowCredentials()"
        case .wildcardWithCredentials(let origin): "policy.WithOrigins(\"\(origin)\").AllowCredentials()  // not AllowAnyOrigin()"
        case .headerNotExposed(let name): "policy.WithExposedHeaders(..., \"\(name)\")"
        case .preflightNotOK, .preflightAnsweredWithoutCORS: "app.UseCors(\"CorsPolicy\");  // before app.UseAuthentication() and app.UseAuthorization()"
        case .preflightRedirected: "app.UseCors(\"CorsPolicy\");  // before app.UseHttpsRedirection(), and call the https URL"
        case .errorWithoutCORSHeaders: "app.UseCors(\"CorsPolicy\");  // before app.UseExceptionHandler(...) output is written"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or AddCors: one layer only"
        case .privateNetworkNotAllowed: "context.Response.Headers[\"Access-Control-Allow-Private-Network\"] = \"true\";  // ASP.NET Core has no option for it"
        }
    }
}
