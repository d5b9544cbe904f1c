import PropertyBased
import Testing
@testable import AssayDomain

@Suite("The cadastral grid")
struct GridTests {
    @Test func pointToCellIsTheCellWhoseEdgesHoldThePoint() async {
        await propertyCheck(count: 300, input: Gen.double(in: -89.99...89.99), Gen.double(in: -179.99...179.99)) { lat, lon in
            let cell = try CellGrid.cell(latitude: lat, longitude: lon)
            let (row, col) = CellGrid.rowColumn(cell)
            let south = -90 + Double(row) / 120, west = -180 + Double(col) / 120
            #expect(lat >= south - 1e-9 && lat < south + 1.0 / 120 + 1e-9)
            #expect(lon >= west - 1e-9 && lon < west + 1.0 / 120 + 1e-9)
            let centre = CellGrid.centre(cell)
            #expect(try CellGrid.cell(latitude: centre.latitude, longitude: centre.longitude) == cell)
        }
    }

    @Test func rejectsImpossibleCoordinates() {
        #expect(throws: DomainError.self) { try CellGrid.cell(latitude: 91, longitude: 0) }
        #expect(throws: DomainError.self) { try CellGrid.cell(latitude: .nan, longitude: 0) }
    }

    @Test func cellAreaIsAbout85HectaresNearTheEquator() throws {
        let cell = try CellGrid.cell(latitude: -4.3, longitude: 15.3)
        let ha = CellGrid.hectares(of: cell)
        #expect(ha > 84 && ha < 86)
        // Towards the poles cells shrink with the cosine of latitude.
        #expect(CellGrid.hectares(of: try CellGrid.cell(latitude: 60, longitude: 0)) < ha / 1.9)
    }

    static let smallIDs = Gen.uint32(in: 0...400).array(of: 0...60)

    @Test func setOperationsAgreeWithSwiftSets() async {
        await propertyCheck(count: 300, input: Self.smallIDs, Self.smallIDs) { a, b in
            let x = CellSet(ids: a), y = CellSet(ids: b)
            let sa = Set(a), sb = Set(b)
            #expect(x.count == sa.count)
            #expect(Set(x.intersection(y).ids) == sa.intersection(sb))
            #expect(x.intersection(y) == y.intersection(x))
            #expect(x.intersects(y) == !sa.isDisjoint(with: sb))
            #expect(Set(x.union(y).ids) == sa.union(sb))
            #expect(CellSet(blob: x.blob) == x)
            for id in a.prefix(5) { #expect(x.contains(id)) }
            // A set's probes always reach the keys of any set it shares a cell with (the collision index relies on it).
            if x.intersects(y) {
                let probes = BucketIndex.probes(for: y)
                #expect(BucketIndex.keys(for: x).contains { k in probes.contains { $0.contains(k) } })
            }
        }
    }

    @Test func bucketIndexFindsOverlapsAtEveryScale() async {
        // Sets of very different sizes, placed anywhere around one point: large ones are indexed coarsely.
        await propertyCheck(count: 200, input: Gen.int(in: 1...3000), Gen.int(in: 1...3000), Gen.int(in: -50...50), Gen.int(in: -50...50)) { w1, w2, dr, dc in
            func square(_ side: Int, _ r0: Int, _ c0: Int) -> CellSet {
                CellSet(ranges: (0..<min(side, 400)).map { CellGrid.id(row: r0 + $0, column: c0)...CellGrid.id(row: r0 + $0, column: c0 + side - 1) })
            }
            let a = square(w1, 10_000, 20_000), b = square(w2, 10_000 + dr, 20_000 + dc)
            #expect(BucketIndex.keys(for: a).count <= 16)
            if a.intersects(b) {
                let probes = BucketIndex.probes(for: b)
                #expect(BucketIndex.keys(for: a).contains { k in probes.contains { $0.contains(k) } })
            }
        }
    }

    @Test func rangesAreNormalised() {
        let s = CellSet(ranges: [5...9, 1...3, 4...4, 20...22, 21...30])
        #expect(s.ranges == [1...9, 20...30])
        #expect(s.count == 20)
        #expect(CellSet(blob: [1, 0, 0, 0]) == nil)
    }

    @Test func cellsJSONValidatesEveryID() throws {
        let ok = try CellSet(json: [[10, 12], 40], field: "cells")
        #expect(ok.ids == [10, 11, 12, 40])
        #expect {
            _ = try CellSet(json: [[12, 10]], field: "area.cells")
        } throws: { ($0 as? DomainError)?.field == "area.cells[0]" }
        #expect {
            _ = try CellSet(json: [[1, 2], [3, .string("x")]], field: "cells")
        } throws: { ($0 as? DomainError)?.field == "cells[1][1]" }
        #expect(throws: DomainError.self) { try CellSet(json: [.int(Int64(CellGrid.cellCount))], field: "cells") }
    }

    @Test func rasterisesARectangleToExactlyItsCells() {
        // 0.1° × 0.05° at the equator: 12 columns × 6 rows of centres inside.
        let rect = Polygon(rings: [[(10.0, 0.0), (10.1, 0.0), (10.1, 0.05), (10.0, 0.05), (10.0, 0.0)]])
        let cells = Rasterizer.cells(of: [rect])
        #expect(cells.count == 72)
        for id in cells.ids {
            let c = CellGrid.centre(id)
            #expect(rect.contains(latitude: c.latitude, longitude: c.longitude))
        }
    }

    @Test func leavesHolesOutAndUnitesMultipolygons() {
        let outer: [(lon: Double, lat: Double)] = [(0, 0), (1, 0), (1, 1), (0, 1)]
        let hole: [(lon: Double, lat: Double)] = [(0.25, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75)]
        let withHole = Rasterizer.cells(of: [Polygon(rings: [outer, hole])])
        #expect(withHole.count == 120 * 120 - 60 * 60)
        let inHole = try? CellGrid.cell(latitude: 0.5, longitude: 0.5)
        #expect(inHole.map { !withHole.contains($0) } ?? false)
        let second = Polygon(rings: [[(2, 0), (2.5, 0), (2.5, 0.5), (2, 0.5)]])
        let both = Rasterizer.cells(of: [Polygon(rings: [outer]), second])
        #expect(both.count == 120 * 120 + 60 * 60)
        #expect(abs(both.hectares - withHole.hectares - 2 * 60 * 60 * 85.3) < 60 * 60 * 2)
    }

    @Test func randomTrianglesContainExactlyTheCellsWhoseCentresAreInside() async {
        await propertyCheck(count: 60, input: Gen.double(in: 0...0.3).array(of: 6)) { xs in
            let tri = Polygon(rings: [[(xs[0], xs[1]), (xs[2], xs[3]), (xs[4], xs[5])]])
            let cells = Set(Rasterizer.cells(of: [tri]).ids)
            for row in 10800..<(10800 + 40) {
                for col in 21600..<(21600 + 40) {
                    let id = CellGrid.id(row: row, column: col)
                    let c = CellGrid.centre(id)
                    #expect(cells.contains(id) == tri.contains(latitude: c.latitude, longitude: c.longitude))
                }
            }
        }
    }

    @Test func boundingBoxOfCells() throws {
        let a = try CellGrid.cell(latitude: -10.5, longitude: 26.2)
        let s = CellSet(ids: [a, a + 2, a + UInt32(CellGrid.columns)])
        let box = try #require(s.boundingBox)
        #expect(abs(box.west - (-180 + Double(CellGrid.rowColumn(a).column) / 120)) < 1e-9)
        #expect(abs((box.east - box.west) - 3.0 / 120) < 1e-9)
        #expect(abs((box.north - box.south) - 2.0 / 120) < 1e-9)
    }
}
