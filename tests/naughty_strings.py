"""Naughty strings and edge values: what a careless or hostile client may type into any field or parameter.

Compact but varied, in the spirit of the Big List of Naughty Strings (whose PyPI packages are
unmaintained): control characters, CR/LF, invisible and right-to-left text, emoji, digits that are
not ASCII, huge and non-finite numbers, impossible dates, SQL, format and template strings, query
syntax, path tricks, markup and very long text. Values that are bytes are sent raw, so invalid
UTF-8 (a lone surrogate encoded, a stray byte) reaches the server as a client would send it.
"""
from __future__ import annotations

CONTROL = ["\x00", "a\x00b", "plek\x00", "\r\n", "x\r\nSet-Cookie: ew=1", "\n\n\n", "\t", "\x1b[31mrood",
           "\x7f", "\x08\x08", "\x0c", "\u0085", "\u2028", "\u2029"]
INVISIBLE = ["", " ", "\u00a0", "\u200b", "\ufeff", "\u200d", "\u2060", "\u180e", "\u3000"]
SCRIPTS = ["\u202eolleh", "\u202dtest\u202c", "مرحبا بك", "שָׁלוֹם", "ผู้ใช้", "日本語のテキスト", "Ω≈ç√∫˜µ≤≥÷",
           "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗̳͢", "ﷺ", "İstanbul", "ß", "ǅ", "ﬁ", "ＡＢＣ１２３"]
EMOJI = ["😀", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇳🇱", "1️⃣", "❤️", "👾 🙇 💁 🙅"]
DIGITS = ["²", "³⁴", "١٢٣", "०१२", "Ⅻ", "𝟙𝟚𝟛", "０１２", "½", "٣.١٤"]
NUMBERS = ["0", "-0", "-1", "00000000001", "1.5", "1e309", "-1e309", "1e-400", "2147483647", "2147483648",
           "9223372036854775807", "9223372036854775808", "18446744073709551616", "-9223372036854775809",
           "9" * 5000, "NaN", "nan", "sNaN", "-sNaN", "inf", "-Infinity", "Infinity", "0x1F", "1_000", "+7",
           "1,5", "52.09,5.12", "91,181", "NaN,NaN", "inf,-inf"]
DATES = ["9999-12-31", "0001-01-01", "0000-00-00", "10000-01-01", "2026-02-30", "2026-13-01", "1900-01-01",
         "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "2026-11-24T25:61:00", "2026-W60",
         "9999-12", "0000-01", "2026-11-24/9999-12-31", "2026-11-24T10:00/2026-11-23T10:00",
         "1970-01-01T00:00:00Z"]
INJECTION = ["' OR '1'='1", "'; DROP TABLE place; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)",
             "%s%s%s%s%n", "%(name)s", "{0}{1}", "{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "\\", "\\\\\\",
             "%", "%%", "_", "%00", "%0d%0a", "&amp;", "&#0;", "NULL", "null", "None", "undefined", "true",
             "[]", "{}", "()", "$where"]
QUERY_SYNTAX = ["*", "?", "~", "a~2", "\"", "\"\"\"", "(((((", ")))))", "AND", "OR NOT", "name:x", "x^99999",
                "[a TO z]", "{a TO}", "-", "+", "!", "koffie~999999", "*:*", "'", "a" * 99 + "*"]
PATHS = ["../../../../etc/passwd", "..\\..\\windows\\win.ini", "//evil.example/", "/\\evil.example",
         "/\t/evil.example", "https://evil.example/", "javascript:alert(1)", "data:text/html,<b>x</b>",
         "/%0d%0aSet-Cookie:ew=1", "/\r\nLocation: https://evil.example", "/" + "a" * 3000, "@evil.example",
         "file:///etc/passwd", "/plekken?" + "x=1&" * 200]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
          "<!--", "]]>", "<?xml version=\"1.0\"?>"]
LONG = ["A" * 201, "A" * 301, "é" * 1000, "😀" * 600, "woord " * 1500, "x" * 70000]
RAW = [b"\xed\xa0\x80", b"\xed\xb2\x80", b"\xff\xfe", b"\xc0\xaf", b"caf\xe9", b"\x80abc"]

STRINGS: list[str | bytes] = [*CONTROL, *INVISIBLE, *SCRIPTS, *EMOJI, *DIGITS, *NUMBERS, *DATES, *INJECTION,
                              *QUERY_SYNTAX, *PATHS, *MARKUP, *LONG, *RAW, "\\ud800", "\\udfff"]

# Path segments for <int:…> converters and id-like segments.
ID_SEGMENTS = ["0", "-1", "2147483648", "9223372036854775807", "9223372036854775808", "18446744073709551616",
               "9" * 400, "1.5", "²", "١", "1e3"]

# The values that broke pages before: every field and parameter gets these in the quick run too.
CORE: list[str | bytes] = ["a\x00b", "²", "9223372036854775808", "sNaN", "9999-12-31", "A" * 301, "x\r\ny",
                           b"\xed\xa0\x80"]
