#!/usr/bin/env python3
"""A price server on loopback for tests/integration/prices.sh: fixtures
in this folder and fault modes. Writes the port it listens on to the
file named by its first argument, then serves until killed."""
import base64
import http.server
import json
import os
import sys
import time
import re
from urllib.parse import parse_qs, urlencode, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
hits = {}
# the keys the market fixtures accept (tests/integration/prices.sh)
RUNPOD_KEY = "rp-SECRET-4711"
LAMBDA_KEY = "lam-SECRET-0815"
VAST_GPUS = [  # gpu_name, gpu_ram (MB, as Vast.ai answers), $/GPU-h
    ("H100 SXM", 81559, 1.90), ("H100 PCIE", 81559, 1.60),
    ("A100 SXM4", 81920, 0.95), ("A100 PCIE", 40960, 0.70),
    ("RTX 4090", 24564, 0.35), ("Tesla T4", 15360, 0.12),
    ("H200", 143771, 2.60), ("RTX 3090", 24576, 0.20),
    ("H100 NVL", 95830, 2.00), ("RTX 5090", 32607, 0.55)]
VAST_PLACES = ["Quebec, CA", "Texas, US", "California, US", "Czechia, CZ",
               "Norway, NO", "", None]


def vast_offers(n):
    """n live offers shaped as Vast.ai's /api/v0/bundles/ answers them:
    every model in every country, 1 to 8 GPUs per machine, now and then
    a machine without a price or no longer rentable."""
    offers = []
    for i in range(n):
        name, ram, base = VAST_GPUS[i % len(VAST_GPUS)]
        gpus = [1, 1, 2, 4, 8][(i // 70) % 5]
        per_gpu = base * (0.8 + ((i * 37) % 41) / 100)
        offers.append({
            "id": 40000000 + i, "machine_id": 9000 + i // 3,
            "gpu_name": name, "num_gpus": gpus, "gpu_ram": ram,
            "gpu_total_ram": ram * gpus,
            "dph_base": round(per_gpu * gpus * 0.95, 4),
            "dph_total": None if i % 97 == 5 else round(per_gpu * gpus, 4),
            "reliability2": round(0.9 + ((i * 13) % 100) / 1000, 4),
            "geolocation": VAST_PLACES[(i // 10) % len(VAST_PLACES)],
            "inet_down": 500 + i % 400, "inet_up": 400 + i % 300,
            "disk_space": 200 + i % 1000, "verified": True,
            "rentable": i % 89 != 7, "rented": False,
        })
    return offers


def json_body(obj):
    return json.dumps(obj).encode()


def fixture(name):
    with open(os.path.join(HERE, name), "rb") as f:
        return f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body=b"", ctype="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        return True

    def market(self, path):
        """Vast.ai, RunPod and Lambda as they document their answers;
        None when path is none of theirs."""
        if path.endswith("-429") or "-429/" in path:
            if hits[path] == 1:
                return self.send(429, b'{"error": "too many requests"}',
                                 headers=[("Retry-After", "1")])
        if path in ("/vast/bundles/", "/vast-429/bundles/"):
            q = parse_qs(urlsplit(self.path).query).get("q", ["{}"])[0]
            try:
                query = json.loads(q)
            except ValueError:
                query = {}
            if not query.get("rentable") or query.get("type") != "on-demand":
                return self.send(400, json_body({
                    "success": False, "error": "invalid_args",
                    "msg": "query must ask for rentable on-demand offers"}))
            return self.send(200, json_body({"offers": vast_offers(1500)}))
        if path == "/vast-error/bundles/":
            return self.send(400, json_body({
                "success": False, "error": "invalid_args",
                "msg": "Unrecognized field 'gpu_nam' in query"}))
        if path == "/vast-empty/bundles/":
            return self.send(200, json_body({"offers": []}))
        if path.startswith("/runpod"):
            if self.command != "POST" or "gpuTypes" not in self.posted or \
                    self.headers.get("Content-Type") != "application/json":
                return self.send(400, json_body({"errors": [
                    {"message": "POST a gpuTypes query as JSON"}]}))
            auth = self.headers.get("Authorization")
            if (auth or path == "/runpod-auth/graphql") and \
                    auth != "Bearer " + RUNPOD_KEY:
                return self.send(401, json_body({"errors": [
                    {"message": "Unauthorized"}]}))
            if path == "/runpod-errors/graphql":
                return self.send(200, json_body({"data": None, "errors": [{
                    "message": "Cannot query field \"secureSpotPrice\" "
                               "on type \"GpuType\".",
                    "locations": [{"line": 1, "column": 72}],
                    "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]}))
            return self.send(200, fixture("runpod-gputypes.json"))
        if path in ("/lambda/instance-types", "/lambda-429/instance-types"):
            want = "Basic " + base64.b64encode(
                (LAMBDA_KEY + ":").encode()).decode()
            if self.headers.get("Authorization") != want:
                return self.send(401, json_body({"error": {
                    "code": "global/invalid-api-key",
                    "message": "API key was invalid, expired, or deleted.",
                    "suggestion": "Check your API key or create a new one, "
                                  "then try again."}}))
            return self.send(200, fixture("lambda-instance-types.json"))
        return None

    def azure_page(self, path, base):
        """As the Retail Prices API: the items of the region the $filter
        names (every item without one), and a NextPageLink that keeps
        the filter, none after the last page or on an empty one."""
        flt = parse_qs(urlsplit(self.path).query).get("$filter", [""])[0]
        m = re.search(r"armRegionName eq '([^']*)'", flt)
        first = path == "/azure/prices"
        page = json.loads(fixture("azure-page1.json" if first
                                  else "azure-page2.json"))
        if m:
            page["Items"] = [i for i in page["Items"]
                             if i.get("armRegionName") == m.group(1)]
        page["NextPageLink"] = None
        if first and page["Items"]:
            page["NextPageLink"] = base + "/azure/page2?" + urlencode(
                {"$filter": flt, "$skip": 1000})
        return self.send(200, json.dumps(page).encode())

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.posted = self.rfile.read(n).decode("utf-8", "replace")
        self.route()

    def do_GET(self):
        self.posted = ""
        self.route()

    def route(self):
        path = self.path.split("?")[0]
        hits[path] = hits.get(path, 0) + 1
        base = "http://127.0.0.1:%d" % self.server.server_port
        if self.market(path):
            return None
        if path in ("/azure/prices", "/azure/page2"):
            return self.azure_page(path, base)
        if path == "/sky/lambda/vms.csv":
            etag = '"sky-v1"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", "text/csv", [("ETag", etag)])
            return self.send(200, fixture("lambda-vms.csv"), "text/csv",
                             [("ETag", etag)])
        if path == "/ours/rates.yaml" or path.startswith("/ours/prix-"):
            # the second: a URL with non-ASCII text (prix-\u00c9.yaml)
            return self.send(200, fixture("rates.yaml"), "application/yaml")
        if path == "/ours/empty.yaml":
            return self.send(200, b"{}\n", "application/yaml")
        if path == "/fault/304":
            return self.send(304, b"", "application/yaml")
        if path == "/fault/500":
            return self.send(500, b"{}")
        if path == "/fault/429-once":
            if hits[path] == 1:
                return self.send(429, b"{}", headers=[("Retry-After", "1")])
            return self.send(200, fixture("azure-page2.json"))
        if path == "/fault/429-always":
            return self.send(429, b"{}", headers=[("Retry-After", "1")])
        if path == "/fault/slow":
            time.sleep(3)
            return self.send(200, fixture("azure-page2.json"))
        if path == "/fault/truncated":
            body = fixture("azure-page2.json")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 500))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        if path == "/fault/invalid-json":
            return self.send(200, b'{"Items": [ {"armSkuName": ')
        if path == "/fault/big":
            return self.send(200, b'{"Items": [' + b" " * 300000 + b"]}")
        if path == "/fault/html":
            return self.send(200, b"<html>login</html>", "text/html")
        if path == "/fault/loop":
            page = {"Items": [], "NextPageLink": base + "/fault/loop"}
            return self.send(200, json.dumps(page).encode())
        return self.send(404, b"{}")


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # clients that give up (timeouts) are part of the tests


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(srv.server_port))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    srv.serve_forever()


if __name__ == "__main__":
    main()
