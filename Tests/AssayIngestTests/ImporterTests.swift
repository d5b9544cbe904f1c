import AssayDomain
import Testing
@testable import AssayIngest

@Suite("Import formats report every bad line as FILE:LINE: field: message")
struct ImporterTests {
    @Test func csvHandlesQuotesCRLFAndCountsLinesInsideQuotes() throws {
        let text = "\u{FEFF}id,name,note\r\na,\"Alpha, \"\"A\"\"\",\"two\r\nlines\"\r\nb,Beta,\r\n"
        let t = try CSVTable(text: text, file: "x.csv")
        #expect(t.header == ["id", "name", "note"])
        #expect(t.rows.count == 2)
        #expect(t.rows[0]["name"] == "Alpha, \"A\"")
        #expect(t.rows[0]["note"] == "two\r\nlines")
        #expect(t.rows[1].line == 4)
        #expect(throws: ImportError.self) { try CSVTable(text: "a,b\n\"open", file: "x.csv") }
        #expect {
            _ = try CSVTable(text: "a,b\n1,2,3\n", file: "x.csv")
        } throws: { ($0 as? ImportError)?.description == "x.csv:2: 3 fields, but the header has 2" }
    }

    @Test func ndjsonErrorsNameLineAndField() throws {
        let text = """
        {"type":"register-party","id":"a","name":"A","kind":"company"}

        # a comment
        {"type":"register-party","id":"b","name":"B","kind":"kingdom"}
        {"type":"register-party","id":"c","name":"C" "kind":"company"}
        {"type":"register-site","id":"s","name":"S","kind":"port","latitude":"-1","longitude":"29","minerals":["or"]}
        """
        #expect {
            _ = try CommandImporter.ndjson(text, file: "in.ndjson")
        } throws: { error in
            guard let e = error as? ImportErrors else { return false }
            return e.errors.map(\.description) == [
                "in.ndjson:4: kind: \"kingdom\" is not one of: state, company, agency, person, organisation, state-owned-enterprise, armed-group, joint-body",
                "in.ndjson:5: invalid JSON at byte 45: expected ',' or '}' in an object",
            ]
        }
    }

    @Test func sitesAndTitlesFromCSV() throws {
        let sites = """
        id,name,kind,latitude,longitude,minerals,capacities,operator,sources
        bisie,Bisie,industrial-mine,-1.033035,27.744321,Cassitérite,tin:17300,,https://example.org/a
        bad,Bad,mine,-1,27,tin,,,
        worse,Worse,port,-1,27,tin,tin=5,,
        """
        #expect {
            _ = try CommandImporter.read(path: "/tmp/sites.csv", text: sites)
        } throws: { error in
            let lines = (error as? ImportErrors)?.errors.map(\.description) ?? []
            return lines.count == 2 && lines[0].hasPrefix("sites.csv:3: kind:") && lines[1].hasPrefix("sites.csv:4: capacities:")
        }
        let good = try CommandImporter.read(path: "sites.csv", text: String(sites.split(separator: "\n").prefix(2).joined(separator: "\n")))
        guard case .registerSite(let s) = good[0].command else { Issue.record("not a site"); return }
        #expect(s.capacities[.tin] == 17300 && good[0].line == 2)

        let titles = """
        id,code,title_type,holder,minerals,cells,granted,status
        pe-1,PE 1,PE,h,copper;cobalt,100-110;200,2010-01-01,granted
        pe-2,PE 2,XX,h,copper,1,,
        pe-3,PE 3,PE,h,copper,1-x,,
        """
        #expect {
            _ = try CommandImporter.read(path: "titles.csv", text: titles)
        } throws: { error in
            let lines = (error as? ImportErrors)?.errors.map(\.description) ?? []
            return lines.count == 2 && lines[0].hasPrefix("titles.csv:3: titleType:") && lines[1].hasPrefix("titles.csv:4: cells:")
        }
    }

    @Test func geojsonFeaturesBecomeTitlesGrantsAndSites() throws {
        let text = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"type":"register-concession","id":"t","code":"PE 9","titleType":"PE","holder":"h","minerals":["tin"]},
           "geometry":{"type":"Polygon","coordinates":[[[27.0,-1.0],[27.1,-1.0],[27.1,-0.95],[27.0,-0.95],[27.0,-1.0]]]}},
          {"type":"Feature","properties":{"type":"register-site","id":"s","name":"S","kind":"trading-post"},
           "geometry":{"type":"Point","coordinates":[29.22,-1.68]}},
          {"type":"Feature","properties":{"type":"record-control","id":"c","controller":"m23","from":"2025-01-27","confidence":"high","sources":["https://example.org/c"]},
           "geometry":{"type":"Polygon","coordinates":[[[27.0,-1.0],[27.1,-1.0],[27.1,-0.95],[27.0,-0.95],[27.0,-1.0]]]}}
        ]}
        """
        let commands = try CommandImporter.read(path: "areas.geojson", text: text)
        guard case .registerConcession(let t) = commands[0].command else { Issue.record("not a title"); return }
        #expect(t.cells.count == 72)
        guard case .registerSite(let s) = commands[1].command else { Issue.record("not a site"); return }
        #expect(s.latitude == -1.68)
        guard case .recordControl(let c) = commands[2].command, case .cells(let cells) = c.area else { Issue.record("not a control assessment"); return }
        #expect(cells.count == 72 && c.controller == "m23")
        let bad = text.replacingOccurrences(of: "\"Point\"", with: "\"LineString\"")
        #expect(throws: ImportErrors.self) { try CommandImporter.read(path: "areas.geojson", text: bad) }
    }
}
