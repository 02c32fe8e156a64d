"""Sanitising review text: a short allow-list of markup, links made harmless. No Flask import."""
from __future__ import annotations

import html
import re
import threading
from functools import lru_cache, partial

import bleach
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "i", "b", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
BLOCK_TAGS = ("<p", "<ul", "<ol")

# bleach keeps the text inside <script>/<style> when it strips the tags; drop such elements whole.
_DROP_ELEMENTS = re.compile(
    r"<\s*(script|style|template|noscript|iframe|object|textarea|title|xmp|noembed|noframes)\b.*?"
    r"(<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL)


# Everything that knows bleach is between here and _bleach(); a move to another sanitiser
# (nh3) changes only this part.
def _link_rel(attrs, new=False):
    """Every link gets rel=nofollow ugc noopener; a link whose address was removed is dropped."""
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(("http://", "https://", "mailto:")):
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


# A Cleaner keeps its parser's state while it works, so one shared by threads (a threaded server,
# two submits at once) mangles text now and then: each thread makes and keeps its own.
_threads = threading.local()


def _cleaner() -> bleach.Cleaner:
    cleaner = getattr(_threads, "cleaner", None)
    if cleaner is None:
        cleaner = _threads.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True,
            strip_comments=True, filters=[partial(LinkifyFilter, callbacks=[_link_rel], parse_email=False)])
    return cleaner


def _bleach(text: str, keep_markup: bool) -> str:
    """The one call into bleach: the allowed markup with links made harmless, or no markup at all."""
    if keep_markup:
        return _cleaner().clean(text)
    return bleach.clean(text, tags=set(), strip=True)


def _drop_dangerous_elements(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _DROP_ELEMENTS.sub("", text)
    return text


def clean_html(text: str) -> str:
    """Allowed markup only; plain line breaks become paragraphs and <br>. Safe to run twice."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    cleaned = _bleach(_drop_dangerous_elements(text), keep_markup=True).strip()
    if not cleaned or any(tag in cleaned for tag in BLOCK_TAGS):
        return cleaned
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", cleaned) if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)


def plain_text(text: str) -> str:
    """The words a reader sees, without markup (for length limits, search and crisis checks)."""
    spaced = re.sub(r"<\s*(br|/p|/li)\b[^>]*>", " ", _drop_dangerous_elements(text or ""), flags=re.I)
    stripped = _bleach(spaced, keep_markup=False)
    return " ".join(html.unescape(stripped).split())


@lru_cache(maxsize=4096)
def review_markup(text: str) -> Markup:
    """For templates: stored review HTML is cleaned again on output, so a row written around
    the services (an import, a database fix by hand) can never carry a script to a reader.
    Remembered per text (cleaning is a pure function of it): bleach was a tenth of a place page."""
    return Markup(clean_html(text))
