#!/usr/bin/env python3
"""Serves the repository root on 127.0.0.1 with the page's Content-Security-Policy as a header.

    scripts/serve.py PORT [ROOT]

`make serve` and the end-to-end test use it. The policy is the one in index.html's
<meta http-equiv="Content-Security-Policy">, read from that file so the two cannot drift, plus
`frame-ancestors 'none'`, which only a header can carry. A meta policy governs the page alone: the
Web Worker (www/worker.js) is a script of its own, covered only by a policy sent with its
response, so without this header the worker could fetch from other origins. Every response gets
the header; static hosts that cannot send headers (GitHub Pages) leave the worker and framing
unguarded, as the README says.
"""

import functools
import html.parser
import http.server
import pathlib
import sys


class _MetaPolicy(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.policy = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = a.get("content")


def page_policy(root: pathlib.Path) -> str:
    parser = _MetaPolicy()
    parser.feed((root / "index.html").read_text(encoding="utf-8"))
    if not parser.policy:
        sys.exit("serve: index.html has no Content-Security-Policy meta tag")
    return parser.policy.rstrip("; ") + "; frame-ancestors 'none'"


class Handler(http.server.SimpleHTTPRequestHandler):
    policy = ""

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1].strip())
    port = int(sys.argv[1])
    root = pathlib.Path(sys.argv[2] if len(sys.argv) == 3 else ".").resolve()
    Handler.policy = page_policy(root)
    handler = functools.partial(Handler, directory=str(root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving {root} at http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
