import PropertyBased
import Testing
@testable import AssayDomain

@Suite("The exclusivity collision rule")
struct CollisionTests {
    static let block = CellSet(ranges: [100...109, 200...209])

    static func claim(_ id: String, _ kind: Claim.Kind, holder: String = "a", minerals: [Mineral] = [.lithium],
                      cells: CellSet = block, from: String? = nil, until: String? = nil) -> Claim {
        Claim(id: id, kind: kind, holder: holder, minerals: MineralSet(minerals), cells: cells,
              period: Period(unchecked: from.flatMap { try? Day(iso: $0) }, until.flatMap { try? Day(iso: $0) }))
    }

    @Test func exclusiveCollidesWithEveryKindOfAnotherHolder() {
        for kind in Claim.Kind.allCases {
            let c = CollisionRule.collision(of: Self.claim("new", .exclusive, holder: "b"), with: Self.claim("old", kind))
            #expect(c != nil, "exclusive vs \(kind.rawValue)")
            #expect(c?.cellCount == 20)
        }
    }

    @Test(arguments: [
        (Claim.Kind.firstOffer, Claim.Kind.firstOffer, true),
        (.firstOffer, .nonExclusive, false),
        (.firstOffer, .concession, false),
        (.nonExclusive, .nonExclusive, false),
        (.nonExclusive, .concession, true),
        (.concession, .concession, true),
    ])
    func kindMatrix(a: Claim.Kind, b: Claim.Kind, collides: Bool) {
        #expect((CollisionRule.collision(of: Self.claim("x", a, holder: "b"), with: Self.claim("y", b)) != nil) == collides)
        #expect((CollisionRule.collision(of: Self.claim("y", b), with: Self.claim("x", a, holder: "b")) != nil) == collides)
    }

    @Test func sameBeneficiaryNeverCollides() {
        #expect(CollisionRule.collision(of: Self.claim("new", .exclusive), with: Self.claim("old", .exclusive)) == nil)
    }

    @Test func touchingPeriodsDoNotCollideButOverlappingOnesDo() {
        let old = Self.claim("old", .exclusive, from: "2020-01-01", until: "2025-01-01")
        #expect(CollisionRule.collision(of: Self.claim("new", .exclusive, holder: "b", from: "2025-01-01"), with: old) == nil)
        let c = CollisionRule.collision(of: Self.claim("new", .exclusive, holder: "b", from: "2024-06-01"), with: old)
        #expect(c?.period.text == "2024-06-01 → 2025-01-01")
    }

    @Test func differentMineralsOrCellsDoNotCollide() {
        let old = Self.claim("old", .exclusive)
        #expect(CollisionRule.collision(of: Self.claim("n", .exclusive, holder: "b", minerals: [.tin]), with: old) == nil)
        #expect(CollisionRule.collision(of: Self.claim("n", .exclusive, holder: "b", cells: CellSet(ranges: [110...199])), with: old) == nil)
        let partial = CollisionRule.collision(of: Self.claim("n", .exclusive, holder: "b", minerals: [.tin, .lithium], cells: CellSet(ranges: [105...150])), with: old)
        #expect(partial?.cellCount == 5)
        #expect(partial?.minerals.sorted == [.lithium])
    }

    @Test func collisionIsSymmetric() async {
        let gen = Gen.int(in: 0...11).array(of: 16)
        await propertyCheck(count: 500, input: gen) { v in
            func make(_ o: Int, _ id: String) -> Claim {
                let kind = Claim.Kind.allCases[v[o] % 4]
                let start = UInt32(v[o + 1] * 3)
                let cells = CellSet(ranges: [start...(start + UInt32(v[o + 2]))])
                let from = v[o + 4] % 3 == 0 ? nil : Day(ordinal: Int32(v[o + 5] * 10))
                let until = v[o + 6] % 3 == 0 ? nil : Day(ordinal: Int32(v[o + 5] * 10 + 1 + v[o + 7] * 10))
                return Claim(id: id, kind: kind, holder: "h\(v[o + 3] % 3)", minerals: MineralSet(mask: UInt64(v[o + 3] % 7 + 1)),
                             cells: cells, period: Period(unchecked: from, until))
            }
            let a = make(0, "a"), b = make(8, "b")
            let ab = CollisionRule.collision(of: a, with: b), ba = CollisionRule.collision(of: b, with: a)
            #expect((ab == nil) == (ba == nil))
            #expect(ab?.cellCount == ba?.cellCount)
            #expect(ab?.period == ba?.period)
        }
    }
}
