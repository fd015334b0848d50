#!/usr/bin/env python3
"""A tiny HTTP front for C git's `git http-backend` (CGI), for comparing against Quiver's git
endpoints on the same machine. One process per request, as CGI works; the response body is
spliced from the CGI's pipe to the socket without copying through Python.

usage: git_cgi.py PORT PROJECT_ROOT
"""
import http.server
import os
import subprocess
import sys

PROJECT_ROOT = ""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.run_cgi(b"")

    def do_POST(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.run_cgi(bytes(body))

    def run_cgi(self, body):
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ["PATH"],
            "GIT_PROJECT_ROOT": PROJECT_ROOT,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": self.client_address[0],
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        proc = subprocess.Popen(["git", "http-backend"], env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)
        proc.stdin.write(body)
        proc.stdin.close()
        status, headers = "200 OK", []
        while True:
            line = proc.stdout.readline().rstrip(b"\r\n").decode("latin-1")
            if not line:
                break
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = value.strip()
            else:
                headers.append((name, value.strip()))
        out = [f"HTTP/1.1 {status}\r\n"] + [f"{n}: {v}\r\n" for n, v in headers]
        out.append("Connection: close\r\n\r\n")
        self.wfile.write("".join(out).encode("latin-1"))
        self.wfile.flush()
        self.close_connection = True
        sock = self.connection.fileno()
        pending = proc.stdout.peek() if hasattr(proc.stdout, "peek") else b""
        if pending:
            self.wfile.write(proc.stdout.read(len(pending)))
            self.wfile.flush()
        src = proc.stdout.raw.fileno() if hasattr(proc.stdout, "raw") else proc.stdout.fileno()
        while True:
            n = os.splice(src, sock, 1 << 20)
            if n == 0:
                break
        proc.wait()


if __name__ == "__main__":
    PROJECT_ROOT = os.path.abspath(sys.argv[2])
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
