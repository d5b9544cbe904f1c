#!/usr/bin/python3
"""An independent verifier of Assay's COSE receipts (RFC 9942, RFC9162_SHA256), written from the RFCs with
Debian's python3-cbor2 and python3-cryptography, sharing no code with Assay.

usage: verify-cose-receipt.py RECEIPT ENTRY PUBKEY_HEX
  RECEIPT     the receipt's bytes (application/cose), as GET /api/v1/log/receipt/{entry} serves it
  ENTRY       the journal entry's bytes (the log leaf's data)
  PUBKEY_HEX  the log's Ed25519 public key, 64 hex digits
Prints "ok index=<i> size=<n> root=<hex>" and exits 0, or prints why not and exits 1.
"""
import hashlib
import sys

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def fail(why):
    print("invalid: " + why)
    sys.exit(1)


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(leaf, index, size, path):
    # RFC 9162 section 2.1.3.2
    if index >= size:
        fail("leaf index beyond the tree size")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            fail("the path is too long")
        if fn & 1 == 1 or fn == sn:
            r = node(p, r)
            if fn & 1 == 0:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        fail("the path is too short")
    return r


def main():
    receipt = open(sys.argv[1], "rb").read()
    entry = open(sys.argv[2], "rb").read()
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(sys.argv[3]))
    msg = cbor2.loads(receipt)
    if isinstance(msg, cbor2.CBORTag):
        if msg.tag != 18:
            fail("not a COSE_Sign1 tag")
        msg = msg.value
    protected_bytes, unprotected, payload, signature = msg
    protected = cbor2.loads(protected_bytes)
    if protected.get(1) != -8:
        fail("algorithm is not EdDSA")
    if protected.get(395) != 1:
        fail("verifiable data structure is not RFC9162_SHA256")
    if payload is not None:
        fail("payload is not detached")
    proofs = unprotected[396][-1]
    for encoded in proofs:
        size, index, path = cbor2.loads(encoded)
        leaf = hashlib.sha256(b"\x00" + entry).digest()
        root = root_from_inclusion(leaf, index, size, path)
        # RFC 9052 section 4.4: Sig_structure for COSE_Sign1, the computed root as the detached payload.
        to_be_signed = cbor2.dumps(["Signature1", protected_bytes, b"", root])
        try:
            key.verify(signature, to_be_signed)
        except InvalidSignature:
            fail("the signature does not verify over the computed root")
        print("ok index=%d size=%d root=%s" % (index, size, root.hex()))


main()
