#!/usr/bin/python3
"""Validates JSON documents against a published JSON Schema, offline, with Debian's python3-jsonschema.

usage: validate-json-schema.py SCHEMA_FILE[#POINTER] DATA_FILE [--each-line | --array]
  SCHEMA_FILE  the schema (its dialect, e.g. draft-04 or 2020-12, is taken from its "$schema"). Every other .json file
               in its directory is loaded beside it, so references between them resolve locally: by relative path, by
               their "$id"/"id" (https URLs or urn: names alike) or, for an https URL no local file claims, by the file
               of the same name in that directory. Nothing is fetched over the network: a reference that cannot be
               resolved locally is an error.
  #POINTER     optional JSON pointer into the schema, to validate against a subschema; e.g. BODS statements one by one
               with bods/statement.json#/$defs/Statement (the whole file is an array of statements).
  DATA_FILE    one JSON document ("-" reads standard input); with --each-line, NDJSON, one document a line (blank
               lines skipped); with --array, a JSON array each of whose items is validated as a document.
Formats are checked (the validator's format checker, with strict RFC 3339 "date" and "date-time"), as are JSON's own
rules that the parser would let pass: a duplicate key in an object, NaN or Infinity.
Prints "ok N documents" and exits 0; or prints each error as
  document N [(line L | item I)]: JSON_PATH: message  [keyword; schema keywords: path through the schema]
(a failed anyOf/oneOf is followed by the errors of the alternative that came closest)
and exits 1. Exits 2 when the schema cannot be used (unreadable, not valid against its metaschema, or a $ref that
cannot be resolved locally, found when the data first reaches it) or DATA_FILE cannot be read.
"""
import argparse
import datetime
import functools
import importlib.metadata
import json
import pathlib
import re
import signal
import sys
import urllib.parse

import jsonschema
from jsonschema import validators

NETWORK_SCHEMES = ("http", "https", "ftp", "ftps")


class DataError(Exception):
    pass


def reject_constant(name):
    raise DataError(f"{name} is not JSON")


def unique_keys(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise DataError(f"duplicate key {json.dumps(k)} in an object")
        obj[k] = v
    return obj


def parse_json(text):
    return json.loads(text, object_pairs_hook=unique_keys, parse_constant=reject_constant)


def version_tuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


JSONSCHEMA_VERSION = importlib.metadata.version("jsonschema")
USE_REFERENCING = version_tuple(JSONSCHEMA_VERSION) >= (4, 18)


# RFC 3339 section 5.6, strictly (Python 3.11's date.fromisoformat also takes "20210911" and week dates).
FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))", re.ASCII)


def is_date(instance):
    if not isinstance(instance, str):
        return True
    m = FULL_DATE.fullmatch(instance)
    if not m:
        return False
    datetime.date(*map(int, m.groups()))  # raises ValueError for 2021-02-30
    return True


def is_date_time(instance):
    if not isinstance(instance, str):
        return True
    m = DATE_TIME.fullmatch(instance)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    datetime.date(y, mo, d)
    if h > 23 or mi > 59 or s > 60:  # 60: a leap second
        return False
    if m.group(9) and (int(m.group(10)) > 23 or int(m.group(11)) > 59):
        return False
    return True


def format_checker(cls):
    base = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    checker = jsonschema.FormatChecker(formats=())
    checker.checkers = dict(base.checkers)
    checker.checks("date", raises=ValueError)(is_date)
    checker.checks("date-time", raises=ValueError)(is_date_time)
    return checker


def id_key(cls):
    return "id" if cls in (validators.Draft3Validator, validators.Draft4Validator) else "$id"


def id_of(doc):
    if not isinstance(doc, dict):
        return ""
    v = doc.get("$id", doc.get("id", ""))
    return v if isinstance(v, str) else ""


def strip_fragment(uri):
    return urllib.parse.urldefrag(uri)[0]


class LocalSchemas:
    """The schema and its sibling .json files, by file URI and by the id each declares."""

    def __init__(self, schema_path):
        self.dir = schema_path.parent
        self.by_uri = {}
        self.main = None
        for path in sorted(self.dir.glob("*.json")):
            try:
                doc = parse_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, DataError) as e:
                if path == schema_path:
                    raise SystemExit(f"{path}: {e}") from None
                continue  # a sibling that is not JSON is no schema of ours
            uri = path.as_uri()
            if path == schema_path:
                self.main = doc
                self.main_uri = uri
            self.by_uri[uri] = doc
            declared = strip_fragment(id_of(doc))
            if declared and path != schema_path:
                self.by_uri.setdefault(declared, doc)
        if self.main is None:
            raise SystemExit(f"{schema_path}: no such file")
        declared = strip_fragment(id_of(self.main))
        if declared:
            self.by_uri[declared] = self.main

    def lookup(self, uri):
        """The local document for a URI with no fragment, or None."""
        uri = strip_fragment(uri)
        if uri in self.by_uri:
            return self.by_uri[uri]
        parts = urllib.parse.urlsplit(uri)
        if parts.scheme == "file":
            path = pathlib.Path(urllib.parse.unquote(parts.path))
            if path.is_file():
                return parse_json(path.read_text(encoding="utf-8"))
            return None
        if parts.scheme in NETWORK_SCHEMES:
            # An absolute URL the schema publishes itself under: the local file of the same name stands for it.
            name = parts.path.rsplit("/", 1)[-1]
            path = self.dir / name
            if name and path.is_file():
                return parse_json(path.read_text(encoding="utf-8"))
        return None

    def refuse(self, uri):
        raise LookupError(f"{uri} is not among the local schemas in {self.dir} (no network access)")


def formats_used(docs):
    used = set()
    stack = list(docs)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                used.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return used


def join(base, ref):
    """urljoin that also resolves "#fragment" and relative references against non-hierarchical bases (urn:...),
    which urllib leaves unresolved (jsonschema < 4.18 would then look the fragment up in the wrong document)."""
    if not base:
        return ref
    if ref.startswith("#"):
        return strip_fragment(base) + ref
    if urllib.parse.urlsplit(ref).scheme:
        return ref
    return urllib.parse.urljoin(base, ref)


def build_validator(schema_arg):
    path_part, _, pointer = schema_arg.partition("#")
    schema_path = pathlib.Path(path_part).resolve()
    local = LocalSchemas(schema_path)
    schema = local.main
    if not isinstance(schema, dict):
        raise SystemExit(f"{schema_path}: the schema is not a JSON object")
    cls = validators.validator_for(schema, default=validators.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        raise SystemExit(f"{schema_path}: not a valid schema for {cls.__name__}: {e.message}") from None

    # A schema without an id gets its file URI as its id, so its relative references resolve against its directory.
    if not id_of(schema):
        schema = dict(schema)
        schema[id_key(cls)] = local.main_uri
        local.by_uri[local.main_uri] = schema
    root_uri = strip_fragment(id_of(schema))
    if pointer:
        target = {id_key(cls): "urn:validate-json-schema:wrapper", "$ref": root_uri + "#" + pointer}
        if "$schema" in schema:
            target = {"$schema": schema["$schema"], **target}
    else:
        target = schema
    checker = format_checker(cls)
    unchecked = sorted(formats_used(local.by_uri.values()) - set(checker.checkers))
    if unchecked:  # jsonschema checks some formats only when an optional package is there (uri: python3-rfc3987)
        print(f"note: these formats are not checked, for want of a checker: {', '.join(unchecked)}", file=sys.stderr)

    if USE_REFERENCING:
        from referencing import Registry, Resource
        from referencing.exceptions import NoSuchResource
        from referencing.jsonschema import DRAFT202012, specification_with

        spec = specification_with(id_of(cls.META_SCHEMA), default=DRAFT202012)

        def retrieve(uri):
            doc = local.lookup(uri)
            if doc is None:
                raise NoSuchResource(ref=uri)
            return Resource.from_contents(doc, default_specification=spec)

        registry = Registry(retrieve=retrieve).with_resources(
            (uri, Resource.from_contents(doc, default_specification=spec)) for uri, doc in local.by_uri.items())
        validator = cls(target, registry=registry, format_checker=checker)
    else:
        def handler(uri):
            doc = local.lookup(uri)
            if doc is None:
                local.refuse(uri)
            return doc

        handlers = {scheme: handler for scheme in NETWORK_SCHEMES + ("file", "urn")}
        resolver = validators.RefResolver(
            base_uri=id_of(target), referrer=target, store=local.by_uri, handlers=handlers,
            urljoin_cache=functools.lru_cache(1024)(join))
        validator = cls(target, resolver=resolver, format_checker=checker)

    return validator


def json_path(path):
    out = "$"
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", p):
            out += "." + p
        else:
            out += "[" + json.dumps(p) + "]"
    return out


def closest_alternative(error):
    """For a failed anyOf/oneOf, the errors of the alternative that came closest: not one whose type is wrong for the
    value, nor one whose discriminating property (an enum or const one level down, like GeoJSON's "type") fails."""
    groups = {}
    for e in error.context:
        groups.setdefault(e.relative_schema_path[0], []).append(e)

    def rank(errs):
        wrong_type = any(e.validator == "type" and not e.relative_path for e in errs)
        discriminator = sum(1 for e in errs if e.validator in ("enum", "const") and len(e.relative_path) == 1)
        return (wrong_type, discriminator, -max(len(e.relative_path) for e in errs), len(errs))

    return min(groups.values(), key=rank) if groups else []


def shorten(message, limit=300):
    return message if len(message) <= limit else message[:limit - 1] + "…"


def describe(error):
    via = "/".join(str(p) for p in error.schema_path)
    text = f"{json_path(error.absolute_path)}: {shorten(error.message)}  [{error.validator}; schema keywords: {via}]"
    for hint in closest_alternative(error)[:3]:
        text += f"\n    closest alternative: {json_path(hint.absolute_path)}: {shorten(hint.message)}"
    return text


def documents(data_path, each_line, array):
    """(label, document or DataError) in order."""
    try:
        text = sys.stdin.read() if data_path == "-" else pathlib.Path(data_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        print(f"data error: {data_path}: {e}", file=sys.stderr)
        sys.exit(2)
    if each_line:
        n = 0
        for lineno, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            n += 1
            try:
                yield f"document {n} (line {lineno})", parse_json(line)
            except (ValueError, DataError) as e:
                yield f"document {n} (line {lineno})", DataError(f"not JSON: {e}")
        return
    try:
        doc = parse_json(text)
    except (ValueError, DataError) as e:
        yield "document 1", DataError(f"not JSON: {e}")
        return
    if array:
        if not isinstance(doc, list):
            yield "document 1", DataError("--array: the file is not a JSON array")
            return
        for i, item in enumerate(doc):
            yield f"document {i + 1} (item [{i}])", item
    else:
        yield "document 1", doc


def error_order(error):
    return ([(0, p, "") if isinstance(p, int) else (1, 0, p) for p in error.absolute_path], error.message)


def resolution_errors():
    if USE_REFERENCING:
        from referencing.exceptions import Unresolvable
        return (Unresolvable,)
    return (jsonschema.exceptions.RefResolutionError,)


def main():
    parser = argparse.ArgumentParser(
        description="Validate JSON documents against a JSON Schema, offline.",
        usage="%(prog)s SCHEMA_FILE[#POINTER] DATA_FILE [--each-line | --array]")
    parser.add_argument("schema")
    parser.add_argument("data")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--each-line", action="store_true", help="DATA_FILE is NDJSON: one document a line")
    mode.add_argument("--array", action="store_true", help="DATA_FILE is a JSON array: each item is a document")
    args = parser.parse_args()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into head: stop quietly

    try:
        validator = build_validator(args.schema)
    except SystemExit as e:
        print(f"schema error: {e.code}", file=sys.stderr)
        sys.exit(2)

    count, failed = 0, 0
    for label, doc in documents(args.data, args.each_line, args.array):
        count += 1
        if isinstance(doc, DataError):
            print(f"{label}: {doc}")
            failed += 1
            continue
        try:
            errors = sorted(validator.iter_errors(doc), key=error_order)
        except resolution_errors() as e:
            print(f"schema error: unresolvable reference: {e}", file=sys.stderr)
            sys.exit(2)
        if errors:
            failed += 1
            for error in errors:
                print(f"{label}: {describe(error)}")
    if failed:
        print(f"invalid: {failed} of {count} documents")
        sys.exit(1)
    print(f"ok {count} documents")


if __name__ == "__main__":
    main()
