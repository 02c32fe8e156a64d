"""The Whoosh schema: one document per published place."""
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import exact_analyzer, stemmed_analyzer

# Field weights (BM25F). The name counts most; review words count, but less than what the place
# says about itself; the unstemmed copies make an exact word beat a word that only shares its stem.
WEIGHTS = {"name": 5.0, "name_exact": 3.0, "body": 1.0, "exact": 1.5, "reviews": 0.35}


def make_schema() -> Schema:
    stemmed, exact = stemmed_analyzer(), exact_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=stemmed, field_boost=WEIGHTS["name"], stored=True),
        name_exact=TEXT(analyzer=exact, field_boost=WEIGHTS["name_exact"]),
        # description, first-visit card, category labels, wijk and city
        body=TEXT(analyzer=stemmed, field_boost=WEIGHTS["body"]),
        exact=TEXT(analyzer=exact, field_boost=WEIGHTS["exact"]),
        reviews=TEXT(analyzer=stemmed, field_boost=WEIGHTS["reviews"]),
        description=STORED(),  # for snippets
        category=KEYWORD(commas=True, scorable=False),
        wijk=ID(),
        city=ID(),
        flag=KEYWORD(commas=True, scorable=False),
        lat=NUMERIC(float, stored=True),
        lon=NUMERIC(float, stored=True),
        facets=STORED(),  # (categories, wijk label, flags) for counting facets without a second lookup
    )
