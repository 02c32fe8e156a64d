"""Hostile and odd query strings never give a 500: they are searched as the plain words they contain."""
import pytest

HOSTILE = [
    '"', '""', '"koffie', 'koffie"', "'", "''", "'s", "`", "\\", "\\\\",
    "AND", "OR", "NOT", "AND OR", "koffie AND", "OR koffie", "NOT NOT NOT", "koffie AND OR NOT thee",
    "*", "**", "koffie*", "*koffie", "?", "kof?ie", "~", "koffie~", "koffie~2", "koffie^5", "^",
    "name:", "name:koffie", ":", "::", "field:value:other", "id:1", "wijk:Overvecht",
    "[a TO", "[a TO z]", "{a TO z}", "[", "]", "{", "}", "(", ")", "((koffie", "koffie))", "(a OR (b AND",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "${alert(1)}", "{{7*7}}", "%s%s%s",
    "' OR 1=1 --", "'; DROP TABLE place; --", "%", "%%", "_", "koffie%", "\x00", "koffie\x00thee",
    "\u200b", "\ufeffkoffie", "🙂", "☕ koffie", "كافيه", "кофе", "ĳssalon", "café" * 50, "a" * 500,
    " ".join(["koffie"] * 100), "-", "--", "+koffie -thee", "!", "koffie!", "&", "&&", "||", "/", "/regex/",
    "NaN", "null", "None", "undefined", "0", "-1", "1e309",
]


def test_there_are_at_least_fifty():
    """The hostile set is large enough to mean something."""
    assert len(HOSTILE) >= 50


@pytest.mark.parametrize("q", HOSTILE, ids=[f"h{i}" for i in range(len(HOSTILE))])
def test_hostile_query_is_answered(relevance_app, q):
    """The search API, the places API, suggestions and the list page all answer without an error."""
    client = relevance_app.test_client()
    search = client.get("/api/v1/search", query_string={"q": q})
    assert search.status_code in (200, 400)
    if search.status_code == 200:
        body = search.get_json()
        assert set(body) == {"items", "total", "did_you_mean", "facets"}
        for item in body["items"]:
            assert "<script" not in item["snippet"] and "onerror=" not in item["snippet"].replace("&#39;", "'")
    else:
        assert search.get_json()["error"]["code"] == "bad_parameter"
    assert client.get("/api/v1/places", query_string={"q": q}).status_code == 200
    assert client.get("/api/v1/suggest", query_string={"q": q}).status_code == 200
    page = client.get("/plekken", query_string={"q": q})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.get_data(as_text=True)


def test_syntax_is_searched_as_words(relevance_app):
    """Query syntax has no power: 'name:kapstok' and '"kapstok' find the place like 'kapstok' does."""
    client = relevance_app.test_client()
    plain = client.get("/api/v1/search", query_string={"q": "kapstok"}).get_json()["items"][0]["name"]
    for q in ("name:kapstok", '"kapstok', "kapstok*", "(kapstok", "kapstok AND", "[kapstok TO"):
        items = client.get("/api/v1/search", query_string={"q": q}).get_json()["items"]
        assert items and items[0]["name"] == plain == "Huiskamer De Kapstok", q
