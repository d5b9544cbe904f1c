import ArgumentParser
import AssayDomain
import AssayReports
import AssayStore
import Foundation

/// `assay reserve show ID`: a reserve's assets and their first-offer windows on a day.
struct ReserveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserve", abstract: "Reserves of assets and their first-offer windows.", subcommands: [ReserveShow.self])
}

struct ReserveShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "A reserve's assets and each offer's window on a day: open (until when), accepted, refused or lapsed — by the registry's clock.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The reserve's id.") var id: String
    @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD; default today).") var asOf: String?
    @Flag(name: .customLong("public"), help: "Show it as the public sees it (a confidential reserve: only the assets offered so far).")
    var asPublic = false

    func run() async throws {
        let day = try Report.day(asOf)
        guard let v = try await Context.store(options).reserveView(id, as: asPublic ? .public : .registrar) else {
            throw InputFailure(message: "no reserve \"\(id)\"")
        }
        if options.json { Context.printJSON(ReserveReport.json(v, on: day)); return }
        print("\(v.reserve.title) (\(v.reserve.id), under \(v.reserve.agreement))\(v.reserve.designated.map { ", designated \($0.iso)" } ?? "")")
        print("windows of \(v.reserve.windowMonths) months, renewable \(v.reserve.renewals) time(s); as of \(day.iso)")
        if v.reserve.confidential {
            print("confidential: \(v.assetCount) assets; the log holds hash \(v.sealedHash ?? "—") and one commitment per asset"
                  + (v.redacted ? "; shown: the \(v.reserve.assets.count) offered so far" : ""))
        }
        var t = TextTable("asset", "minerals", "offer", "beneficiary", "opens", "state")
        for a in v.reserve.assets {
            let minerals = a.minerals.sorted.map(\.rawValue).joined(separator: ", ")
            let windows = v.windows[a.id] ?? []
            if windows.isEmpty { t.add(a.id, minerals, "—", "—", "—", "free to offer") }
            for w in windows {
                let state: String = switch w.state(on: day) {
                case .open(let last): "open until \(last.iso)"
                case .accepted(let d): "accepted \(d.iso)"
                case .refused(let d): "refused \(d.iso)"
                case .lapsed(let d): "lapsed \(d.iso)"
                }
                t.add(a.id, minerals, w.offer.id, w.offer.beneficiary, w.offer.opens.iso, state + (w.renewalsUsed > 0 ? " (renewed \(w.renewalsUsed)×)" : ""))
            }
        }
        print(t.render())
    }
}
