import ArgumentParser
import AssayDomain
import AssayStore
import Foundation

/// `assay check-grant FILE`: would this grant collide? Writes nothing.
struct CheckGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-grant",
        abstract: "Dry run: would this grant collide with rights already given? Writes nothing.",
        discussion: "FILE holds one record-grant command as JSON (\"type\" may be left out). Exit 0 when it would be accepted, 1 when it would collide or is invalid.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A JSON file with the grant.") var file: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw InputFailure(message: "\(file): cannot read the file") }
        let name = (file as NSString).lastPathComponent
        var value: JSONValue
        do { value = try JSONParser.parse([UInt8](data)) } catch { throw InputFailure(message: "\(name): \(error)") }
        if case .object(var m) = value, m["type"] == nil { m["type"] = "record-grant"; value = .object(m) }
        let grant: Grant
        do {
            guard case .recordGrant(let g) = try Command(json: value) else {
                throw InputFailure(message: "\(name): type: expected record-grant")
            }
            grant = g
        } catch let e as DomainError { throw InputFailure(message: "\(name): \(e)") }
        let store = try await Context.store(options)
        let result: DryRunResult
        do { result = try await store.dryRun(grant) } catch let e as DomainError { throw InputFailure(message: "\(name): \(e)") }
        if options.json {
            Context.printJSON(.object(["collides": .bool(!result.collisions.isEmpty), "cells": .int(Int64(result.cellCount)),
                                       "hectares": .int(Int64(result.hectares.rounded())), "collisions": .array(result.collisions.map(\.json))]))
        } else if result.collisions.isEmpty {
            print("\(grant.id): no collision (\(result.cellCount) cells, \(Int(result.hectares.rounded())) ha)")
        } else {
            print("\(grant.id) would collide with \(result.collisions.count) existing right(s):")
            for c in result.collisions { print("  - \(c)") }
        }
        if !result.collisions.isEmpty { throw ExitCode(1) }
    }
}
