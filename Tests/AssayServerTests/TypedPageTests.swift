import AssayDomain
import AssayStore
import Foundation
import Hummingbird
import Testing
import TransparencyLog
@testable import AssayServer

/// Pages moved off Mustache render byte for byte as their templates did: every party, site and mining
/// title of the demo registry, in both languages and as the public and an auditor, through the typed
/// view and through the old `entity` template with the same data. Also a value full of markup, to show
/// the one escaping function escapes what `{{ }}` escaped.
@Suite("Typed pages render as their templates did")
struct TypedPageTests {
    func viaTemplate(_ view: EntityView, _ lang: Language, _ title: String) throws -> String {
        try PortalTemplateOracle.render("entity", view.templateData, language: lang, title: title)
    }

    @Test func everyEntityPageOfTheDemoMatchesTheTemplate() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let r = try await store.registry()
        var compared = 0
        for lang in Language.allCases {
            for role in [Role.public, .auditor] {
                // Every party, not only those the snapshot holds (the ones its relations name).
                for p in try await store.list(.party, after: nil, limit: 10_000) {
                    let (v, title) = try await EntityPages.partyView(p.id, lang: lang, role: role, store: store)
                    #expect(v.render(language: lang, title: title).output == (try viaTemplate(v, lang, title)), "party \(p.id)")
                    compared += 1
                }
                for s in r.sites.prefix(120) {
                    let (v, title) = try await EntityPages.siteView(s.id, lang: lang, role: role, store: store)
                    #expect(v.render(language: lang, title: title).output == (try viaTemplate(v, lang, title)), "site \(s.id)")
                    compared += 1
                }
                for c in r.concessions {
                    let (v, title) = try await EntityPages.concessionView(c.id, lang: lang, role: role, store: store)
                    #expect(v.render(language: lang, title: title).output == (try viaTemplate(v, lang, title)), "title \(c.id)")
                    compared += 1
                }
            }
        }
        #expect(compared > 500)
    }

    @Test func theOverviewAndTheAgreementListMatchTheirTemplates() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        for lang in Language.allCases {
            for role in [Role.public, .auditor] {
                let o = try await Portal.overview(role: role, store: store, language: lang)
                #expect(o.recent.count == 10 && o.agreementCount > 0)
                #expect(o.render(language: lang, title: lang["overview"]).output
                        == (try PortalTemplateOracle.render("overview", o.templateData, language: lang, title: lang["overview"])))
                let a = try await Portal.agreementList(role: role, store: store, language: lang)
                #expect(a.items.count == o.agreementCount)
                #expect(a.render(language: lang, title: lang["agreements"]).output
                        == (try PortalTemplateOracle.render("agreements", a.templateData, language: lang, title: lang["agreements"])))
            }
        }
    }

    @Test func theListsAndSearchMatchTheirTemplates() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        for lang in Language.allCases {
            for role in [Role.public, .auditor] {
                for (kind, title) in [(EntityKind.party, lang["parties"]), (.site, lang["sites"]), (.concession, lang["concessions"])] {
                    var list = try await EntityPages.entityList(kind, after: nil, lang: lang, role: role, store: store)
                    #expect(list.items.count >= 5)
                    list.next = nil
                    #expect(list.render(language: lang, title: title).output == (try PortalTemplateOracle.render("entityList", list.templateData, language: lang, title: title)))
                }
                for q in ["cobalt", "kisanfu", "", "<b>&'\""] {
                    let v = try await Portal.search(q, lang: lang, role: role, store: store)
                    #expect(v.render(language: lang, title: lang["search"]).output == (try PortalTemplateOracle.render("search", v.templateData, language: lang, title: lang["search"])))
                }
            }
            let lots = try await LotPages.lotList(store, language: lang)
            #expect(lots.items.count > 5 && lots.items.contains { $0.flagged })
            #expect(lots.render(language: lang, title: lang["lots"]).output == (try PortalTemplateOracle.render("lots", lots.templateData, language: lang, title: lang["lots"])))
        }
    }

    /// The site list pages through every site once, 200 a page, following its "next page" links.
    @Test func listsPageWithACursorAndVisitEverySiteOnce() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let all = try await store.registry().sites.map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var seen: [String] = []
        var after: String?
        var pages = 0
        repeat {
            let page = try await EntityPages.entityList(.site, after: after, lang: .en, role: .public, store: store)
            #expect(page.items.count <= EntityPages.listPageSize)
            seen += page.items.map { String($0.href.dropFirst("/sites/".count).prefix { $0 != "?" }) }
            pages += 1
            guard let next = page.next else { break }
            #expect(page.render(language: .en, title: "Sites").output.contains(#"<a id="next" rel="next" href=""#))
            after = seen.last
            #expect(next.href.hasPrefix("/sites?after="))
        } while pages < 100
        #expect(seen == all, "pages: \(pages)")
        #expect(pages == (all.count + EntityPages.listPageSize - 1) / EntityPages.listPageSize + (all.count % EntityPages.listPageSize == 0 ? 1 : 0))
    }

    @Test func everyAgreementPageMatchesTheTemplate() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let r = try await store.registry()
        var contested = 0, flagged = 0
        for lang in Language.allCases {
            for role in [Role.public, .auditor] {
                for a in r.agreements {
                    let v = try await Portal.agreementView(id: a.id, lang: lang, role: role, store: store)
                    contested += v.grants.filter { $0.contested != nil }.count
                    flagged += v.riskFlags.count
                    #expect(v.render(language: lang).output == (try PortalTemplateOracle.render("agreement", v.templateData, language: lang, title: v.title)), "agreement \(a.id)")
                    if a.signed == nil { #expect(!v.render(language: lang).output.contains(lang["signed"] + " \n"), "an unsigned agreement shows no signing date label") }
                }
            }
        }
        #expect(contested > 0 && flagged > 0, "the demo has contested grants and flags to render")
    }

    /// Pages moved off templates last: every lot's buyer report, supply, the log page and journal entries
    /// (the first, a custody event, the last). The map was redrawn on purpose since (``MapPageTests``).
    @Test func lotSupplyLogAndEntryPagesMatchTheirTemplates() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let lots = try await store.lots(after: nil, limit: 1000)
        #expect(lots.count > 5)
        var flagged = 0, untraced = 0
        for lang in Language.allCases {
            for l in lots {
                let v = try await LotPages.lotView(id: l.id, language: lang, store: store)
                flagged += v.flags.isEmpty ? 0 : 1
                untraced += v.origins.filter(\.untraced).count
                let title = "\(lang["lot"]) \(v.id)"
                #expect(v.render(language: lang, title: title).output == (try PortalTemplateOracle.render("lot", v.templateData, language: lang, title: title)), "lot \(l.id)")
            }
            let supply = try await Portal.supplyView(lang: lang, store: store)
            #expect(!supply.charts.isEmpty && !supply.coverage.isEmpty)
            #expect(supply.render(language: lang, title: lang["supply"]).output == (try PortalTemplateOracle.render("supply", supply.templateData, language: lang, title: lang["supply"])))
            let log = LogPageView(checkpoint: store.latestCheckpoint()?.serialized ?? "—", vkey: store.verifierKey, base: "http://127.0.0.1:8080")
            #expect(log.render(language: lang, title: lang["log"]).output == (try PortalTemplateOracle.render("log", log.templateData, language: lang, title: lang["log"])))
            let size = store.publishedSize
            for seq in [Int64(1), Int64(size / 2), Int64(size)] {
                let (entry, bytes) = try #require(try await store.entry(seq))
                let (proof, _) = try store.inclusionProof(index: Int(seq) - 1, size: size)
                let v = EntryPageView(seq: seq, type: entry.command.kind.rawValue, subject: entry.command.subjectID, time: entry.time.iso,
                                      author: entry.author, leaf: MerkleHasher.leaf(bytes).hex, bytes: String(decoding: bytes, as: UTF8.self),
                                      index: seq - 1, size: size, proof: proof.map(\.hex), root: "00ff", checkpoint: "cp\n<&>")
                #expect(v.render(language: lang, title: "#\(seq)").output == (try PortalTemplateOracle.render("entry", v.templateData, language: lang, title: "#\(seq)")), "entry \(seq)")
            }
        }
        #expect(flagged > 0 && untraced > 0, "the demo has flagged and untraced lots to render")
    }

    @Test func markupInValuesIsEscapedAsTheTemplateDid() throws {
        var v = EntityView()
        v.name = #"<script>alert("x") & 'y'</script>"#
        v.kindLabel = "a<b"
        v.synthetic = true
        v.facts = [.init(key: "k&", value: "\"quoted\"")]
        v.chain = "<svg id=\"ownership-chain\"></svg>"
        v.countries = [.init(country: "C<D", share: "50%")]
        v.collisions = ["x ⟷ <y>"]
        v.links = [.init(href: "/a?b=1&c=2", label: "L'abel")]
        v.riskFlags = [.init(rule: "r", response: "disengage", explanation: "held by <M23>")]
        v.control = [.init(text: "t&t", id: "c1")]
        v.visits = [.init(date: "2025-01-01", workers: "12", armed: "<none>", qualification: "'red'")]
        v.sources = ["https://example.org/?a=1&b=\"2\""]
        for lang in Language.allCases {
            let typed = v.render(language: lang, title: "T<i>tle").output
            #expect(typed == (try viaTemplate(v, lang, "T<i>tle")))
            #expect(!typed.contains("<script>") && typed.contains("&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"))
        }
    }
}

