#!/usr/bin/env python3
"""Writes the signed seeds of Fuzz/corpus/note and Fuzz/corpus/bundle (needs python3-cryptography).

The keys are fixed test keys derived from constant seeds; their verifier keys are the ones in
Fuzz/note/main.swift and Fuzz/bundle/main.swift. Run from the repository root.
"""
import base64, hashlib, os
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

def key(name, seed_text, typ):
    sk = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed_text.encode()).digest())
    pub = sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kid = hashlib.sha256(name.encode() + b"\n" + bytes([typ]) + pub).digest()[:4]
    vkey = "%s+%s+%s" % (name, kid.hex(), base64.b64encode(bytes([typ]) + pub).decode())
    return sk, kid, vkey

LOG = "assay.example/log"
WIT = "witness.example/w1"
log_sk, log_id, log_vkey = key(LOG, "assay fuzz log key", 0x01)
wit_sk, wit_id, wit_vkey = key(WIT, "assay fuzz witness key", 0x04)

def b64(b): return base64.b64encode(b).decode()
def leaf(d): return hashlib.sha256(b"\x00" + d).digest()
def node(l, r): return hashlib.sha256(b"\x01" + l + r).digest()

def root(hs):
    if len(hs) == 1: return hs[0]
    k = 1
    while k * 2 < len(hs): k *= 2
    return node(root(hs[:k]), root(hs[k:]))

def path(i, hs):
    if len(hs) == 1: return []
    k = 1
    while k * 2 < len(hs): k *= 2
    if i < k: return path(i, hs[:k]) + [root(hs[k:])]
    return path(i - k, hs[k:]) + [root(hs[:k])]

def sign(body, cosign_at=None):
    sig = log_sk.sign(body.encode())
    s = body + "\n— %s %s\n" % (LOG, b64(log_id + sig))
    if cosign_at is not None:
        ts = cosign_at.to_bytes(8, "big")
        wsig = wit_sk.sign(b"cosignature/v1\ntime %d\n" % cosign_at + body.encode())
        s += "— %s %s\n" % (WIT, b64(wit_id + ts + wsig))
    return s

entries = [b'{"seq":%d,"command":{"type":"register-party","id":"p%d"}}' % (i, i) for i in range(7)]
hashes = [leaf(e) for e in entries]

def checkpoint(n, ext=()):
    return "%s\n%d\n%s\n" % (LOG, n, b64(root(hashes[:n]))) + "".join(x + "\n" for x in ext)

def write(target, name, text):
    d = os.path.join("Fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w", encoding="utf-8") as f: f.write(text)

write("note", "checkpoint-signed", sign(checkpoint(7)))
write("note", "checkpoint-cosigned", sign(checkpoint(5, ["ext line one"]), cosign_at=1795000000))
write("note", "checkpoint-body", checkpoint(1))
write("note", "verifier-key", log_vkey + "\n")
write("note", "cosigner-key", wit_vkey + "\n")
for i, n in [(2, 7), (0, 1), (6, 7)]:
    proof = path(i, hashes[:n])
    text = "c2sp.org/tlog-proof@v1\nextra %s\nindex %d\n" % (b64(entries[i]), i) + "".join(b64(h) + "\n" for h in proof)
    write("bundle", "bundle-%d-of-%d" % (i, n), text + "\n" + sign(checkpoint(n), cosign_at=1795000000 if n == 7 else None))
write("bundle", "bundle-no-extra", "c2sp.org/tlog-proof@v1\nindex 0\n\n" + sign(checkpoint(1)))
print("log:", log_vkey)
print("witness:", wit_vkey)
