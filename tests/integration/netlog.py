#!/usr/bin/env python3
"""Prints every request a page made, from a Chromium net log
(--log-net-log): the URL of each URL_REQUEST_START_JOB made in the page's
own context (its network isolation key names the page's file:// origin),
other than file: and data: URLs. The browser's own background requests
(updates, time, accounts) have no such key and are not the page's.
Usage: netlog.py NETLOG.json"""
import json
import sys


def main(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # a log cut short when the browser exits lacks its closing brackets
    for tail in ("", "]}", "{}]}"):
        try:
            log = json.loads(text.rstrip().rstrip(",") + tail)
            break
        except ValueError:
            continue
    else:
        print("netlog.py: cannot read %s" % path, file=sys.stderr)
        return 2
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    for e in log.get("events", []):
        p = e.get("params") or {}
        if types.get(e.get("type")) != "URL_REQUEST_START_JOB":
            continue
        url = p.get("url", "")
        if url.startswith(("file:", "data:")):
            continue
        if "file://" in str(p.get("network_isolation_key", "")):
            print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
