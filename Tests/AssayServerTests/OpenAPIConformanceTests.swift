import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Responses conform to the OpenAPI document")
struct OpenAPIConformanceTests {
    @Test func everyAnswerIsDocumentedWithItsRequiredFields() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let token = try await store.createToken(role: .registrar, party: nil).secret
        let app = Application(router: AssayApplication.router(store: store))
        let cases: [(String, String, HTTPRequest.Method, String?)] = [
            ("/api/v1/{resource}", "/api/v1/sites?limit=3", .get, nil),
            ("/api/v1/{resource}", "/api/v1/sites?limit=0", .get, nil),
            ("/api/v1/{resource}", "/api/v1/parties", .post, #"{"id":"oa-co","name":"OA","kind":"company"}"#),
            ("/api/v1/{resource}", "/api/v1/parties", .post, #"{"id":"oa-co","name":"OA","kind":"company"}"#),
            ("/api/v1/{resource}", "/api/v1/parties", .post, #"{"id":"Bad Id"}"#),
            ("/api/v1/{resource}/{id}", "/api/v1/agreements/us-drc-spa-2025", .get, nil),
            ("/api/v1/{resource}/{id}", "/api/v1/agreements/none", .get, nil),
            ("/api/v1/{resource}/{id}/status", "/api/v1/agreements/drc-kobold-2025/status", .post, #"{"status":"in-force","date":"2026-01-01"}"#),
            ("/api/v1/check-grant", "/api/v1/check-grant", .post,
             #"{"id":"p","agreement":"us-drc-spa-2025","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"provinces":["CD-TA"]}}"#),
            ("/api/v1/reports/{which}", "/api/v1/reports/balance", .get, nil),
            ("/log/proof/inclusion", "/log/proof/inclusion?index=5", .get, nil),
            ("/log/proof/consistency", "/log/proof/consistency?from=3&to=9", .get, nil),
            ("/log/proof/consistency", "/log/proof/consistency?from=9&to=3", .get, nil),
            ("/log/checkpoint", "/log/checkpoint", .get, nil),
        ]
        try await app.test(.router) { client in
            let doc = try await client.execute(uri: "/api/v1/openapi.json", method: .get) { r in
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
            }
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            for (template, uri, method, body) in cases {
                let op = try #require(paths[template]?[method.rawValue.lowercased()] as? [String: Any], "\(method) \(template) is not documented")
                let responses = try #require(op["responses"] as? [String: [String: Any]])
                let (status, contentType, bytes) = try await client.execute(uri: uri, method: method, headers: headers,
                                                                          body: body.map { ByteBuffer(string: $0) }) { r in
                    (r.status.code, r.headers[.contentType] ?? "", Data(buffer: r.body))
                }
                let documented = try #require(responses[String(status)], "\(method) \(uri) answered \(status), which is not documented")
                guard let content = documented["content"] as? [String: [String: Any]] else { continue }
                let type = contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces)
                let media = try #require(content[type], "\(method) \(uri): \(type) is not the documented content type")
                if let ref = (media["schema"] as? [String: Any])?["$ref"] as? String, let name = ref.split(separator: "/").last,
                   let schema = schemas[String(name)], let required = schema["required"] as? [String] {
                    let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
                    for key in required { #expect(object[key] != nil, "\(method) \(uri): \(key) missing from a \(name)") }
                }
            }
        }
    }
}
