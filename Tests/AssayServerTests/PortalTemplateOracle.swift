import Foundation
import Mustache
@testable import AssayServer

/// The Mustache templates the portal's pages were written with before they became typed views. Kept
/// here, with Mustache, only as the oracle the typed views must match byte for byte (``TypedPageTests``):
/// the server no longer carries a template engine.
enum PortalTemplateOracle {
    static let overview = """
    {{> header}}
    <h1>{{t.title}}</h1>
    <div class="figures">
    <div><strong>{{agreementCount}}</strong> {{t.agreements}}</div><div><strong>{{concessionCount}}</strong> {{t.concessions}}</div>
    <div><strong>{{siteCount}}</strong> {{t.sites}}</div><div><strong>{{entryCount}}</strong> {{t.entries}}</div>
    </div>
    <h2>{{t.agreements}} · {{t.status}}</h2>
    <ul id="by-status">{{#byStatus}}<li>{{status}}: {{count}}</li>{{/byStatus}}</ul>
    <h2>{{t.latest_checkpoint}}</h2><pre id="checkpoint">{{checkpoint}}</pre>
    <h2>{{t.recent}}</h2>
    <table id="recent"><tr><th>#</th><th>{{t.kind}}</th><th>{{t.id}}</th><th>UTC</th></tr>
    {{#recent}}<tr><td><a href="/log/entries/{{seq}}?lang={{lang}}">{{seq}}</a></td><td>{{type}}</td><td>{{subject}}</td><td>{{time}}</td></tr>{{/recent}}</table>
    {{> footer}}
    """

    static let agreements = """
    {{> header}}
    <h1>{{t.agreements}}</h1>
    <table id="agreements"><tr><th>{{t.agreements}}</th><th>{{t.kind}}</th><th>{{t.status}}</th><th>{{t.signed}}</th></tr>
    {{#items}}<tr><td><a href="/agreements/{{id}}?lang={{lang}}">{{title}}</a></td><td>{{kind}}</td><td><span class="pill">{{status}}</span></td><td>{{signed}}</td></tr>{{/items}}
    </table>
    {{> footer}}
    """

    static let agreement = """
    {{> header}}
    <h1>{{title}}</h1>
    {{{miniMap}}}<p><span class="pill">{{kind}}</span> <span class="pill">{{status}}</span> {{#signed}}{{t.signed}} {{signed}}{{/signed}}
    {{#supersededBy}} — superseded by <a href="/agreements/{{supersededBy}}?lang={{lang}}">{{supersededBy}}</a>{{/supersededBy}}</p>
    {{#summary}}<h2>{{t.summary}}</h2><p>{{summary}}</p>{{/summary}}
    <h2>{{t.party_roles}}</h2><ul id="parties">{{#parties}}<li>{{name}} — {{role}}</li>{{/parties}}</ul>
    <p><a id="record" href="/timeline?agreement={{id}}&amp;lang={{lang}}">{{t.tl_record}}</a></p>
    {{#hasReserves}}<h2>{{t.rv_reserves}}</h2><ul id="reserves">{{#reserves}}<li><a href="/reserves/{{id}}?lang={{lang}}">{{title}}</a></li>{{/reserves}}</ul>
    {{/hasReserves}}{{#signatureTerms}}<h2>{{t.signatures}}</h2><p>{{t.signatures_rule}} <code>{{signatureTerms}}</code></p>
    <table id="signatures"><tr><th>{{t.signatory}}</th><th>{{t.key}}</th><th>{{t.signed_at}}</th><th>{{t.log_entry}}</th></tr>
    {{#signatures}}<tr class="{{#missing}}missing{{/missing}}"><td>{{party}}</td><td>{{key}}</td><td>{{time}}</td><td>{{entry}}</td></tr>{{/signatures}}</table>{{/signatureTerms}}
    <h2>{{t.grants}}</h2>
    <table id="grants"><tr><th>{{t.id}}</th><th>{{t.kind}}</th><th></th></tr>
    {{#grants}}<tr class="{{#contested}}contested{{/contested}}"><td>{{id}}</td><td>{{exclusivity}} · {{rights}} · {{minerals}} · {{area}}
    {{#synthetic}}<div class="synthetic">{{t.synthetic}}</div>{{/synthetic}}</td>
    <td>{{#contested}}<strong>{{t.contested}}</strong>: {{contested}}<ul>{{#collisions}}<li>{{t.collides_with}} {{text}}</li>{{/collisions}}</ul>{{/contested}}</td></tr>{{/grants}}
    </table>
    <h2>{{t.obligations}}</h2>
    <table id="obligations"><tr><th>{{t.id}}</th><th>{{t.kind}}</th><th>{{t.delivered}}</th></tr>
    {{#obligations}}<tr class="obligation"><td>{{id}}</td><td>{{obligor}} → {{beneficiary}} · {{kind}}<br>{{description}}
    {{#synthetic}}<div class="synthetic">{{t.synthetic}}</div>{{/synthetic}}</td>
    <td><span class="bar" role="progressbar" aria-valuenow="{{percent}}" aria-valuemin="0" aria-valuemax="100"><span style="width:{{barPercent}}%"></span></span> {{percent}}% {{promised}}
    {{#overdue}}<strong>{{t.overdue}}</strong>{{/overdue}}</td></tr>{{/obligations}}
    </table>
    {{#hasLinked}}<h2>{{t.ln_linked}}</h2>
    <table id="linked"><tr><th>{{t.agreements}}</th><th>{{t.obligations}}</th></tr>
    {{#linked}}<tr><td><a href="/agreements/{{id}}?lang={{lang}}">{{title}}</a><br><small>{{relation}} · {{status}}</small></td><td><ul>{{#obligations}}<li class="obligation">{{obligor}} → {{beneficiary}} · {{kind}}: {{description}} — {{percent}}% {{#overdue}}<strong>{{t.overdue}}</strong>{{/overdue}}</li>{{/obligations}}</ul></td></tr>
    {{/linked}}</table>
    {{/hasLinked}}{{#chart}}<h2>{{t.delivered}} / {{t.obligations}}</h2>{{{chart}}}{{/chart}}
    {{#hasRiskFlags}}<h2>{{t.flags}}</h2><ul id="risk-flags">{{#riskFlags}}<li class="flag-high"><code>{{rule}}</code> ({{response}}): {{explanation}}</li>{{/riskFlags}}</ul>{{/hasRiskFlags}}
    <h2>{{t.exposure}}</h2><table id="exposure"><tr><th>{{t.grant}}</th><th>{{t.held_area}}</th><th>{{t.held_capacity}}</th></tr>
    {{#exposure}}<tr><td>{{grant}}</td><td>{{share}}</td><td>{{capacity}}</td></tr>{{/exposure}}</table>
    <h2>{{t.sources}}</h2><ul class="sources">{{#sources}}<li><a href="{{href}}" rel="nofollow">{{publisher}}</a>{{#date}} · {{date}}{{/date}} <small>{{href}}</small></li>{{/sources}}</ul>
    {{> footer}}
    """

    static let log = """
    {{> header}}
    <h1>{{t.log}}</h1>
    <h2>{{t.latest_checkpoint}}</h2><pre id="checkpoint">{{checkpoint}}</pre>
    <h2>{{t.verifier_key}}</h2><pre id="vkey">{{vkey}}</pre>
    <h2>{{t.verify_offline}}</h2>
    <pre>curl -s {{base}}/log/checkpoint | assay log verify-note --vkey '{{vkey}}'
    assay proof ID -o entry.proof   # or download /log/proof/inclusion?id=ID
    assay log verify-proof entry.proof --vkey '{{vkey}}'</pre>
    {{> footer}}
    """

    static let entry = """
    {{> header}}
    <h1>{{t.entries}} #{{seq}}</h1>
    <table id="entry"><tr><th>{{t.kind}}</th><td>{{type}}</td></tr><tr><th>{{t.id}}</th><td>{{subject}}</td></tr>
    <tr><th>UTC</th><td>{{time}}</td></tr><tr><th>author</th><td>{{author}}</td></tr><tr><th>leaf</th><td><code>{{leaf}}</code></td></tr></table>
    <h2>Entry (canonical JSON)</h2><pre id="entry-bytes">{{bytes}}</pre>
    <h2>Inclusion proof · index {{index}} · size {{size}}</h2><pre id="proof">{{#proof}}{{.}}
    {{/proof}}</pre>
    <h2>{{t.latest_checkpoint}}</h2><pre>{{checkpoint}}</pre>
    <p>assay log verify-inclusion --leaf-hash {{leaf}} --index {{index}} --size {{size}} --root {{root}} --proof {{proofHex}}</p>
    {{> footer}}
    """

    static let supply = """
    {{> header}}
    <h1>{{t.supply}}</h1>
    <p>{{t.held_share}}. {{t.supply_how}}</p>
    {{#charts}}{{{svg}}}{{/charts}}
    <h2 id="owner-countries">{{t.chart_owners_heading}}</h2><p>{{t.chart_owners_how}}</p>
    {{#ownerCharts}}{{{svg}}}{{/ownerCharts}}
    <h2>{{t.cv_title}}</h2><p>{{t.cv_how}}</p>
    <table id="coverage"><tr><th>{{t.cv_mineral}}</th><th>{{t.cv_registered}}</th><th>{{t.cv_coverage}}</th><th>{{t.cv_not_registered}}</th></tr>
    {{#coverage}}<tr><td>{{mineral}}</td><td>{{registered}}</td><td>{{coverage}}</td><td>{{notRegistered}}</td></tr>{{/coverage}}</table>
    {{> footer}}
    """

    /// One party, site or title: its facts, the ownership chain drawn, owner-country shares, collisions.
    static let entity = """
    {{> header}}
    <h1>{{name}}</h1>
    {{{miniMap}}}<p><span class="pill">{{kindLabel}}</span> {{#synthetic}}<span class="synthetic">{{t.synthetic}}</span>{{/synthetic}}</p>
    <table id="facts">{{#facts}}<tr><th>{{key}}</th><td>{{value}}</td></tr>{{/facts}}</table>
    {{#chain}}<h2>{{t.owners}}</h2>{{{chain}}}
    <ul id="country-shares">{{#countries}}<li>{{country}}: {{share}}</li>{{/countries}}</ul>{{/chain}}
    {{#hasCollisions}}<h2>{{t.contested}}</h2><ul id="collisions">{{#collisions}}<li>{{.}}</li>{{/collisions}}</ul>{{/hasCollisions}}
    {{#hasLinks}}<ul>{{#links}}<li><a href="{{href}}">{{label}}</a></li>{{/links}}</ul>{{/hasLinks}}
    {{#hasRiskFlags}}<h2>{{t.flags}}</h2><ul id="risk-flags">{{#riskFlags}}<li class="flag-high"><code>{{rule}}</code> ({{response}}): {{explanation}}</li>{{/riskFlags}}</ul>{{/hasRiskFlags}}
    {{#hasControl}}<h2>{{t.control}}</h2><ul id="control">{{#control}}<li>{{text}} <code>{{id}}</code></li>{{/control}}</ul>{{/hasControl}}
    {{#hasVisits}}<h2>{{t.visits}}</h2><table id="visits"><tr><th>{{t.date}}</th><th>{{t.workers}}</th><th>{{t.armed}}</th><th>{{t.qualification}}</th></tr>
    {{#visits}}<tr><td>{{date}}</td><td>{{workers}}</td><td>{{armed}}</td><td>{{qualification}}</td></tr>{{/visits}}</table>{{/hasVisits}}
    <h2>{{t.sources}}</h2><ul class="sources">{{#sources}}<li><a href="{{href}}" rel="nofollow">{{publisher}}</a>{{#date}} · {{date}}{{/date}} <small>{{href}}</small></li>{{/sources}}</ul>
    {{> footer}}
    """

    static let entityList = """
    {{> header}}
    <h1>{{heading}}</h1>
    <table id="entities">{{#items}}<tr><td><a href="{{href}}">{{label}}</a></td><td>{{detail}}</td></tr>{{/items}}</table>
    {{> footer}}
    """

    static let search = """
    {{> header}}
    <h1>{{t.search}}: {{q}}</h1>
    <ul id="results">{{#results}}<li><a href="{{href}}">{{label}}</a> <span class="pill">{{kind}}</span></li>{{/results}}</ul>
    {{> footer}}
    """

    static let lots = """
    {{> header}}
    <h1>{{t.lots}}</h1>
    <table id="lots"><tr><th>{{t.lot}}</th><th>{{t.kind}}</th><th>{{t.mass}}</th><th>{{t.holder}}</th><th>{{t.status}}</th><th>{{t.flags}}</th></tr>
    {{#items}}<tr><td><a href="/lots/{{id}}?lang={{lang}}">{{id}}</a></td><td>{{mineral}} {{form}}</td><td>{{mass}}</td><td>{{holder}}</td><td>{{status}}</td><td>{{#flagged}}<span class="flag-high">⚑</span>{{/flagged}}</td></tr>{{/items}}
    </table>
    {{> footer}}
    """

    static let lot = """
    {{> header}}
    <h1>{{t.buyer_report}}: {{id}}</h1>
    {{#synthetic}}<p class="synthetic">{{t.synthetic}}</p>{{/synthetic}}
    <table id="facts">
    <tr><th>{{t.kind}}</th><td>{{mineral}} · {{form}}</td></tr><tr><th>{{t.mass}}</th><td>{{mass}} ({{t.grade}} {{grade}})</td></tr>
    <tr><th>{{t.holder}}</th><td>{{holder}}</td></tr><tr><th>{{t.status}}</th><td>{{status}} · {{location}}</td></tr>
    </table>
    <h2>{{t.origins}}</h2>
    <table id="origins"><tr><th>{{t.sites}}</th><th>%</th><th>{{t.mass}}</th><th>{{t.concessions}}</th></tr>
    {{#origins}}<tr><td><a href="/sites/{{siteId}}?lang={{lang}}">{{site}}</a></td><td>{{share}}</td><td>{{mass}}</td><td>{{#untraced}}<span class="bad">{{t.untraced}}</span>{{/untraced}}{{title}}</td></tr>{{/origins}}
    </table>
    <h2>{{t.lineage}}</h2>
    <div style="overflow-x:auto">{{{graph}}}</div>
    <h2>{{t.custody_chain}}</h2>
    <p id="signatures">{{#allVerified}}<span class="ok">✔ {{t.all_verified}}</span>{{/allVerified}}{{^allVerified}}<span class="bad">✘ {{t.not_verified}}</span>{{/allVerified}}</p>
    <table id="chain"><tr><th>UTC</th><th>{{t.event}}</th><th>{{t.kind}}</th><th>{{t.party}}</th><th>{{t.key}}</th><th>{{t.signature}}</th><th>{{t.lots}}</th><th>#</th></tr>
    {{#events}}<tr><td>{{time}}</td><td>{{id}}</td><td>{{kind}}</td><td>{{party}}</td><td>{{key}}</td><td>{{#verified}}<span class="ok">✔</span>{{/verified}}{{^verified}}<span class="bad">✘</span>{{/verified}}</td><td>{{lots}}</td><td><a href="/log/entries/{{seq}}?lang={{lang}}">{{seq}}</a></td></tr>{{/events}}
    </table>
    <h2>{{t.flags}}</h2>
    {{#hasFlags}}<ul id="flags">{{#flags}}<li class="flag-{{severity}}"><code>{{rule}}</code> ({{severityLabel}}) {{lot}}: {{explanation}}</li>{{/flags}}</ul>{{/hasFlags}}
    {{^hasFlags}}<p id="flags">{{t.no_flags}}</p>{{/hasFlags}}
    <h2>{{t.royalties}}</h2>
    <table id="royalties"><tr><th>{{t.lot}}</th><th>{{t.day}}</th><th>{{t.payer}}</th><th>%</th><th>{{t.due}}</th><th>{{t.status}}</th></tr>
    {{#royalties}}<tr><td>{{lot}}</td><td>{{day}}</td><td>{{payer}}</td><td>{{rate}}</td><td>{{due}}</td><td>{{status}}</td></tr>{{/royalties}}
    </table>
    <h2>{{t.proofs}}</h2>
    <p>{{t.proofs_how}} <a href="/api/v1/lots/{{id}}/report">JSON</a></p>
    <p>vkey: <code>{{vkey}}</code></p>
    <details><summary>{{t.proofs}}</summary>{{#proofs}}<h3>{{event}}</h3><pre>{{bundle}}</pre>{{/proofs}}<h3>checkpoint</h3><pre>{{checkpoint}}</pre></details>
    {{> footer}}
    """
}

extension PortalTemplateOracle {
    /// A template that does not compile, by name.
    struct TemplateError: Error, CustomStringConvertible {
        var name: String
        var error: any Error
        var description: String { "portal template \(name) does not compile: \(error)" }
    }

    /// Every template by name, the header and footer the server still uses among them.
    static let templates: [(String, String)] = [
        ("header", PortalTemplates.header), ("footer", PortalTemplates.footer), ("overview", overview),
        ("agreements", agreements), ("agreement", agreement), ("log", log), ("search", search), ("entity", entity),
        ("entityList", entityList), ("entry", entry), ("lots", lots), ("lot", lot), ("supply", supply),
    ]

    static func compile(_ templates: [(String, String)] = templates) throws -> MustacheLibrary {
        var lib = MustacheLibrary()
        for (name, text) in templates {
            do { lib.register(try MustacheTemplate(string: text), named: name) } catch { throw TemplateError(name: name, error: error) }
        }
        return lib
    }

    /// A page's HTML through its template, as the server rendered it before the typed views.
    static func render(_ name: String, _ data: [String: Any], language: Language, title: String) throws -> String {
        var d = data
        if let c = d["collisions"] as? [Any] { d["hasCollisions"] = !c.isEmpty }
        if let l = d["links"] as? [Any] { d["hasLinks"] = !l.isEmpty }
        d["lang"] = language.rawValue
        d["t"] = language.strings
        d["pageTitle"] = title
        let lib = try compile()
        guard let html = lib.render(d, withTemplate: name) else { throw TemplateError(name: name, error: CocoaError(.coderInvalidValue)) }
        return html
    }
}
