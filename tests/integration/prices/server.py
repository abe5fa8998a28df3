#!/usr/bin/env python3
"""A price server on loopback for tests/integration/prices.sh: fixtures
in this folder and fault modes. Writes the port it listens on to the
file named by its first argument, then serves until killed."""
import http.server
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
hits = {}


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

    def do_GET(self):
        path = self.path.split("?")[0]
        hits[path] = hits.get(path, 0) + 1
        base = "http://127.0.0.1:%d" % self.server.server_port
        if path == "/azure/prices":
            page = json.loads(fixture("azure-page1.json"))
            page["NextPageLink"] = base + "/azure/page2?$skip=1000"
            return self.send(200, json.dumps(page).encode())
        if path == "/azure/page2":
            return self.send(200, fixture("azure-page2.json"))
        if path == "/sky/lambda/vms.csv":
            etag = '"sky-v1"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", "text/csv", [("ETag", etag)])
            return self.send(200, fixture("lambda-vms.csv"), "text/csv",
                             [("ETag", etag)])
        if path == "/ours/rates.yaml":
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
