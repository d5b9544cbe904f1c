import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird

/// The API of agreements that count only when every party has signed: where an agreement's signatures
/// stand (anyone may read it: signatures are public, so anyone can check them), and recording one
/// party's signature (the registrar; the signature itself proves the party's consent).
enum AgreementRoutes {
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        // Under `:resource` as the other routes of a record are: a constant `agreements` segment would take
        // every path below it from the trie router, and `/agreements/{id}` would no longer be found.
        api.get(":resource/:id/signatures") { _, context in
            let id = try agreement(context)
            guard let status = try await store.signatureStatus(id) else { throw Problem.notFound("no agreement \"\(id)\"") }
            return AssayApplication.json(DealJSON.signatures(status))
        }
        api.post(":resource/:id/signatures") { request, context in
            try context.require(.registrar)
            let id = try agreement(context)
            guard case .object(var m) = try await AssayApplication.body(request, context, statement: AgreementSignature.command(statement:)) else {
                throw Problem.invalid("", "expected a JSON object")
            }
            if let named = m["agreement"], named != .string(id) {
                throw Problem.invalid("agreement", "the statement signs another agreement than \(id), the one it was posted to")
            }
            if let type = m["type"], type != .string(Command.Kind.signAgreement.rawValue) {
                throw Problem.invalid("type", "this resource takes sign-agreement statements")
            }
            m["type"] = .string(Command.Kind.signAgreement.rawValue)
            m["agreement"] = .string(id)
            return try await AssayApplication.append(try AssayApplication.command(.object(m)), store: store, author: context.token?.id ?? "unknown")
        }
    }

    /// The agreement id of a `/agreements/{id}/signatures` path; other resources have no signatures.
    static func agreement(_ context: AssayContext) throws -> String {
        guard try AssayApplication.resource(context) == .agreement else { throw Problem.notFound("only agreements have signatures") }
        return try context.parameters.require("id")
    }
}
