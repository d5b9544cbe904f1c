import Testing
@testable import AssayDomain

@Suite("Commands and journal entries encode canonically and read back to the same bytes")
struct CommandCodingTests {
    static let samples = [
        #"{"type":"register-party","id":"gecamines","name":"Gécamines","kind":"state-owned-enterprise","country":"CD","sources":["https://example.org/a"]}"#,
        #"{"type":"record-ownership","id":"o","subject":"kcc","interestedParty":"gecamines","share":{"minimum":20,"maximum":"25.0"},"from":"2017-01-01"}"#,
        #"{"type":"register-site","id":"bisie","name":"Bisie","kind":"industrial-mine","latitude":-1.033035,"longitude":"27.744321","minerals":["Cassitérite"],"capacities":{"tin":"17300"},"operator":"abm","externalId":"codmine00396","synthetic":true}"#,
        #"{"type":"register-concession","id":"pe-661","code":"PE 661","titleType":"PE","holder":"kfm","minerals":["cobalt","copper"],"cells":[[20,30],[5,9],11],"granted":"2010-01-01","expires":"2040-01-01","contested":"why"}"#,
        #"{"type":"change-concession-status","concession":"pe-661","status":"suspended","date":"2022-07-01","reason":"court order"}"#,
        #"{"type":"register-agreement","id":"spa","title":"SPA","kind":"minerals-for-security","status":"signed","signed":"2025-12-04","parties":[{"party":"us","role":"grantee"},{"party":"cd","role":"grantor"}],"documents":[{"sha256":"0000000000000000000000000000000000000000000000000000000000000000","confidential":true}],"summary":"s"}"#,
        #"{"type":"change-agreement-status","agreement":"spa","status":"in-force","date":"2026-01-01"}"#,
        #"{"type":"record-grant","id":"g","agreement":"spa","beneficiary":"us","rights":["offtake","explore"],"exclusivity":"first-offer","minerals":["lithium","cobalt"],"area":{"provinces":["CD-TA","CD-LU","CD-TA"]},"from":"2025-12-04"}"#,
        #"{"type":"record-obligation","id":"ob","agreement":"spa","obligor":"us","beneficiary":"cd","kind":"training","description":"FARDC","quantity":{"amount":"1000","unit":"officers"},"value":{"amount":"12.50","currency":"USD"},"due":"2026-01-31","every":"quarter","until":"2027-01-01","confidential":true}"#,
        #"{"type":"record-delivery","id":"d","obligation":"ob","date":"2026-02-01","quantity":{"amount":"100","unit":"officers"},"evidence":["ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"],"note":"n"}"#,
        #"{"type":"register-key","id":"abm-2025","party":"abm","publicKey":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=","validFrom":"2025-01-01T00:00:00.000Z","validUntil":"2026-01-01T00:00:00.000Z"}"#,
        #"{"type":"revoke-key","key":"abm-2025","time":"2025-06-01T00:00:00.000Z","reason":"lost device"}"#,
        #"{"type":"set-custody-policy","lateWindowDays":60,"tolerances":{"blend":"0.5","processing":"1"}}"#,
        #"{"type":"custody-event","event":{"id":"ev-1","kind":"processing","time":"2025-01-02T08:00:00.000Z","party":"abm","key":"abm-2025","inputs":["BIS-1","BIS-2"],"outputs":[{"id":"BIS-C1","form":"concentrate","massKg":"1250.5","grade":"60"}]},"signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}"#,
        #"{"type":"record-price","mineral":"tin","date":"2025-01-01","pricePerTonne":{"amount":"29000","currency":"USD"},"source":"LME"}"#,
        #"{"type":"record-payment","id":"pay-1","payer":"abm","recipient":"cd","stream":"royalty","amount":{"amount":"120000","currency":"USD"},"date":"2025-02-10","period":{"from":"2025-01-01","until":"2025-02-01"},"project":"bisie","lots":["BIS-1"]}"#,
        #"{"type":"record-control","id":"m23-goma","controller":"afc-m23","area":{"circle":{"latitude":"-1.6741","longitude":"29.2285","radiusKm":"12.0"}},"from":"2025-01-27","confidence":"high","sources":["https://example.org/goma"],"note":"n"}"#,
        #"{"type":"record-site-visit","id":"ipis-visit-1","site":"rubaya","date":"2023-06-01","source":"IPIS","minerals":["Coltan"],"workers":120,"armed":[{"name":"FARDC","type":"FARDC - Éléments indisciplinés","activities":["taxation","digging"]}],"childLabour":true,"mercury":false,"traceability":"iTSCI","qualification":"Vert"}"#,
        #"{"type":"record-conflict-event","id":"DRC12345","date":"2025-01-27","eventType":"Battles","subEventType":"Non-state actor overtakes territory","actor1":"M23","actor2":"Military Forces of DRC","admin1":"Nord-Kivu","location":"Goma","latitude":"-1.6741","longitude":29.2285,"geoPrecision":1,"fatalities":12,"source":"Reuters","notes":"n"}"#,
        #"{"type":"record-site-status","site":"bisie","date":"2025-03-13","status":"halted","reason":"rebel advance","sources":["https://example.org/b"]}"#,
        #"{"type":"update-site","site":"ipis-codmine00309","name":"D3 Bibatama","latitude":"-1.584475","longitude":"28.893558","minerals":["Coltan"],"source":"IPIS visit 1"}"#,
        #"{"type":"sign-agreement","agreement":"spa","party":"cd","key":"cd-k1","terms":"0000000000000000000000000000000000000000000000000000000000000000","time":"2025-12-04T10:00:00.000Z","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}"#,
        #"{"type":"register-reserve","id":"sar","agreement":"spa","title":"Reserve","designated":"2026-02-04","confidential":true,"windowMonths":3,"renewals":1,"assets":[{"id":"a1","name":"A","concession":"pe-661","minerals":["cobalt"]},{"id":"a2","name":"B","area":{"provinces":["CD-LU"]},"minerals":["copper"]}],"sources":["https://example.org/r"]}"#,
        #"{"type":"offer-asset","id":"o1","reserve":"sar","asset":"a1","beneficiary":"us","opens":"2026-02-10","synthetic":true}"#,
        #"{"type":"resolve-offer","offer":"o1","status":"accepted","date":"2026-03-01","grant":"g","reason":"signed"}"#,
        #"{"type":"link-agreements","agreement":"spa","linked":"peace","relation":"conditional-on","note":"n","sources":["https://example.org/l"]}"#,
        #"{"type":"record-event","id":"ev","kind":"lobbying","date":"2025-02-01","precision":"month","title":"T","actors":["abc"],"participants":["us"],"onBehalfOf":"cd","agreements":["spa"],"changes":["sar"],"summary":"s","sources":["https://example.org/e"]}"#,
        #"{"type":"record-claim","id":"c","subject":"ev","field":"date","value":"2025-03-16","source":"https://example.org/c","confidence":"high","used":true,"reason":"r"}"#,
        #"{"type":"record-national-output","mineral":"Cobalt","year":2023,"tonnes":"170000.0","note":"n","sources":["https://example.org/n"]}"#,
        #"{"type":"rotate-log-key","key":"assay.local/registry+1a2b3c4d+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f","transitionUntil":"2027-01-01T00:00:00.000Z"}"#,
    ]

    @Test(arguments: samples)
    func commandRoundTripsToIdenticalBytes(json: String) throws {
        let command = try Command(jsonText: json)
        let bytes = CanonicalJSON.encode(command.json)
        let again = try Command(json: try JSONParser.parse(bytes))
        #expect(again == command)
        #expect(CanonicalJSON.encode(again.json) == bytes)
    }

    @Test func everyCommandTypeIsCovered() throws {
        let kinds = Set(try Self.samples.map { try Command(jsonText: $0).kind })
        #expect(kinds == Set(Command.Kind.allCases))
    }

    @Test func decimalsAndListsAreNormalised() throws {
        let c = try Command(jsonText: Self.samples[1])
        #expect(CanonicalJSON.string(c.json).contains(#""share":{"maximum":"25","minimum":"20"}"#))
        let g = try Command(jsonText: Self.samples[7])
        #expect(CanonicalJSON.string(g.json).contains(#""provinces":["CD-LU","CD-TA"]"#))
        #expect(CanonicalJSON.string(g.json).contains(#""rights":["explore","offtake","first-offer"]"#))
    }

    @Test func journalEntriesReadBackByteForByte() throws {
        for (i, json) in Self.samples.enumerated() {
            let entry = JournalEntry(sequence: Int64(i + 1), time: Timestamp(milliseconds: 1_795_000_000_000 + Int64(i)), author: "test",
                                     command: try Command(jsonText: json))
            let read = try JournalEntry(bytes: entry.bytes)
            #expect(read == entry)
            #expect(read.bytes == entry.bytes)
            #expect(entry.bytes == CanonicalJSON.encode(entry.json))
        }
        // A future schema is refused rather than misread.
        var text = CanonicalJSON.string(JournalEntry(sequence: 1, time: Timestamp(milliseconds: 0), author: "t",
                                                     command: try Command(jsonText: Self.samples[0])).json)
        text = text.replacingOccurrences(of: "\"schema\":1", with: "\"schema\":2")
        #expect(throws: DomainError.self) { try JournalEntry(bytes: Array(text.utf8)) }
    }
}
