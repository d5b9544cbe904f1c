import Testing
@testable import AssayDomain

@Suite("Canonical JSON (RFC 8785 subset) and the strict parser")
struct CanonicalJSONTests {
    @Test func sortsKeysByUTF16CodeUnitsAndWritesNoWhitespace() throws {
        // RFC 8785 §3.2.3 example keys: "\u{20ac}" (U+20AC) sorts after "\r" and "1", and the emoji
        // (a surrogate pair starting 0xD83D) sorts before "\u{fb33}" (0xFB33) though its code point is larger.
        let value: JSONValue = ["\u{20ac}": 1, "\r": 2, "1": 3, "\u{fb33}": 4, "😀": 5, "a": ["b": true, "a": .null]]
        let text = CanonicalJSON.string(value)
        #expect(text == "{\"\\r\":2,\"1\":3,\"a\":{\"a\":null,\"b\":true},\"\u{20ac}\":1,\"😀\":5,\"\u{fb33}\":4}")
    }

    @Test func escapesOnlyWhatItMust() {
        let s = CanonicalJSON.string(.string("q\"b\\s/\u{08}\u{0C}\n\r\t\u{01}\u{1F}é€"))
        #expect(s == "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001fé€\"")
    }

    @Test func integersArePlain() {
        #expect(CanonicalJSON.string(.array([0, -1, 9_007_199_254_740_991, -42])) == "[0,-1,9007199254740991,-42]")
    }

    @Test func parseThenEncodeIsAFixpoint() throws {
        let inputs = [
            #"{ "b" : [1, 2, {"z": "é", "a": null}], "a": "x\u0041\ud83d\ude00" }"#,
            #"[true,false,null,"\/"]"#,
            "  {\"k\":-0}  ",
        ]
        for input in inputs {
            let once = CanonicalJSON.encode(try JSONParser.parse(input))
            let twice = CanonicalJSON.encode(try JSONParser.parse(once))
            #expect(once == twice)
        }
        #expect(CanonicalJSON.string(try JSONParser.parse(#""x\u0041\ud83d\ude00""#)) == "\"xA😀\"")
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "duplicate member name"),
        (#"["\ud800"]"#, "lone high surrogate"),
        (#"["\udc00"]"#, "lone low surrogate"),
        ("[9007199254740993]", "outside ±2^53"),
        ("[1,]", "expected a value"),
        ("[01]", "leading zeros"),
        ("{\"a\":1} x", "after the JSON value"),
        ("\"abc", "unterminated"),
        ("[\"a\u{01}\"]", "control character"),
        ("[1.]", "digit after '.'"),
        ("tru", "expected true"),
    ])
    func rejectsMalformedOrAmbiguousInput(input: String, expected: String) {
        #expect {
            _ = try JSONParser.parse(input)
        } throws: { error in
            (error as? JSONSyntaxError)?.message.contains(expected) ?? false
        }
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONParser.parse(ok)) != nil)
    }

    @Test func errorsCarryTheByteOffset() throws {
        do {
            _ = try JSONParser.parse("{\"a\": [1, 2 3]}")
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 12)
        }
    }
}
