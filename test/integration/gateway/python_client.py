#!/usr/bin/env python3
"""A gateway client in Python's standard library only: Streamable HTTP JSON-RPC by hand, both eras.

usage: python_client.py URL TOKEN STRICT_URL LOAD_SECONDS

Prints one JSON object per line: {"step": ..., ...}; "LOAD_STARTED" when the load phase begins (the test
kills and restarts a replica then); exits 1 on the first unexpected answer.
"""
import json
import sys
import time
import urllib.error
import urllib.request

URL, TOKEN, STRICT_URL, LOAD_SECONDS = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
MODERN = "2026-07-28"
ENVELOPE = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientInfo": {"name": "python-stdlib", "version": "1.0"},
    "io.modelcontextprotocol/clientCapabilities": {},
}


def out(**kw):
    print(json.dumps(kw), flush=True)


def fail(msg):
    out(step="failed", error=msg)
    sys.exit(1)


def post(url, body, headers=None, token=TOKEN, raw=None):
    """POST a JSON-RPC message; returns (status, headers, list of JSON messages from a JSON or SSE body)."""
    data = raw if raw is not None else json.dumps(body).encode()
    h = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
    if token:
        h["authorization"] = "Bearer " + token
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=h, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.status, dict(res.headers), parse(res.headers.get("content-type", ""), res.read())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), []


def parse(ctype, payload):
    text = payload.decode()
    if not text.strip():
        return []
    if ctype.startswith("text/event-stream"):
        msgs = []
        for event in text.split("\n\n"):
            lines = [l[5:].lstrip() for l in event.split("\n") if l.startswith("data:")]
            if lines:
                msgs.append(json.loads("\n".join(lines)))
        return msgs
    return [json.loads(text)]


def result_of(msgs, rid):
    for m in msgs:
        if m.get("id") == rid:
            if "error" in m:
                fail("error answer: %s" % json.dumps(m["error"]))
            return m["result"]
    fail("no answer to request %s in %s" % (rid, msgs))


class Legacy:
    """2025-11-25: initialize, then every request on the session."""

    def __init__(self):
        self.id = 0
        status, headers, msgs = post(URL, self.req("initialize", {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "python-stdlib", "version": "1.0"}}))
        if status != 200:
            fail("initialize: HTTP %d" % status)
        self.session = {k.lower(): v for k, v in headers.items()}.get("mcp-session-id")
        if not self.session:
            fail("initialize: no Mcp-Session-Id")
        self.version = result_of(msgs, self.id)["protocolVersion"]
        post(URL, {"jsonrpc": "2.0", "method": "notifications/initialized"}, self.headers())

    def headers(self):
        return {"mcp-session-id": self.session, "mcp-protocol-version": "2025-11-25"}

    def req(self, method, params=None):
        self.id += 1
        return {"jsonrpc": "2.0", "id": self.id, "method": method, "params": params or {}}

    def call(self, method, params=None):
        body = self.req(method, params)
        status, _, msgs = post(URL, body, self.headers())
        if status != 200:
            fail("%s: HTTP %d" % (method, status))
        return result_of(msgs, body["id"])


class Modern:
    """2026-07-28: no handshake; the envelope in _meta and the Mcp-Method / Mcp-Name headers on every POST."""

    def __init__(self):
        self.id = 0
        self.version = self.call("server/discover")["supportedVersions"]

    def call(self, method, params=None):
        self.id += 1
        p = dict(params or {})
        p["_meta"] = dict(ENVELOPE)
        headers = {"mcp-protocol-version": MODERN, "mcp-method": method}
        if "name" in p:
            headers["mcp-name"] = p["name"]
        elif "uri" in p:
            headers["mcp-name"] = p["uri"]
        status, _, msgs = post(URL, {"jsonrpc": "2.0", "id": self.id, "method": method, "params": p}, headers)
        if status != 200:
            fail("%s: HTTP %d" % (method, status))
        return result_of(msgs, self.id)


def text_of(result):
    return (result.get("content") or [{}])[0].get("text", "")


def tour(client, era):
    tools = [t["name"] for t in client.call("tools/list")["tools"]]
    for name in ("weather__add", "everything__echo"):
        if name not in tools:
            fail("%s: %s not listed" % (era, name))
    added = text_of(client.call("tools/call", {"name": "weather__add", "arguments": {"a": 40, "b": 2}}))
    if added != "42":
        fail("%s: weather__add gave %r" % (era, added))
    resources = client.call("resources/list")["resources"]
    uri = next(r["uri"] for r in resources if r["uri"].startswith("mcp-gateway://everything/"))
    contents = client.call("resources/read", {"uri": uri})["contents"]
    if contents[0]["uri"] != uri:
        fail("%s: read %s gave %s" % (era, uri, contents[0]["uri"]))
    prompt = client.call("prompts/get", {"name": "everything__simple-prompt"})
    out(step="tour", era=era, version=client.version, tools=len(tools), resource=uri,
        prompt_messages=len(prompt["messages"]))


def refusals():
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "p", "version": "1"}}}
    got = {
        "no_token": post(URL, init, token=None)[0],
        "wrong_token": post(URL, init, token="not-the-token-0000000")[0],
        "wrong_origin": post(URL, init, {"origin": "http://attacker.example"})[0],
        "oversized": post(URL, None, raw=json.dumps(dict(init, pad="x" * 300000)).encode())[0],
    }
    statuses = [post(STRICT_URL, init)[0] for _ in range(10)]
    got["over_rate"] = 429 if 429 in statuses else statuses[-1]
    out(step="refusals", **got)


def load(clients):
    calls = failures = 0
    errors = []
    out(step="LOAD_STARTED")
    end = time.time() + LOAD_SECONDS
    while time.time() < end:
        for c in clients:
            calls += 1
            try:
                r = c.call("tools/call", {"name": "weather__add", "arguments": {"a": calls, "b": 1}})
                if text_of(r) != str(calls + 1):
                    failures += 1
                    errors.append(text_of(r))
            except SystemExit:
                failures += 1
                errors.append("failed call")
    out(step="load", calls=calls, failures=failures, errors=errors[:5])


legacy, modern = Legacy(), Modern()
tour(legacy, "2025-11-25")
tour(modern, MODERN)
refusals()
load([legacy, modern])
