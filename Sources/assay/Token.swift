import ArgumentParser
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

    func run() async throws {
        guard let r = Role(rawValue: role), r != .public else {
            throw InputFailure(message: "--role: \"\(role)\" is not one of registrar, operator, auditor")
        }
        let store = try Context.store(options)
        do {
            let (token, secret) = try await store.createToken(role: r, party: party)
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
        var t = TextTable("id", "role", "party", "created", "revoked")
        for k in try await Context.store(options).tokens() { t.add(k.id, k.role.rawValue, k.party ?? "", k.created, k.revoked ?? "") }
        print(t.render())
    }
}
