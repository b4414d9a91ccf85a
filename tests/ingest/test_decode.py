from __future__ import annotations

from pathlib import Path

from ingest.decode import decode_html
from tests.ingest.corpus import POLISH_LATIN2, body

GERMAN = "Grüße aus Köln: Straße, Maß, Öl"


def _page(meta: str = "", text: str = GERMAN) -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_decode_uses_meta_charset_when_header_has_none() -> None:
    raw = _page('<meta charset="iso-8859-15">').encode("iso-8859-15")
    assert GERMAN in decode_html(raw, None)


def test_decode_uses_http_equiv_content_type() -> None:
    raw = _page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">', "Zażółć gęślą")
    assert "Zażółć gęślą" in decode_html(raw.encode("cp1250"), "text/html")


def test_decode_prefers_http_charset_over_meta() -> None:
    raw = _page('<meta charset="utf-8">').encode("cp1252")
    assert GERMAN in decode_html(raw, "text/html; charset=windows-1252")


def test_decode_honours_byte_order_mark() -> None:
    raw = b"\xef\xbb\xbf" + _page('<meta charset="iso-8859-1">').encode("utf-8")
    assert decode_html(raw, "text/html; charset=iso-8859-1").startswith("<html>")
    assert GERMAN in decode_html(raw, None)


def test_decode_falls_back_when_declared_utf8_is_really_cp1252() -> None:
    raw = _page('<meta charset="utf-8">', GERMAN * 20).encode("cp1252")
    text = decode_html(raw, None)
    assert GERMAN in text and "\ufffd" not in text


def test_decode_keeps_utf8_with_a_stray_invalid_byte() -> None:
    raw = _page('<meta charset="utf-8">', GERMAN * 20).encode("utf-8") + b"<!-- \xe9 -->"
    assert GERMAN in decode_html(raw, None)


def test_decode_keeps_utf8_when_a_few_percent_of_its_sequences_are_stray_bytes() -> None:
    # 20 copies of GERMAN hold 160 valid multi-byte sequences; 6 stray cp1252 bytes are ~4 %.
    raw = _page('<meta charset="utf-8">', GERMAN * 20).encode("utf-8") + b"<p>K\xfcche \xe9" * 3
    text = decode_html(raw, None)
    assert GERMAN in text and text.count("\ufffd") == 6


def test_decode_reads_utf8_bytes_that_declare_latin1() -> None:
    raw = _page('<meta charset="iso-8859-1">').encode("utf-8")
    assert GERMAN in decode_html(raw, None)


def test_decode_maps_latin1_label_to_windows_1252_like_browsers() -> None:
    raw = _page('<meta charset="iso-8859-1">', "“quoted” – dash").encode("cp1252")
    assert "“quoted” – dash" in decode_html(raw, None)


def test_decode_sniffs_undeclared_legacy_encoding() -> None:
    raw = _page(text=GERMAN * 30).encode("cp1252")
    assert GERMAN in decode_html(raw, None)


def test_decode_ignores_unknown_charset_label() -> None:
    raw = _page('<meta charset="x-no-such-charset">').encode("utf-8")
    assert GERMAN in decode_html(raw, None)


def test_decode_finds_meta_charset_after_long_head_scripts_in_corpus_page(corpus_dir: Path) -> None:
    text = decode_html(body(corpus_dir, POLISH_LATIN2), None)
    assert "Ziemniaki na szóstej, surówka na dziesiątej" in text


def test_decode_never_raises_on_binary_garbage() -> None:
    assert isinstance(decode_html(bytes(range(256)) * 10, "text/html; charset=utf-8"), str)
