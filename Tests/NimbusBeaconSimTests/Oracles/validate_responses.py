#!/usr/bin/env python3
"""Checks HTTP exchanges against the Ethereum beacon-API and keymanager-API OpenAPI documents.

An oracle for the nimbus-beacon-sim tests: it knows nothing of the simulator's code. It reads the multi-file
OpenAPI YAML with PyYAML, finds the operation for (method, path), the response for the status code, and
validates the body with `jsonschema` (Draft 2020-12; the `referencing` registry resolves the documents'
relative `$ref`s across files, loading each file on first use).

Input (stdin): one JSON object per line:
    {"api": "beacon" | "keymanager" | "manager", "method": "GET", "path": "/eth/v1/node/syncing?x=y",
     "status": 200, "content_type": "application/json", "body": "<response body as text>"}
Optional "eip3076_fields": a list of top-level body fields whose value is a JSON *string* holding an EIP-3076
interchange document, checked against the EIP-3076 JSON schema given with --eip3076-schema.

Output (stdout): one JSON object per input line, {"ok": true} or {"ok": false, "errors": [...]}.
Exit status: 0 when every exchange conforms, 1 when one does not, 2 on bad usage.
"""

import argparse
import json
import pathlib
import re
import sys
import urllib.parse

import jsonschema
import referencing
import referencing.jsonschema
import yaml

ROOT_DOCUMENTS = {
    "beacon": "beacon-APIs/beacon-node-oapi.yaml",
    "keymanager": "keymanager-APIs/keymanager-oapi.yaml",
}

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SpecStore:
    """Loads YAML documents by file URI, once each, and serves them to the `referencing` registry."""

    def __init__(self):
        self.documents = {}

    def load(self, uri):
        path = urllib.parse.urlparse(uri).path
        if path not in self.documents:
            with open(path, "r", encoding="utf-8") as handle:
                self.documents[path] = yaml.safe_load(handle)
        return self.documents[path]

    def retrieve(self, uri):
        contents = self.load(uri)
        return referencing.Resource.from_contents(
            contents, default_specification=referencing.jsonschema.DRAFT202012)


def pointer_escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


class Operation:
    """An operation found in a spec, with the URI of the document it lives in (for relative $refs)."""

    def __init__(self, store, uri, node, pointer):
        self.store = store
        self.uri = uri
        self.node = node
        self.pointer = pointer

    def follow(self, node, base_uri, pointer):
        """Resolves a `$ref`-only node (path items, responses) to (node, uri, pointer) in the referred file."""
        while isinstance(node, dict) and "$ref" in node:
            target = urllib.parse.urljoin(base_uri, node["$ref"])
            document_uri, _, fragment = target.partition("#")
            document = self.store.load(document_uri)
            node = document
            for token in [t for t in fragment.split("/") if t]:
                token = token.replace("~1", "/").replace("~0", "~")
                node = node[token] if token in node else node[int(token)]
            base_uri, pointer = document_uri, fragment
        return node, base_uri, pointer


def template_regex(template):
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile("^" + pattern + "$")


def find_operation(store, specs_dir, api, method, path):
    root_uri = (specs_dir / ROOT_DOCUMENTS[api]).resolve().as_uri()
    root = store.load(root_uri)
    route = urllib.parse.urlsplit(path).path
    # Prefer templates with fewer parameters, so a literal segment beats a {parameter} (as OpenAPI requires).
    candidates = sorted(root["paths"].items(), key=lambda item: item[0].count("{"))
    for template, item in candidates:
        if not template_regex(template).match(route):
            continue
        helper = Operation(store, root_uri, None, None)
        item_pointer = "/paths/" + pointer_escape(template)
        item, item_uri, item_pointer = helper.follow(item, root_uri, item_pointer)
        operation = item.get(method.lower())
        if operation is None:
            return None, f"{method} is not an operation of {template} in the {api} API"
        return Operation(store, item_uri, operation, item_pointer + "/" + method.lower()), None
    return None, f"no path of the {api} API matches {route}"


def media_type_matches(declared, actual):
    return declared.split(";")[0].strip().lower() == actual.split(";")[0].strip().lower()


def check_event_stream(body, errors):
    """SSE framing (WHATWG): events separated by blank lines, fields `event:`/`data:`/`id:`/`retry:` or comments."""
    topics_seen = []
    for block in [b for b in body.replace("\r\n", "\n").split("\n\n") if b.strip()]:
        event_name, data_lines = "message", []
        for line in block.split("\n"):
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event_name = value
            elif field == "data":
                data_lines.append(value)
            elif field not in ("id", "retry"):
                errors.append(f"event stream: unknown field {field!r}")
        if data_lines:
            try:
                json.loads("\n".join(data_lines))
            except ValueError as error:
                errors.append(f"event stream: data of {event_name!r} is not JSON: {error}")
            topics_seen.append(event_name)
    return topics_seen


def validate(store, specs_dir, eip3076_schema, exchange):
    errors = []
    api = exchange.get("api", "beacon")
    if api not in ROOT_DOCUMENTS:
        return [f"unknown api {api!r}"]
    operation, problem = find_operation(store, specs_dir, api, exchange["method"], exchange["path"])
    if operation is None:
        return [problem]
    status = str(exchange["status"])
    responses = operation.node.get("responses", {})
    response = None
    key = None
    for candidate in (status, int(status), status[0] + "XX", "default"):
        if candidate in responses:
            response, key = responses[candidate], candidate
            break
    if response is None:
        return [f"status {status} is not documented for {exchange['method']} {exchange['path']}"
                f" (documented: {sorted(str(k) for k in responses)})"]
    pointer = operation.pointer + "/responses/" + pointer_escape(key)
    response, response_uri, pointer = operation.follow(response, operation.uri, pointer)
    content = response.get("content")
    body = exchange.get("body", "")
    content_type = exchange.get("content_type") or ""
    if not content:
        if body.strip():
            errors.append(f"status {status} documents no body, but one was sent ({len(body)} bytes)")
        return errors
    media = next((m for m in content if media_type_matches(m, content_type)), None)
    if media is None:
        return [f"content type {content_type!r} is not documented for status {status} (documented: {list(content)})"]
    schema_pointer = pointer + "/content/" + pointer_escape(media) + "/schema"
    if media_type_matches(media, "text/event-stream"):
        check_event_stream(body, errors)
        instance = body
    else:
        try:
            instance = json.loads(body)
        except ValueError as error:
            return [f"body is not JSON: {error}"]
    if "schema" in content[media]:
        registry = referencing.Registry(retrieve=store.retrieve)
        validator = jsonschema.Draft202012Validator(
            {"$ref": response_uri + "#" + schema_pointer}, registry=registry)
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            location = "/".join(str(p) for p in error.absolute_path) or "(root)"
            errors.append(f"{location}: {error.message}")
    for field in exchange.get("eip3076_fields", []):
        if eip3076_schema is None:
            errors.append("an EIP-3076 check was asked for but no --eip3076-schema was given")
            continue
        try:
            interchange = json.loads(instance[field])
        except (KeyError, TypeError, ValueError) as error:
            errors.append(f"{field}: not a JSON-encoded interchange document: {error}")
            continue
        for error in jsonschema.Draft7Validator(eip3076_schema).iter_errors(interchange):
            errors.append(f"{field} (EIP-3076): {error.message}")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", required=True, help="folder holding beacon-APIs/ and keymanager-APIs/")
    parser.add_argument("--eip3076-schema", help="the EIP-3076 interchange JSON schema")
    parser.add_argument("--manager-spec", help="the node manager's own OpenAPI document (api \"manager\")")
    arguments = parser.parse_args()
    specs_dir = pathlib.Path(arguments.specs)
    if arguments.manager_spec:
        # An absolute path: `specs_dir / absolute` is the absolute path itself.
        ROOT_DOCUMENTS["manager"] = str(pathlib.Path(arguments.manager_spec).resolve())
    if not (specs_dir / ROOT_DOCUMENTS["beacon"]).is_file():
        print(f"no beacon-APIs under {specs_dir}", file=sys.stderr)
        return 2
    eip3076_schema = None
    if arguments.eip3076_schema:
        with open(arguments.eip3076_schema, "r", encoding="utf-8") as handle:
            eip3076_schema = json.load(handle)
    store = SpecStore()
    failed = False
    for line in sys.stdin:
        if not line.strip():
            continue
        exchange = json.loads(line)
        try:
            errors = validate(store, specs_dir, eip3076_schema, exchange)
        except Exception as error:  # an oracle crash must read as a failure, with its reason
            errors = [f"oracle error: {type(error).__name__}: {error}"]
        failed = failed or bool(errors)
        print(json.dumps({"ok": not errors, "errors": errors} if errors else {"ok": True}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
