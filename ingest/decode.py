"""Bytes -> text, as a browser would: BOM, HTTP charset, ``<meta>`` charset, then sniffing.

Never assumes UTF-8. A declared charset is checked against the bytes: pages that declare one
encoding and are written in another (UTF-8 declared over cp1252 bytes, or the reverse) are common
in the wild, so a declaration that the bytes contradict falls back to sniffing.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# WHATWG's prescan looks at 1024 bytes, but real pages (see corpus page d618a904cff8e4f8) put
# the <meta charset> after a block of cookie-banner scripts, and browsers then re-parse. 16 KiB
# finds every declaration in ../shared/corpus and costs microseconds with a regex.
META_PRESCAN_BYTES = 16_384

# Bytes given to charset_normalizer when sniffing: its cost grows with the input, and 64 KiB of a
# page is plenty to tell encodings apart (measured: same verdict as the full page on the corpus).
SNIFF_MAX_BYTES = 65_536

# A UTF-8 declaration is kept despite invalid sequences when they are at most this share of the
# valid multi-byte sequences: a mostly-UTF-8 page with a few stray cp1252 bytes (an ad snippet,
# a template comment) reads better as UTF-8 with replacement characters than re-sniffed. Measured
# on the 1136 corpus + newsbench pages (session 9): pages that are UTF-8 with strays have at most
# 0.04 invalid per valid sequence, legacy text declared as UTF-8 has 1 or more (one mixed page 3.1);
# 0.25 sits in that gap. The old 0.02 re-sniffed two German UTF-8 pages with 3-4 % strays into
# Arabic cp1256 and mojibake ("Mﺣ۳rz" for "März").
MAX_INVALID_UTF8_SHARE = 0.25

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG Encoding Standard: labels that browsers decode with a superset codec.
_WHATWG_SUPERSETS = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""\bcharset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode an HTML body with the browser's precedence, falling back when the declaration lies."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")

    declared = _codec(_header_charset(content_type)) or _codec(_meta_charset(body))
    if declared is not None:
        text = _decode_declared(body, declared)
        if text is not None:
            return text
    elif body.isascii():
        return body.decode("ascii")
    else:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return _sniff(body, exclude=declared)


def _header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    """The first ``<meta charset>`` or ``<meta http-equiv content="...; charset=">`` near the top."""
    for tag in _META_TAG.finditer(body, 0, META_PRESCAN_BYTES):
        match = _META_CHARSET.search(tag.group(0))
        if match:
            return match.group(1).decode("ascii", errors="ignore")
    return None


def _codec(label: str | None) -> str | None:
    """The Python codec browsers would use for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _WHATWG_SUPERSETS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # UTF-16 declared inside an ASCII-compatible document is a lie by construction (WHATWG: utf-8).
    return "utf-8" if name.startswith("utf-16") else name


def _decode_declared(body: bytes, codec: str) -> str | None:
    """The text under the declared codec, or None when the bytes contradict it."""
    if codec == "utf-8":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
            invalid = text.count("\ufffd")
            valid = len(_UTF8_MULTIBYTE.findall(body))
            return text if invalid <= valid * MAX_INVALID_UTF8_SHARE else None
    if not body.isascii() and _is_real_utf8(body):
        # Legacy charset declared over UTF-8 bytes: valid multi-byte UTF-8 sequences essentially
        # never occur by chance in legacy text, so the bytes win over the declaration.
        return body.decode("utf-8")
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def _is_real_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sniff(body: bytes, exclude: str | None) -> str:
    """Guess the encoding from the bytes; cp1252 (the web's legacy default) if nothing fits."""
    sample = body[:SNIFF_MAX_BYTES]
    for match in from_bytes(sample):
        codec = _codec(match.encoding)
        if codec is None or codec == exclude:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode("cp1252", errors="replace")
