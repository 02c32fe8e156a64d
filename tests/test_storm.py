"""The storm: naughty strings through every field of every form and every query parameter of every GET route.

Forms are found by rendering every page as each role (CSRF on, tokens taken from the page); routes
and their path arguments come from app.url_map, query parameter names from the code that reads them.
No answer may be a 5xx, and a form that comes back with a message still shows what else was typed.
Every field and parameter gets the values that broke pages before (CORE) plus a rotating share of the
other strings: a small share in the default run (every string is used somewhere), a wider one in the
`slow` run (every string reaches many fields and every parameter), bounded so that CI stays in time.
Fields that differ only by a number (the opening-hours rows) get the whole sample once per form.
The wide run goes against PostgreSQL only, the production database; the default run covers both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
import sqlalchemy as sa
from markupsafe import escape

from ervaringswijzer.extensions import db
from ervaringswijzer.places.categories import FLAG_KEYS
from tests.conftest import BACKENDS, REVIEW_FORM, _load_demo, reviews_login
from tests.naughty_strings import CORE, ID_SEGMENTS, STRINGS

ROLES = (None, "member", "peer_expert", "social_worker", "coordinator", "moderator", "admin")
PACKAGE = Path(__file__).resolve().parent.parent / "ervaringswijzer"
SKIP_ENDPOINTS = {"static", "maps.static", "maps.map_asset"}
SKIP_ACTIONS = ("/uitloggen",)
TEXT_KINDS = ("text", "textarea", "search", "email")  # posting it would end the role's session for the rest of the storm
# Valid values for companion fields that a page leaves empty, so a re-render can be checked for them.
COMPANIONS = {"pseudonym": "stormlid", "title": "Kaart voor Sam", "name": "Huiskamer Storm",
              "city": "Utrecht", "remark": "Het telefoonnummer klopt niet meer.",
              "reason": "Dit klopt niet met wat ik zag.", "description": "Koffie en een praatje.",
              "text": "Een rustige plek met goede koffie en aardige mensen die je helpen."}


def query_parameter_names() -> list[str]:
    """Every query parameter some view reads, found in the code (plus the flag checkboxes)."""
    names = set(FLAG_KEYS)
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"args\.get(?:list)?\(\s*[\"'](\w+)[\"']", text))
        names.update(re.findall(r"args\[[\"'](\w+)[\"']\]", text))
    return sorted(names)


# -- forms as a browser sees them --------------------------------------------------------------------------

@dataclass
class Form:
    role: str | None
    page: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, default value)

    @property
    def key(self) -> tuple:
        # One form per route and set of fields: the same form for another place or map adds nothing.
        return re.sub(r"\d+", "N", urlsplit(self.action).path), tuple(sorted({name for name, _, _ in self.fields}))

    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, kind, _ in self.fields if name != "csrf_token"))


class FormParser(HTMLParser):
    """The POST forms of a page with each control's name, kind and the value a browser would send."""

    def __init__(self, role, page):
        super().__init__(convert_charrefs=True)
        self.role, self.page, self.forms, self._form = role, page, [], None
        self._textarea = self._select = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(self.role, self.page, a.get("action") or self.page)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                self._form.fields.append((a["name"], "checked" if "checked" in a else "unchecked",
                                          a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self._form.fields.append((a["name"], kind, a.get("value", "")))
        elif tag == "button" and a.get("name") and a.get("value"):
            self._form.fields.append((a["name"], "button", a["value"]))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea[0], "textarea", self._textarea[1].lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [v for v, sel in self._options if sel] or [v for v, _ in self._options[:1]]
            self._form.fields.append((self._select, "select", chosen[0] if chosen else ""))
            self._select = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


# -- the world the storm runs in ---------------------------------------------------------------------------

@dataclass
class World:
    app: object
    clients: dict
    path_values: dict


@pytest.fixture
def world(app, reviews_member, geocoder_server):
    """Demo places, one member per role, a review, a report, a suggestion and a shared map; CSRF on."""
    app.config.update(GEOCODER_URL=geocoder_server.url, GEOCODER_TIMEOUT=0.5, GEOCODER_MIN_DELAY=0,
                      GEOCODER_USER_AGENT="Ervaringswijzer-tests/1.0")
    _load_demo(app)
    from ervaringswijzer.accounts.models import Member
    from ervaringswijzer.moderation.models import InfoReport
    from ervaringswijzer.places.models import Place
    from ervaringswijzer.reviews.models import Review

    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        reviews_login(clients[role], reviews_member(role, pseudonym=f"storm-{role}") if role else None)
    with app.app_context():
        slug, city, wijk = db.session.execute(sa.select(Place.slug, Place.city, Place.wijk).where(
            Place.wijk != "").order_by(Place.id)).first()
    assert clients["member"].post(f"/plek/{slug}/ervaring", data=REVIEW_FORM).status_code == 302
    clients[None].post(f"/plek/{slug}/klopt-niet", data={"kind": "phone", "remark": "Nummer werkt niet"})
    clients["social_worker"].post("/mijn-kaarten", data={"title": "Kaart voor Sam"})
    with app.app_context():
        place_id = db.session.scalar(sa.select(Place.id).where(Place.slug == slug))
        map_id = db.session.scalar(sa.text("SELECT id FROM shared_map"))
        clients["social_worker"].post("/mijn-kaarten/toevoegen", data={"map_id": map_id, "place_id": place_id})
        page = clients["social_worker"].get(f"/mijn-kaarten/{map_id}").get_data(as_text=True)
        token = re.search(r"/k/([A-Za-z0-9_-]{16,})", page).group(1)
        values = {"slug": slug, "city": city, "wijk": wijk, "token": token, "kind": "png",
                  "place_id": place_id, "map_id": map_id,
                  "review_id": db.session.scalar(sa.select(Review.id)),
                  "report_id": db.session.scalar(sa.select(InfoReport.id)),
                  "member_id": db.session.scalar(sa.select(Member.id).where(Member.role == "member"))}
    app.config["WTF_CSRF_ENABLED"] = True
    return World(app, clients, values)


def _get_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in SKIP_ENDPOINTS]


def _build(rule, values: dict, override: dict | None = None) -> str:
    """The rule's path with its arguments filled in (raw segments are percent-encoded as a browser would)."""
    path = rule.rule
    for name in rule.arguments:
        value = (override or {}).get(name, values.get(name, "x"))
        path = re.sub(r"<(?:[^>:]+:)?" + re.escape(name) + ">", quote(str(value), safe=""), path)
    return path


def discover_forms(world: World) -> list[Form]:
    """Every distinct POST form on every page, as seen by each role."""
    seen, forms = set(), []
    for role, client in world.clients.items():
        for rule in _get_rules(world.app):
            url = _build(rule, world.path_values)
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            parser = FormParser(role, url)
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                if form.key not in seen and not urlsplit(form.action).path.endswith(SKIP_ACTIONS):
                    seen.add(form.key)
                    forms.append(form)
    return forms


def _encode(pairs) -> str:
    return urlencode([(k, v) for k, v in pairs], doseq=False)


def _sample(index: int, per_field: int) -> list:
    return CORE + [STRINGS[(index * per_field + i) % len(STRINGS)] for i in range(per_field)]


def _shown(value) -> str:
    return str(escape(value))


CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def _csrf_secret(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("csrf_token")


def _renewed_csrf(client, page: str, before: str | None) -> str | None:
    """Logging in or out (a registration too) renews the CSRF secret on purpose: the next form the
    member sees carries a new token. Read it from the page, as a browser would; None when unchanged."""
    if _csrf_secret(client) == before is not None:
        return None
    match = CSRF_INPUT.search(client.get(page, follow_redirects=True).get_data(as_text=True))
    return match.group(1) if match else None


def storm_forms(world: World, per_field: int) -> tuple[list[str], int]:
    """Post naughty values field by field; return (problems, number of posts)."""
    problems, sent, index = [], 0, 0
    forms = discover_forms(world)
    assert len(forms) >= 15, [f.action for f in forms]
    for form in forms:
        client = world.clients[form.role]
        base = [(n, COMPANIONS.get(n, v) if not v.strip() and k in TEXT_KINDS else v)
                for n, k, v in form.fields if k != "unchecked"]
        texts = [(n, v) for (n, v), (_, k, _) in zip(base, [f for f in form.fields if f[1] != "unchecked"])
                 if k in TEXT_KINDS and v.strip()]
        token = _renewed_csrf(client, form.page, None)  # an earlier form may have logged this client in or out
        if token:
            base = [(n, token if n == "csrf_token" else v) for n, v in base]
        shapes: set[str] = set()
        for name in form.names():
            index += 1
            companion = next(((n, v) for n, v in texts if n != name), None)
            # Fields that differ only by a number (an opening-hours row per weekday and period) are read
            # by the same code: the first gets the whole sample, each further one a string of its own.
            shape = re.sub(r"\d+", "N", name)
            values = _sample(index, per_field) if shape not in shapes else [STRINGS[index % len(STRINGS)]]
            shapes.add(shape)
            for value in values:
                pairs = [(n, v) for n, v in base if n != name] + [(name, value)]
                secret = _csrf_secret(client)
                response = client.post(form.action, data=_encode(pairs),
                                       content_type="application/x-www-form-urlencoded")
                sent += 1
                token = _renewed_csrf(client, form.page, secret)
                if token:
                    base = [(n, token if n == "csrf_token" else v) for n, v in base]
                where = f"{form.role} POST {form.action} {name}={value!r:.60}"
                if response.status_code >= 500:
                    problems.append(f"{response.status_code} {where}")
                elif response.status_code == 400 and b"CSRF" in response.data:
                    problems.append(f"CSRF lost: {where}")
                elif (response.status_code in (200, 409) and companion
                      and f'name="{companion[0]}"' in response.get_data(as_text=True)
                      and _shown(companion[1].strip()) not in response.get_data(as_text=True)):
                    problems.append(f"lost {companion[0]}={companion[1]!r:.40}: {where}")
    return problems, sent


def storm_queries(world: World, per_param: int) -> tuple[list[str], int]:
    """GET every route with naughty query parameters and naughty path arguments; return (problems, requests)."""
    names = query_parameter_names()
    assert {"q", "at", "next", "page", "near", "melding"} <= set(names), names
    problems, sent = [], 0
    for role in (None, "admin"):
        client = world.clients[role]
        for n, rule in enumerate(_get_rules(world.app)):
            urls = [_build(rule, world.path_values)]
            if role and world.clients[None].get(urls[0]).status_code == 200:
                continue  # a public page: the anonymous run covered it
            for arg in rule.arguments:
                segments = ID_SEGMENTS if "int" in str(rule._converters.get(arg)).lower() else \
                    [STRINGS[(n + i) % len(STRINGS)] for i in range(3)]
                urls += [_build(rule, world.path_values, {arg: s}) for s in segments if isinstance(s, str)]
            # Every parameter at once, several rounds, each round another string per parameter
            # (the values that broke pages before come first).
            pool = CORE + STRINGS
            queries = [[(name, pool[(n * 7 + k * 13 + i) % len(pool)] if k >= len(CORE) else CORE[k])
                        for i, name in enumerate(names)] for k in range(per_param)]
            requests = [(url, []) for url in urls] + [(urls[0], q) for q in queries]
            for url, query in requests:
                full = url + ("?" + _encode(query) if query else "")
                response = client.get(full)
                sent += 1
                if response.status_code >= 500:
                    problems.append(f"{response.status_code} {role} GET {full[:160]}")
    return problems, sent


def test_default_storm_finds_no_server_errors(world):
    """A rotating sample of naughty strings in every form field and every query parameter: no 5xx, nothing lost."""
    problems, posts = storm_forms(world, per_field=2)
    more, gets = storm_queries(world, per_param=len(CORE) + 2)
    assert posts > 600 and gets > 600
    assert not problems + more, "\n".join((problems + more)[:40])


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("app", [BACKENDS[1]], indirect=True)
def test_full_storm_finds_no_server_errors(world):
    """A wide share of naughty strings in every form field and query parameter: no 5xx, nothing lost."""
    problems, _posts = storm_forms(world, per_field=12)
    more, _gets = storm_queries(world, per_param=len(CORE) + 30)
    assert not problems + more, "\n".join((problems + more)[:40])
