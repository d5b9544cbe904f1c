/// `/log`: the latest checkpoint, the verifier key and how to check both offline, as the `log` template wrote it.
struct LogPageView {
    var checkpoint = ""
    var vkey = ""
    /// `http://` and the host the reader asked, for the commands to copy.
    var base = ""

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 8_192)
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["log"]); h.raw("</h1>\n<h2>"); h.text(t["latest_checkpoint"]); h.raw("</h2><pre id=\"checkpoint\">")
        h.text(checkpoint); h.raw("</pre>\n<h2>"); h.text(t["verifier_key"]); h.raw("</h2><pre id=\"vkey\">"); h.text(vkey)
        h.raw("</pre>\n<h2>"); h.text(t["verify_offline"]); h.raw("</h2>\n<pre>curl -s "); h.text(base)
        h.raw("/log/checkpoint | assay log verify-note --vkey '"); h.text(vkey)
        h.raw("'\nassay proof ID -o entry.proof   # or download /log/proof/inclusion?id=ID\nassay log verify-proof entry.proof --vkey '")
        h.text(vkey); h.raw("'</pre>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] { ["checkpoint": checkpoint, "vkey": vkey, "base": base] }
}

/// `/log/entries/{seq}`: one journal entry's public bytes, its leaf hash and its inclusion proof at the
/// latest checkpoint, with the command that checks it offline, as the `entry` template wrote it.
struct EntryPageView {
    var seq: Int64 = 0
    var type = ""
    var subject = ""
    var time = ""
    var author = ""
    var leaf = ""
    var bytes = ""
    var index: Int64 = 0
    var size = 0
    var proof: [String] = []
    var root = ""
    var checkpoint = ""

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 8_192 + bytes.utf8.count)
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["entries"]); h.raw(" #\(seq)</h1>\n<table id=\"entry\"><tr><th>"); h.text(t["kind"]); h.raw("</th><td>")
        h.text(type); h.raw("</td></tr><tr><th>"); h.text(t["id"]); h.raw("</th><td>"); h.text(subject); h.raw("</td></tr>\n<tr><th>UTC</th><td>"); h.text(time)
        h.raw("</td></tr><tr><th>author</th><td>"); h.text(author); h.raw("</td></tr><tr><th>leaf</th><td><code>"); h.text(leaf)
        h.raw("</code></td></tr></table>\n<h2>Entry (canonical JSON)</h2><pre id=\"entry-bytes\">"); h.text(bytes)
        h.raw("</pre>\n<h2>Inclusion proof · index \(index) · size \(size)</h2><pre id=\"proof\">")
        for p in proof { h.text(p); h.raw("\n") }
        h.raw("</pre>\n<h2>"); h.text(t["latest_checkpoint"]); h.raw("</h2><pre>"); h.text(checkpoint)
        h.raw("</pre>\n<p>assay log verify-inclusion --leaf-hash "); h.text(leaf); h.raw(" --index \(index) --size \(size) --root "); h.text(root)
        h.raw(" --proof "); h.text(proof.joined(separator: ",")); h.raw("</p>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["seq": seq, "type": type, "subject": subject, "time": time, "author": author, "leaf": leaf, "bytes": bytes, "index": index,
         "size": size, "proof": proof, "proofHex": proof.joined(separator: ","), "root": root, "checkpoint": checkpoint]
    }
}
