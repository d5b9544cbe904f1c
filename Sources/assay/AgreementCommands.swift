import ArgumentParser
import AssayDomain
import AssayReports
import AssayStore
import Foundation

/// `assay agreement …`: agreements that count only when every party has signed.
struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement", abstract: "Sign an agreement's terms offline, and see whose signature is still missing.",
        subcommands: [AgreementSign.self, AgreementSignatures.self])
}

/// `assay agreement sign TERMS.json --key FILE`: one party's signature, made offline.
struct AgreementSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an agreement's terms offline with the party's key; prints the sign-agreement command to submit.",
        discussion: """
            TERMS is the agreement as JSON (`-` reads standard input): the register-agreement command, the record \
            `GET /api/v1/agreements/ID` answers, or its `record` member. The key file is one `assay key generate` \
            wrote for the signing party, whose public key is registered (register-key). Submit the printed line with \
            `assay ingest FILE` or `POST /api/v1/agreements/ID/signatures`. Status, signing date and sources are not \
            part of the signed terms; everything else is.
            """)
    @Argument(help: "The agreement's JSON file, or - for standard input.") var terms: String
    @Option(help: "The signing party's key file (from `assay key generate`).") var key: String
    @Option(help: "When the party signs (default now), like 2025-12-04T10:00:00.000Z.") var time: String?
    @Option(help: "Sign as a SCITT signed statement (COSE_Sign1) and write it to this file, for POST … with Content-Type: application/cose.") var cose: String?

    func run() async throws {
        guard let keyData = FileManager.default.contents(atPath: key) else { throw InputFailure(message: "\(key): cannot read the key file") }
        let signer: OperatorSigningKey
        do { signer = try OperatorSigningKey(fileText: String(decoding: keyData, as: UTF8.self)) } catch { throw InputFailure(message: "\(key): \(error)") }
        let data = terms == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: terms)
        guard let data else { throw InputFailure(message: "\(terms): cannot read the file") }
        do {
            var value = try JSONParser.parse(Array(data))
            if case .object(let m) = value, case .object? = m["record"] { value = m["record"]! }
            if case .object(var m) = value {
                if let type = m["type"], type != .string(Command.Kind.registerAgreement.rawValue) {
                    throw DomainError(.invalidField, field: "type", "expected an agreement (register-agreement), found \(type)")
                }
                m["type"] = nil
                value = .object(m)
            }
            let agreement = try Agreement(json: JSONObject(value, path: ""))
            let when = try time.map { s throws(DomainError) in try Timestamp(iso: s, field: "--time") } ?? RelationalStore.systemClock()
            let signature: AgreementSignature
            if let cose {
                let (s, statement) = try signer.signStatement(agreement: agreement, at: when)
                guard FileManager.default.createFile(atPath: cose, contents: Data(statement)) else { throw InputFailure(message: "--cose \(cose): cannot write the file") }
                signature = s
            } else {
                signature = try signer.sign(agreement: agreement, at: when)
            }
            print(CanonicalJSON.string(Command.signAgreement(signature).json))
            FileHandle.standardError.write(Data("signed the terms of \(agreement.id) (SHA-256 \(signature.terms)) as \(signer.party) with key \(signer.keyID); submit the line above\n".utf8))
        } catch let e as DomainError {
            throw InputFailure(message: "\(terms): \(e.description)")
        } catch let e as JSONSyntaxError {
            throw InputFailure(message: "\(terms): not JSON: \(e)")
        }
    }
}

/// `assay agreement signatures ID`: whose signature is in, whose is missing.
struct AgreementSignatures: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures", abstract: "Where an agreement's signatures stand: who signed when (and in which entry), who has not, the terms digest.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The agreement's id.") var id: String

    func run() async throws {
        guard let s = try await Context.store(options).signatureStatus(id) else { throw InputFailure(message: "no agreement \"\(id)\"") }
        if options.json {
            Context.printJSON(DealJSON.signatures(s))
            return
        }
        print("\(id): \(s.agreement.status.rawValue)\(s.agreement.signed.map { " on \($0.iso)" } ?? "")")
        guard s.agreement.requiresSignatures else { print("registered without requiresSignatures: its status is recorded, not signed by the parties"); return }
        print("terms SHA-256 \(s.terms)")
        var t = TextTable("party", "key", "signed at", "entry")
        for r in s.signatures { t.add(r.signature.party, r.signature.key, r.signature.time.iso, String(r.sequence)) }
        for p in s.missing { t.add(p, "—", "not signed", "—") }
        print(t.render())
    }
}
