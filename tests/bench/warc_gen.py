#!/usr/bin/env python3
"""Writes a synthetic crawl as a .warc.gz, one gzip member per record, as crawlers write it.

    python3 tests/bench/warc_gen.py OUT.warc.gz [--size-mb 1100] [--seed 1]

Deterministic from --seed. Each capture is a `request` and a `response` record with HTTP
headers, and some a `metadata` record; payloads are mixed as in a real crawl: HTML articles of
invented sites (about 30 KB each with their scripts and styles; some sent gzip-encoded, some
chunked), JPEG and PNG images of random bytes, PDFs, 301 redirects, 404 pages, and `revisit`
records of earlier pages. Articles are composed from a pool of invented sentences, so pages
share few 5-word shingles (no near-duplicate clusters) while a site's template lines recur. It
writes until the compressed file holds --size-mb megabytes, and prints what it wrote.
"""
import argparse
import gzip
import io
import random
import sys
import uuid
import zlib

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "du", "fe", "go", "ha", "ji",
             "pu", "ze", "xo", "wa", "ye", "qu"]


def member(record: bytes, level: int) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=level, mtime=0) as gz:
        gz.write(record)
    return out.getvalue()


def warc(kind: str, rng: random.Random, headers: dict, block: bytes) -> bytes:
    rid = uuid.UUID(int=rng.getrandbits(128), version=4)
    head = [f"WARC/1.0", f"WARC-Type: {kind}", f"WARC-Record-ID: <urn:uuid:{rid}>"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    head.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def http(status: str, headers: dict, body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked(body: bytes, size: int) -> bytes:
    out = bytearray()
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
    return bytes(out + b"0\r\n\r\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=1100)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(30000)]
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(10, 22))).capitalize() + "."
                 for _ in range(40000)]
    sites = [f"www.{rng.choice(words)}{i}-news.example" for i in range(200)]
    template = {}
    for site in sites:
        menu = "".join(f"<li><a href='/{w}'>{w.title()}</a></li>" for w in rng.sample(words, 12))
        footer = " ".join(rng.sample(words, 30))
        script = "var config = {" + ",".join(f"'{w}': {rng.randint(0, 99999)}"
                                            for w in rng.sample(words, 900)) + "};"
        style = "".join(f".{w} {{ margin: {rng.randint(0, 40)}px; color: #{rng.randint(0, 0xffffff):06x} }}\n"
                        for w in rng.sample(words, 300))
        template[site] = (menu, footer, script, style)

    target = int(args.size_mb * 1e6)
    out = open(args.out, "wb")
    written = 0
    counts = {}
    pages = []

    def put(record: bytes, kind: str, level: int = 6) -> None:
        nonlocal written
        data = member(record, level)
        out.write(data)
        written += len(data)
        counts[kind] = counts.get(kind, 0) + 1

    info = b"software: warc_gen.py\r\nformat: WARC File Format 1.0\r\n"
    put(warc("warcinfo", rng, {"WARC-Date": "2024-05-01T00:00:00Z",
                               "Content-Type": "application/warc-fields"}, info), "warcinfo")
    n = 0
    while written < target:
        n += 1
        site = rng.choice(sites)
        url = f"https://{site}/{rng.choice(words)}/{n}/{rng.choice(words)}"
        date = f"2024-05-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:{(n * 7) % 60:02d}Z"
        common = {"WARC-Target-URI": url, "WARC-Date": date}
        request = f"GET {url[url.index('/', 8):]} HTTP/1.1\r\nHost: {site}\r\nUser-Agent: gen\r\n\r\n"
        put(warc("request", rng, {**common, "Content-Type": "application/http; msgtype=request"},
                 request.encode()), "request")
        kind = n % 20
        response_headers = {**common, "Content-Type": "application/http; msgtype=response"}
        if kind in (3, 11):  # an image
            body = rng.randbytes(rng.randint(8000, 60000))
            mime = "image/jpeg" if kind == 3 else "image/png"
            put(warc("response", rng, response_headers,
                     http("200 OK", {"Content-Type": mime, "Content-Length": len(body)}, body)),
                "image", level=1)
            continue
        if kind == 7:  # a PDF
            body = b"%PDF-1.4\n" + rng.randbytes(rng.randint(20000, 80000))
            put(warc("response", rng, response_headers,
                     http("200 OK", {"Content-Type": "application/pdf"}, body)), "pdf", level=1)
            continue
        if kind == 5:  # a redirect
            put(warc("response", rng, response_headers,
                     http("301 Moved Permanently", {"Location": url + "/", "Content-Length": 0}, b"")),
                "redirect")
            continue
        if kind == 13:  # not found
            body = b"<html><body><h1>Not Found</h1></body></html>"
            put(warc("response", rng, response_headers,
                     http("404 Not Found", {"Content-Type": "text/html"}, body)), "404")
            continue
        if kind == 17 and pages:  # a revisit of an earlier page
            uri, when = rng.choice(pages)
            put(warc("revisit", rng, {**response_headers, "WARC-Target-URI": uri,
                                      "WARC-Refers-To-Target-URI": uri,
                                      "WARC-Refers-To-Date": when,
                                      "WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"},
                     http("200 OK", {"Content-Type": "text/html"}, b"")), "revisit")
            continue
        menu, footer, script, style = template[site]
        paragraphs = "".join("<p>" + " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
                             + "</p>\n" for _ in range(rng.randint(6, 14)))
        title = " ".join(rng.choice(words) for _ in range(7)).title()
        page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
                f"<style>{style}</style><script>{script}</script></head><body>"
                f"<nav><ul>{menu}</ul></nav><article><h1>{title}</h1>{paragraphs}</article>"
                f"<footer>{footer}</footer></body></html>").encode()
        headers = {"Content-Type": "text/html; charset=utf-8"}
        body = page
        if n % 3 == 0:
            body = zlib.compress(page, 6, 31)  # gzip-encoded
            headers["Content-Encoding"] = "gzip"
        if n % 4 == 0:
            body = chunked(body, 8192)
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = len(body)
        put(warc("response", rng, response_headers, http("200 OK", headers, body)), "html")
        pages.append((url, date))
        if n % 5 == 0:
            put(warc("metadata", rng, {**common, "Content-Type": "application/warc-fields"},
                     f"fetchTimeMs: {n % 900}\r\n".encode()), "metadata")
    out.close()
    print(f"{args.out}: {written / 1e6:.1f} MB, " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
