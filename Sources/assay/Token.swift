import ArgumentParser
import AssayDomain
import AssayStore
import Foundation

/// `assay token create|revoke|list`: API tokens for the server.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens: 256 random bits, shown once, stored only as a hash.",
        subcommands: [TokenCreate.self, TokenRevoke.self, TokenList.self])
}

struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a token and print it once.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "registrar | operator | auditor") var role: String
    @Option(help: "The party an operator token acts for.") var party: String?
    @Option(help: "When the token stops being accepted: an ISO 8601 time (2027-01-01T00:00:00Z) or a number of days (90d).") var expires: String?

    func run() async throws {
        guard let r = Role(rawValue: role), r != .public else {
            throw InputFailure(message: "--role: \"\(role)\" is not one of registrar, operator, auditor")
        }
        var expiry: Timestamp?
        if let expires {
            if expires.hasSuffix("d"), let days = Int(expires.dropLast()), (1...3650).contains(days) {
                expiry = Timestamp(milliseconds: RelationalStore.systemClock().milliseconds + Int64(days) * 86_400_000)
            } else {
                do { expiry = try Timestamp(iso: expires, field: "expires") } catch {
                    throw InputFailure(message: "--expires: \"\(expires)\" is neither an ISO 8601 time (2027-01-01T00:00:00Z) nor a number of days from 1d to 3650d")
                }
            }
        }
        let store = try await Context.store(options)
        do {
            let (token, secret) = try await store.createToken(role: r, party: party, expires: expiry)
            if options.json {
                Context.printJSON(.object(["id": .string(token.id), "role": .string(r.rawValue), "token": .string(secret)]))
            } else {
                print(secret)
                FileHandle.standardError.write(Data("token \(token.id) (\(r.rawValue)\(party.map { " for \($0)" } ?? "")): shown once, only its hash is kept\n".utf8))
            }
        } catch let e as TokenError { throw InputFailure(message: e.message) }
    }
}

struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id.")
    @OptionGroup var options: GlobalOptions
    @Argument var id: String
    func run() async throws {
        do { try await Context.store(options).revokeToken(id: id) } catch let e as TokenError { throw InputFailure(message: e.message) }
        print("revoked \(id)")
    }
}

struct TokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (ids and roles; never secrets).")
    @OptionGroup var options: GlobalOptions
    func run() async throws {
        let tokens = try await Context.store(options).tokens()
        if options.json {
            Context.printJSON(.array(tokens.map { k in
                var m: [String: JSONValue] = ["id": .string(k.id), "role": .string(k.role.rawValue), "created": .string(k.created)]
                if let p = k.party { m["party"] = .string(p) }
                if let r = k.revoked { m["revoked"] = .string(r) }
                if let e = k.expires { m["expires"] = .string(e) }
                if let u = k.lastUsed { m["lastUsed"] = .string(u) }
                return .object(m)
            }))
            return
        }
        var t = TextTable("id", "role", "party", "created", "expires", "last used", "revoked")
        for k in tokens { t.add(k.id, k.role.rawValue, k.party ?? "", k.created, k.expires ?? "", k.lastUsed ?? "never", k.revoked ?? "") }
        print(t.render())
    }
}
