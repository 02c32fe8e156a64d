"""The XSS kit itself: the corpus is big and honest, the checker catches raw payloads and not escaped ones."""
from __future__ import annotations

import base64
import html
import json
import re
import unicodedata
from urllib.parse import unquote

import pytest
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import escape
from werkzeug.wrappers import Response

from tests.xss_corpus import (
    ATTRIBUTE_CONTEXT_PAYLOADS,
    CONTEXT_ONLY_PAYLOADS,
    HTML_CONTEXT_PAYLOADS,
    JS_CONTEXT_PAYLOADS,
    PAYLOADS,
    PAYLOADS_BY_KIND,
    TRANSFORM_PAYLOADS,
    URL_CONTEXT_PAYLOADS,
    assert_response_safe,
    assert_safe,
    contains_marker_intact,
    css_problems,
    find_executable,
    nonce_from_csp,
)

PAGE = "<html><body><p>{}</p></body></html>"
REAL_NONCE = "q3V0aGVudGljLW5vbmNlLXg"  # shaped like secrets.token_urlsafe(16)


def _page(payload) -> str:
    return PAGE.format(payload)


def _json_block(text: str) -> str:
    return f'<html><body><script type="application/json" id="d">{{"name": {text}}}</script></body></html>'


# -- helpers that play "the app transformed the text" ------------------------------------------------------

def _repeat(func, text: str) -> str:
    for _ in range(5):
        decoded = func(text)
        if decoded == text:
            break
        text = decoded
    return text


_JS_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")


def _js_unescape(text: str) -> str:
    return _JS_ESCAPE.sub(lambda m: chr(int(next(g for g in m.groups() if g), 16)), text)


def _utf7(text: str) -> str:
    try:
        return text.encode("ascii").decode("utf-7")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _toy_markdown(text: str) -> str:
    """Render every Markdown link/image destination as an <a href>, like a careless Markdown filter."""
    urls = []
    start = text.find("](")
    while start >= 0:
        depth, i = 1, start + 2
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        urls.append(text[start + 2:i - 1].strip())
        start = text.find("](", i)
    urls += re.findall(r"^\[[^\]]+\]:\s*(\S+)", text, re.M)
    return "".join(f'<a href="{url}">x</a>' for url in urls)


def _jinja(text: str) -> str:
    try:
        return SandboxedEnvironment(autoescape=True).from_string(text).render()
    except Exception:  # noqa: BLE001 - not a template: nothing to render
        return text


TRANSFORMS = {
    "html-unescape": lambda t: _repeat(html.unescape, t),
    "url-decode": lambda t: _repeat(unquote, t),
    "nfkc": lambda t: unicodedata.normalize("NFKC", t),
    "utf-7": _utf7,
    "js-unescape": _js_unescape,
    "markdown": _toy_markdown,
    "jinja": _jinja,
}

DIALOG_CALL = re.compile(r"\b(alert|confirm|prompt|print)\b")


def _decoded_forms(payload: str) -> list[str]:
    text = unicodedata.normalize("NFKC", payload)
    text = _repeat(html.unescape, text)
    text = _repeat(unquote, text)
    text = _js_unescape(text)
    forms = [payload, text, _utf7(payload)]
    for chunk in re.findall(r"base64,([A-Za-z0-9+/=]+)", payload):
        forms.append(base64.b64decode(chunk).decode("utf-8", "replace"))
    return forms


# -- the corpus --------------------------------------------------------------------------------------------

def test_corpus_is_large_distinct_and_short():
    """The corpus holds at least 160 distinct payloads, none longer than 600 characters."""
    assert len(PAYLOADS) >= 160
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert max(map(len, PAYLOADS)) <= 600
    assert sum(map(len, PAYLOADS_BY_KIND.values())) == len(PAYLOADS)


def test_every_kind_the_brief_names_is_present():
    """Every payload kind (HTML, attributes, URLs, SVG/MathML, polyglots, mXSS, JS, CSS, ...) has payloads."""
    assert all(len(payloads) >= 7 for payloads in PAYLOADS_BY_KIND.values()), {
        kind: len(payloads) for kind, payloads in PAYLOADS_BY_KIND.items()}
    for classic in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
                    "${alert(1)}", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
                    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>", "[x](javascript:alert(1))",
                    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", "</script><script>alert(1)</script>"):
        assert classic in PAYLOADS


def test_every_payload_calls_a_dialog_function():
    """Each payload calls alert/confirm/prompt/print (possibly encoded), so browser tests can spot execution."""
    silent = [p for p in PAYLOADS if not any(DIALOG_CALL.search(form) for form in _decoded_forms(p))]
    assert not silent


def test_context_lists_partition_the_corpus():
    """Context-only lists are drawn from PAYLOADS and the HTML list holds exactly the rest."""
    assert CONTEXT_ONLY_PAYLOADS <= set(PAYLOADS)
    assert set(HTML_CONTEXT_PAYLOADS) | CONTEXT_ONLY_PAYLOADS == set(PAYLOADS)
    assert not set(HTML_CONTEXT_PAYLOADS) & CONTEXT_ONLY_PAYLOADS
    assert len(HTML_CONTEXT_PAYLOADS) >= 150


# -- raw payloads are caught -------------------------------------------------------------------------------

def test_every_html_payload_is_flagged_when_inserted_raw():
    """Every payload that is dangerous as HTML text is reported when pasted unescaped into a page."""
    missed = [p for p in HTML_CONTEXT_PAYLOADS if not find_executable(_page(p))]
    assert not missed


def test_context_only_payloads_are_inert_as_plain_text():
    """Context-only payloads really are harmless as HTML text (else they belong in the HTML list)."""
    flagged = {p: find_executable(_page(p)) for p in CONTEXT_ONLY_PAYLOADS}
    assert not {p: problems for p, problems in flagged.items() if problems}


def test_attribute_payloads_are_flagged_inside_an_attribute():
    """Attribute-breaking payloads are reported when pasted unescaped into a quoted or unquoted attribute."""
    templates = ('<p title="{}">x</p>', "<p title='{}'>x</p>", "<p title={}>x</p>")
    missed = [p for p in ATTRIBUTE_CONTEXT_PAYLOADS
              if not any(find_executable(t.format(p)) for t in templates)]
    assert not missed


def test_url_payloads_are_flagged_in_href_even_when_escaped():
    """Bare script URLs are reported in href, raw or HTML-escaped: escaping does not defuse a URL."""
    for payload in URL_CONTEXT_PAYLOADS:
        assert find_executable(f'<a href="{payload}">x</a>'), payload
        assert find_executable(f'<a href="{escape(payload)}">x</a>'), payload
        assert find_executable(f'<form action="{escape(payload)}"></form>'), payload


def test_transform_payloads_are_flagged_after_the_transform():
    """Encoded, Markdown and template payloads turn executable once the app decodes or renders them."""
    missed = [p for p in TRANSFORM_PAYLOADS
              if not any(find_executable(_page(transform(p))) for transform in TRANSFORMS.values())]
    assert not missed


# -- escaped payloads are not flagged ----------------------------------------------------------------------

@pytest.mark.parametrize("template", [
    PAGE,
    '<html><body><p title="{}">x</p></body></html>',
    "<html><body><p title='{}'>x</p></body></html>",
    "<html><body><textarea name=t>{}</textarea></body></html>",
    '<html><body><a href="/places/1" aria-label="{}">x</a></body></html>',
], ids=["text", "double-quoted", "single-quoted", "textarea", "aria-label"])
def test_escaped_payloads_are_clean(template):
    """No payload is reported once markupsafe-escaped into text or a quoted non-URL attribute."""
    noisy = {p: find_executable(template.format(escape(p))) for p in PAYLOADS}
    assert not {p: problems for p, problems in noisy.items() if problems}


def test_html_safe_json_blocks_are_clean_and_plain_json_dumps_is_not():
    """Payloads in a JSON data block are clean with HTML-safe JSON; plain json.dumps of '</script' is flagged."""
    noisy = {p: find_executable(_json_block(htmlsafe_json_dumps(p))) for p in PAYLOADS}
    assert not {p: problems for p, problems in noisy.items() if problems}
    breaking = [p for p in PAYLOADS if re.search(r"</script|<!--", p, re.I)]
    assert breaking
    for payload in breaking:
        assert find_executable(_json_block(json.dumps(payload))), payload
    assert set(JS_CONTEXT_PAYLOADS) <= set(PAYLOADS)


# -- our own scripts ---------------------------------------------------------------------------------------

def test_our_scripts_are_clean():
    """A static script, a script with the page nonce and an escaped JSON block are not reported."""
    page = ('<html><head><script src="/static/x.js"></script></head><body>'
            '<script nonce="abc">window.x = 1 < 2;</script>'
            '<script type="application/json" id="d">{"a":"\\u003c/script\\u003e"}</script></body></html>')
    assert find_executable(page, nonce="abc") == []


def test_raw_script_breakout_in_json_block_is_flagged():
    """A JSON block holding '</script><script>alert(1)</script>' unescaped is reported."""
    page = ('<html><body><script type="application/json" id="d">{"a":"</script><script>alert(1)</script>"}'
            "</script></body></html>")
    problems = find_executable(page)
    assert any("not ours" in p for p in problems)
    assert any("not valid JSON" in p for p in problems)


@pytest.mark.parametrize("body, expected", [
    ('{"a":"</script/x><img src=x onerror=alert(1)>"}', "'</script' inside a script block"),
    ('{"a":"<!--<script>"}', "'<!--' inside a script block"),
    ('{"a":"<script>"}', "'<script' inside a JSON data block"),
    ('{"a":', "not valid JSON"),
])
def test_json_block_hazards_are_flagged(body, expected):
    """JSON blocks with a script end tag, a comment opener, '<script' or broken JSON are reported."""
    problems = find_executable(f'<script type="application/json">{body}</script>')
    assert any(expected in p for p in problems), problems


def test_nonces():
    """Only the page nonce makes an inline script ours; without one, odd or short nonces are reported."""
    ours = f'<script nonce="{REAL_NONCE}">init()</script>'
    assert find_executable(ours) == []
    assert find_executable(ours, nonce=REAL_NONCE) == []
    assert find_executable(ours, nonce="something-else-entirely")
    two = ours + ours + '<script nonce="guessed-but-long-enough">alert(1)</script>'
    assert [p for p in find_executable(two) if "foreign nonce 'guessed-but-long-enough'" in p]
    assert find_executable('<script nonce="abc">alert(1)</script>')  # too short to be real
    assert find_executable(ours + '<script nonce="abc">alert(1)</script>', nonce=REAL_NONCE)
    assert find_executable('<script nonce="x" type="text/plain">alert(1)</script>', nonce="y")
    assert nonce_from_csp(f"default-src 'self'; script-src 'self' 'nonce-{REAL_NONCE}'") == REAL_NONCE
    assert nonce_from_csp(None) is None


def test_inline_script_with_nonce_must_not_hold_a_comment_opener():
    """'<!--' inside our own inline script is reported (it starts the script-data-escaped state)."""
    problems = find_executable(f'<script nonce="{REAL_NONCE}">var s = "<!--";</script>')
    assert any("'<!--'" in p for p in problems)


def test_static_script_paths_must_stay_under_static():
    """Scripts from other sites or escaping /static/ with dot segments are reported."""
    for src in ("https://cdn.example/x.js", "//cdn.example/x.js", "/static/../api/x", "/static/%2e%2e/api/x",
                "/api/places?callback=alert", "/static\\..\\x.js"):
        assert find_executable(f'<script src="{src}"></script>'), src
    assert find_executable('<script src="/assets/x.js"></script>', static_prefixes=("/assets/",)) == []


# -- the rest of the rules, on a realistic page ------------------------------------------------------------

def test_a_realistic_page_is_clean():
    """A page shaped like ours (links, forms, inline styles, icons, maps data, scripts) is not reported."""
    data = htmlsafe_json_dumps({"places": [{"name": p, "popup": p} for p in PAYLOADS]})
    page = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Plekken · Ervaringswijzer</title>
<link rel="stylesheet" href="/static/css/site.css"><link rel="icon" href="/static/favicon.png">
<link rel="canonical" href="https://ervaringswijzer.example/plekken">
<link rel="alternate" hreflang="en" href="https://ervaringswijzer.example/plekken?lang=en">
<!-- list of places -->
</head><body>
<a class="skip-link" href="#inhoud">Ga naar de inhoud</a>
<nav><ul><li><a href="/places/">Plekken</a></li><li><a href="places/2?lang=en" hreflang="en">English</a></li></ul></nav>
<main id="inhoud" tabindex="-1">
<form class="filters" method="get" action="/places/"><input name="q" value="{escape(PAYLOADS[0])}">
<button type="submit" formaction="/places/">Zoek</button></form>
<p><a href="https://www.example.org/" rel="noopener">website</a> <a href="mailto:info@example.org">mail</a>
<a href="tel:+31201234567">bel</a></p>
<div id="map" style="height: 24rem; background: url(/static/img/tiles.png)"></div>
<img src="data:image/png;base64,iVBORw0KGgo=" alt=""><img src="/static/img/logo.svg" alt="">
<svg aria-hidden="true"><use href="#icon-star"></use></svg>
<math><mi>x</mi></math>
<style>.x {{ color: red; background: url("/static/img/a.png") }}</style>
</main>
<script type="application/json" id="places-data">{data}</script>
<script src="/static/js/map.js" defer></script>
<script nonce="{REAL_NONCE}">window.EW = {{ready: true}};</script>
</body></html>"""
    assert find_executable(page) == []
    assert_safe(page, "realistic page", nonce=REAL_NONCE)


@pytest.mark.parametrize("snippet, expected", [
    ('<img src="data:image/svg+xml,<svg></svg>">', "data: URL"),
    ('<img src="data:image/png;base64,AAAA">', None),
    ('<a href="data:image/png;base64,AAAA">x</a>', "data: URL"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "off site"),
    ('<link rel="alternate" href="javascript:alert(1)">', "off site"),
    ('<meta http-equiv="refresh" content="5">', "http-equiv=refresh"),
    ('<meta http-equiv="content-type" content="text/html">', None),
    ('<p style="background:url(//evil.example/x.png)">x</p>', "non-relative URL"),
    ('<p style="background:url(img/x.png)">x</p>', None),
    ('<svg><use href="https://evil.example/sprite.svg#x"></use></svg>', "outside the document"),
    ('<math><mi href="/places/1">x</mi></math>', "inside <math>"),
    ('<p>after</p><math/><a href="/x">x</a>', None),
    ("<iframe></iframe>", "<iframe> element"),
    ('<p title="a &lt; b">x</p>', None),
])
def test_individual_rules(snippet, expected):
    """Each checker rule fires on its construct and stays quiet on the harmless twin."""
    problems = find_executable(snippet)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_css_problems():
    """The CSS check sees through comments and escapes and accepts relative URLs."""
    assert css_problems("color: red; background: url('/static/a.png')") == []
    assert css_problems("x: expr/**/ession(alert(1))")
    assert css_problems("x: \\65 xpression(alert(1))")
    assert css_problems("@import 'https://evil.example/x.css'")


# -- reporting ---------------------------------------------------------------------------------------------

def test_assert_safe_reports_where_and_context():
    """assert_safe names the page, each problem and a context snippet; it is silent on a clean page."""
    assert_safe(_page(escape("<script>alert(1)</script>")), "clean page")
    with pytest.raises(AssertionError) as info:
        assert_safe(_page("<img src=x onerror=alert(1)>"), "review page")
    message = str(info.value)
    assert "review page" in message
    assert "onerror" in message
    assert "context: '<html><body><p><img src=x onerror=alert(1)>" in message


def test_assert_response_safe_takes_the_nonce_from_the_csp_header():
    """assert_response_safe trusts only the nonce announced in the response's CSP header."""
    body = f'<html><body><script nonce="{REAL_NONCE}">init()</script></body></html>'
    good = Response(body, headers={"Content-Security-Policy": f"script-src 'self' 'nonce-{REAL_NONCE}'"})
    assert_response_safe(good, "good")
    bad = Response(body, headers={"Content-Security-Policy": "script-src 'self' 'nonce-otherotherotherother'"})
    with pytest.raises(AssertionError):
        assert_response_safe(bad, "bad")


def test_contains_marker_intact():
    """Escaped payloads read back as intact text; raw ones, parsed as markup, do not."""
    for payload in PAYLOADS:
        assert contains_marker_intact(_page(escape(payload)), payload), payload
        assert contains_marker_intact(f'<p title="{escape(payload)}">x</p>', payload), payload
    # HTMLParser reads a tag with a NUL in its name as text; a browser reads an (inert) unknown element.
    swallowed = [p for p in HTML_CONTEXT_PAYLOADS if "\x00" not in p and contains_marker_intact(_page(p), p)]
    assert not swallowed
    assert contains_marker_intact(_page(escape("<b>x</b>")), "  <b>x</b>\n")
    assert contains_marker_intact("<p>a\nb</p>", "a\r\nb")
    assert contains_marker_intact("<p>ab</p>", "a\x00b")
