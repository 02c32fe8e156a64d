"""The Whoosh schema: one document per published place."""
from whoosh import scoring
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import exact_analyzer, stemmed_analyzer

# Weights of the sections of a place's text (see documents.py). The name counts most; review
# words count, but less than what the place says about itself.
SECTION_WEIGHTS = {"name": 2.0, "body": 1.0, "reviews": 0.35}
# The unstemmed copy makes an exact word beat a word that only shares its stem.
EXACT_BOOST = 1.5
NAME_BOOST = 3.0


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # No positions (phrase=False): we never run phrase queries, and positions double the postings.
        text=TEXT(analyzer=stemmed_analyzer(), phrase=False),
        exact=TEXT(analyzer=exact_analyzer(), phrase=False, field_boost=EXACT_BOOST),
        # The name again on its own: a short field, so a word in the name scores high; its posting
        # lists are short too (only places with the word in their name), so it costs little.
        name=TEXT(analyzer=stemmed_analyzer(), phrase=False, field_boost=NAME_BOOST, stored=True),
        description=STORED(),  # for snippets
        category=KEYWORD(commas=True, scorable=False),
        wijk=ID(),
        city=ID(),
        flag=KEYWORD(commas=True, scorable=False),
        # (categories, wijk, city, flags, lat, lon): facets and the near-me box without a second lookup
        facets=STORED(),
        # The newest outbox row of this place seen when the document was built: `search check`
        # compares it with the outbox to prove the index is complete.
        version=STORED(),
    )


class SaturatedWeighting(scoring.WeightingModel):
    """BM25 without length normalisation: idf × tf(k1+1)/(tf+k1).

    Reading each matching document's field length is half the cost of scoring in Whoosh; our
    texts are of similar length (and the short name is a field of its own), so we leave it out.
    """

    def __init__(self, k1: float = 1.2):
        self.k1 = k1

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return _SaturatedScorer(searcher.get_parent().idf(fieldname, text), self.k1)


class _SaturatedScorer(scoring.BaseScorer):
    def __init__(self, idf: float, k1: float):
        self.idf, self.k1 = idf, k1

    def supports_block_quality(self):
        return False  # we collect without quality pruning anyway (see query.top_hits)

    def score(self, matcher):
        weight = matcher.weight()
        return self.idf * weight * (self.k1 + 1) / (weight + self.k1)
