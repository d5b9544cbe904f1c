import ArgumentParser
import AssayDomain
import AssayIngest
import AssayStore
import Foundation

/// `assay`: the command-line tool of the registry.
///
/// Exit codes: 0 done; 1 the input was refused (the message names the file, line, field and why);
/// 2 the command line itself is wrong (usage).
struct Assay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "An open, verifiable registry and monitor for minerals-for-security agreements.",
        subcommands: [Init.self, Demo.self, Import.self, List.self, Show.self, CheckGrant.self, Report.self, Rebuild.self, Verify.self, Backup.self, Restore.self,
                      Proof.self, LogCommand.self, WitnessCommand.self, Serve.self, TokenCommand.self, Bench.self, Migrate.self,
                      KeyCommand.self, Sign.self, Trace.self, Ingest.self, Control.self, AgreementCommand.self, ReserveCommand.self, Timeline.self, Monitor.self, Export.self, Lookup.self]
    )
}

/// Options every command that touches the database takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The database: a SQLite file, or a PostgreSQL URL postgres://USER@HOST:PORT[,HOST:PORT…]/DATABASE.")
    var db: String = "./assay.sqlite"

    @Option(name: .customLong("read-db"), help: "PostgreSQL replicas to serve reads from (postgres://…); writes go to --db.")
    var readDb: String?

    @Flag(name: .long, help: "Print JSON for programs instead of tables.")
    var json = false

    @Option(name: .long, help: "The log's signing key file (default: the database path + .key). Created with mode 0600 with a new log.")
    var key: String?

    @Option(name: .long, help: "The log's origin (its name in checkpoints) when a new log is created.")
    var origin: String = "assay.local/registry"

    /// The key file: --key, or beside a SQLite file; for PostgreSQL (no file to sit beside) ./assay.key.
    var keyPath: String { key ?? (PostgresURL.isPostgres(db) ? "./assay.key" : db + ".key") }
}

/// The global options may also come before the command, as the usage line `assay [--db PATH] [--json]
/// COMMAND` shows: `assay --db x.sqlite list parties`, `assay --db x.sqlite --json report balance`.
/// ArgumentParser reads an option only after the command that declares it, so the options (and their
/// values, `--db x` or `--db=x`) found before the first command word are moved to just after the command's
/// words — when that command takes the global options; otherwise the command line is refused (exit 2).
enum LeadingGlobalOptions {
    /// The global options that take a value, and the one flag.
    static let valued: Set<String> = ["--db", "--read-db", "--key", "--origin"]
    static let flags: Set<String> = ["--json"]

    /// Global options before a command that cannot take them, or before no command at all.
    struct Misplaced: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The arguments (without the program name) with any leading global options moved after the command.
    static func rearrange(_ arguments: [String]) throws(Misplaced) -> [String] {
        var leading: [String] = [], names: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if flags.contains(a) {
                leading.append(a); names.append(a); i += 1
            } else if valued.contains(a) {
                guard i + 1 < arguments.count else { throw Misplaced(message: "\(a) needs a value, then the command: assay \(a) VALUE COMMAND …") }
                leading += [a, arguments[i + 1]]; names.append(a); i += 2
            } else if let eq = a.firstIndex(of: "="), valued.contains(String(a[..<eq])) {
                leading.append(a); names.append(String(a[..<eq])); i += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        let given = names.joined(separator: ", ")
        // Follow the command's words down the tree of subcommands.
        var command: any ParsableCommand.Type = Assay.self
        var path: [String] = []
        var end = i
        while end < arguments.count,
              let sub = command.configuration.subcommands.first(where: { $0._commandName == arguments[end] || $0.configuration.aliases.contains(arguments[end]) }) {
            command = sub
            path.append(arguments[end])
            end += 1
        }
        guard !path.isEmpty else {
            let next = i < arguments.count ? "; \"\(arguments[i])\" is not a command" : ""
            throw Misplaced(message: "\(given) must be followed by a command (assay [--db PATH] [--json] COMMAND …)\(next)")
        }
        let name = "assay " + path.joined(separator: " ")
        if !command.configuration.subcommands.isEmpty {
            // A group: its default command, if it has one, takes what follows.
            guard let byDefault = command.configuration.defaultSubcommand else {
                throw Misplaced(message: "`\(name)` needs one of its commands: \(command.configuration.subcommands.map { $0._commandName }.joined(separator: ", "))")
            }
            command = byDefault
        }
        guard takesGlobalOptions(command) else {
            throw Misplaced(message: "`\(name)` does not take the global options (\(given)); give its own options after it (see `\(name) --help`)")
        }
        return Array(arguments[i..<end]) + leading + Array(arguments[end...])
    }

    /// Whether the command declares `@OptionGroup var …: GlobalOptions` (read from its definition, as ArgumentParser does).
    static func takesGlobalOptions(_ command: any ParsableCommand.Type) -> Bool {
        Mirror(reflecting: command.init()).children.contains { $0.value is OptionGroup<GlobalOptions> }
    }
}

@main
enum Main {
    static func main() async {
        let arguments: [String]
        do { arguments = try LeadingGlobalOptions.rearrange(Array(CommandLine.arguments.dropFirst())) } catch {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            exit(2)
        }
        do {
            var command = try Assay.parseAsRoot(arguments)
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let failure as InputFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            exit(1)
        } catch {
            let code = Assay.exitCode(for: error)
            if code == .success {
                Assay.exit(withError: error)
            }
            let message = Assay.fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // Usage errors (ArgumentParser's validation failures) exit 2; others keep their code.
            exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// Input the tool refused: printed to standard error, exit code 1.
struct InputFailure: Error {
    var message: String
}
