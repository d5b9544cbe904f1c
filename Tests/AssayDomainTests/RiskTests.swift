import Foundation
import Testing
@testable import AssayDomain

@Suite("Control of the ground, red flags and supply at risk (pure)")
struct RiskTests {
    static func day(_ s: String) -> Day { try! Day(iso: s) }

    static func entry(_ id: String, _ cells: CellSet, from: String, until: String? = nil, kind: ControllerKind = .nonState,
                      confidence: Confidence = .high) -> ControlEntry {
        ControlEntry(id: id, controller: kind == .nonState ? "afc-m23" : "fardc", kind: kind,
                     period: try! Period(from: day(from), until: until.map(day)), confidence: confidence,
                     sources: ["https://example.org/\(id)"], citation: nil, recordedSequence: 1, recordedDay: day("2026-01-01"), cells: cells)
    }

    @Test func aCircleCoversAboutPiRSquaredAndItsCentre() throws {
        let cells = Area.circleCells(latitude: -1.5782, longitude: 28.8889, radiusKm: 10)
        // 30″ cells are about 0.926 km on a side at the equator: π·10² / 0.857 ≈ 367 cells.
        #expect((330...400).contains(cells.count), "\(cells.count)")
        #expect(cells.contains(try CellGrid.cell(latitude: -1.5782, longitude: 28.8889)))
        #expect(cells.contains(try CellGrid.cell(latitude: -1.5782 + 0.08, longitude: 28.8889)))   // 8.9 km north: inside
        #expect(!cells.contains(try CellGrid.cell(latitude: -1.5782 + 0.1, longitude: 28.8889)))   // 11.1 km north: outside
        let parsed = try Area(json: JSONObject(JSONParser.parse(#"{"circle":{"latitude":"-1.5782","longitude":"28.8889","radiusKm":"10"}}"#), path: "area"))
        #expect(try parsed.resolve(in: Geography(country: "CD", provinces: [])) == cells)
        #expect(throws: DomainError.self) { try Area(json: JSONObject(JSONParser.parse(#"{"circle":{"latitude":"-1","longitude":"28","radiusKm":"0"}}"#), path: "area")) }
    }

    @Test func whoHeldACellOnADay() throws {
        let rubaya = Area.circleCells(latitude: -1.5782, longitude: 28.8889, radiusKm: 8)
        let walikale = Area.circleCells(latitude: -1.41, longitude: 28.0461, radiusKm: 8)
        let map = ControlMap([Self.entry("rubaya", rubaya, from: "2024-04-30"), Self.entry("walikale", walikale, from: "2025-03-19", until: "2025-04-04"),
                              Self.entry("fardc-rubaya", rubaya, from: "2023-01-01", until: "2024-04-30", kind: .state, confidence: .medium)])
        let cell = try CellGrid.cell(latitude: -1.5782, longitude: 28.8889)
        #expect(map.holders(cell: cell, on: Self.day("2024-04-29")).map(\.id) == ["fardc-rubaya"])
        #expect(map.holders(cell: cell, on: Self.day("2024-04-30")).map(\.id) == ["rubaya"])   // half-open periods hand over cleanly
        #expect(map.nonStateHolder(cell: cell, on: Self.day("2024-04-29")) == nil)
        let w = try CellGrid.cell(latitude: -1.41, longitude: 28.0461)
        #expect(map.nonStateHolder(cell: w, on: Self.day("2025-03-25"))?.id == "walikale")
        #expect(map.nonStateHolder(cell: w, on: Self.day("2025-04-04")) == nil)
        #expect(map.entries(covering: w).map(\.id) == ["walikale"])
        #expect(map.holders(cell: try CellGrid.cell(latitude: -4.3, longitude: 15.3), on: Self.day("2025-01-01")).isEmpty)
    }

    @Test func lotsAreFlaggedByOriginRouteVisitsAndConflict() throws {
        let rubayaCell = try CellGrid.cell(latitude: -1.5782, longitude: 28.8889)
        let gomaCell = try CellGrid.cell(latitude: -1.6741, longitude: 29.2285)
        let map = ControlMap([Self.entry("rubaya", Area.circleCells(latitude: -1.5782, longitude: 28.8889, radiusKm: 8), from: "2024-04-30"),
                              Self.entry("goma", Area.circleCells(latitude: -1.6741, longitude: 29.2285, radiusKm: 12), from: "2025-01-27")])
        let visit = SiteVisit(id: "v1", site: "rubaya", date: Self.day("2023-06-01"), armed: [
            ArmedPresence(name: "Groupe X", type: "Groupe armé local", activities: [.taxation, .digging]),
            ArmedPresence(name: "FARDC", type: "FARDC - Éléments indisciplinés", activities: [.entranceTaxation]),
        ], childLabour: true)
        let battle = ConflictEvent(id: "DRC1", date: Self.day("2024-03-20"), type: "Battles", subType: "Armed clash", actor1: "M23",
                                   latitude: Decimal(string: "-1.60")!, longitude: Decimal(string: "28.90")!, fatalities: 3)
        let context = RiskContext(visits: ["rubaya": [visit]], conflicts: [battle])
        // Extracted before the capture: no control flag, but the visit and the battle 3 km away count.
        let before = RiskScreener.screen(ScreenLot(lot: "L1", origins: [("rubaya", rubayaCell, Self.day("2024-04-01"))], route: []), map: map, context: context)
        #expect(Set(before.map(\.rule)) == [.originArmedInterference, .stateForcesIllegalTaxation, .worstFormsOfLabour, .conflictNearSite])
        #expect(before.first { $0.rule == .stateForcesIllegalTaxation }?.rule.response == .mitigate)
        // After: the origin is on held ground (disengage), and the route through Goma after 27 Jan 2025 (suspend).
        let after = RiskScreener.screen(ScreenLot(lot: "L2", origins: [("rubaya", rubayaCell, Self.day("2025-02-01"))],
                                                  route: [("goma", gomaCell, Self.day("2025-02-03"))]), map: map, context: RiskContext())
        #expect(after.map(\.rule) == [.originNonStateControl, .routeNonStateControl])
        #expect(after[0].rule.response == .disengage && after[1].rule.response == .suspend)
        #expect(after[0].cause == "rubaya" && after[0].since == Self.day("2026-01-01") && after[0].evidence["source"] == "https://example.org/rubaya")
        #expect(RiskScreener.controlHits(ScreenLot(lot: "L2", origins: [("rubaya", rubayaCell, Self.day("2025-02-01"))], route: []), map: map) == 1)
    }

    @Test func supplyAtRiskMovesWithControlAndHalts() throws {
        let bisie = SupplySite(id: "bisie", cell: try CellGrid.cell(latitude: -1.033, longitude: 27.744), capacities: [.tin: 17300])
        let rubaya = SupplySite(id: "rubaya", cell: try CellGrid.cell(latitude: -1.5782, longitude: 28.8889), capacities: [.tantalum: 1440])
        let map = ControlMap([Self.entry("rubaya", Area.circleCells(latitude: -1.5782, longitude: 28.8889, radiusKm: 8), from: "2024-04-30")])
        let statuses = ["bisie": [SiteStatus(site: "bisie", date: Self.day("2025-03-13"), status: .halted),
                                  SiteStatus(site: "bisie", date: Self.day("2025-04-09"), status: .operating)]]
        let s = SupplyRisk.monthly(sites: [bisie, rubaya], statuses: statuses, map: map, from: Self.day("2024-03-01"), months: 15)
        let ta = try #require(s[.tantalum]), tin = try #require(s[.tin])
        #expect(ta[0].heldTonnes == 0 && ta[1].heldTonnes == 1440 && ta[1].heldSites == ["rubaya"])   // April 2024: captured on the 30th
        #expect(tin.map(\.haltedTonnes) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17300, 17300, 0])    // March and April 2025
        #expect(tin.allSatisfy { $0.totalTonnes == 17300 && $0.heldTonnes == 0 })
        let share = SupplyRisk.heldShare(of: Area.circleCells(latitude: -1.5782, longitude: 28.8889, radiusKm: 16), on: Self.day("2025-01-01"), map: map)
        #expect(share.share > 0.2 && share.share < 0.3, "\(share)")   // an 8 km disc in a 16 km one: a quarter
    }
}
