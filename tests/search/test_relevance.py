"""The relevance set: Dutch queries a visitor would type, against the demo places, expected in the top 3."""
import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place

# (query, what kind of forgiveness it tests, slugs of which at least one must be in the top 3)
RELEVANCE_SET = [
    ("koffie zonder afspraak overvecht", "multi-word + stop word + wijk", ["huiskamer-de-kapstok-overvecht"]),
    ("huiskamer", "plain", ["huiskamer-de-kapstok-overvecht", "huiskamer-de-wierde-beijum", "huiskamer-salaam-kanaleneiland", "huiskamer-de-hommel-klarendal"]),
    ("huiskamers", "plural", ["huiskamer-de-wierde-beijum", "huiskamer-de-hommel-klarendal", "huiskamer-salaam-kanaleneiland"]),
    ("huiskamr", "typo", ["huiskamer-de-wierde-beijum", "huiskamer-de-hommel-klarendal", "huiskamer-salaam-kanaleneiland"]),
    ("inloop", "plain", ["inloop-de-zonnewijzer-stevenshof", "inloop-de-dappere-buur-oost"]),
    ("dagbesteding", "plain", ["dagbesteding-de-kraai-zuidoost"]),
    ("dagbestedng", "typo", ["dagbesteding-de-kraai-zuidoost"]),
    ("dagbestedingen", "plural", ["dagbesteding-de-kraai-zuidoost"]),
    ("repaircafe", "compound typo", ["repair-cafe-de-schroevendraaier-overvecht", "repair-cafe-delfshaven", "repair-cafe-stad-groningen", "repair-cafe-noord"]),
    ("repair cafe", "accent folding", ["repair-cafe-de-schroevendraaier-overvecht", "repair-cafe-delfshaven", "repair-cafe-stad-groningen", "repair-cafe-noord"]),
    ("Repair Café Noord", "exact name with accent", ["repair-cafe-noord"]),
    ("reparatie", "synonym", ["repair-cafe-de-schroevendraaier-overvecht", "repair-cafe-delfshaven", "repair-cafe-stad-groningen"]),
    ("kringloop", "plain", ["kringloop-bijlmer-bazaar-zuidoost", "kringloop-het-tweede-rondje-beijum", "kringloop-tweede-leven-zuilen"]),
    ("koffieochtenden", "plural of a compound", ["buurthuis-de-zwaan-zuilen", "ontmoetingsplek-het-plein-leidsche-rijn", "buurthuis-de-meerkoet-merenwijk"]),
    ("koffieochtend", "stem", ["buurthuis-de-zwaan-zuilen", "buurthuis-de-meerkoet-merenwijk", "buurthuis-de-schildersezel-schilderswijk"]),
    ("nachtopvang", "plain", ["nachtopvang-de-schuilplaats-schilderswijk", "nachtopvang-de-overkant-noord"]),
    ("nachtopvang groningen", "multi-word with city", ["nachtpension-de-luifel-groningen"]),
    ("slaapplek", "synonym", ["nachtopvang-de-overkant-noord", "nachtopvang-de-schuilplaats-schilderswijk", "nachtpension-de-luifel-groningen"]),
    ("dakloos douchen", "multi-word", ["inloophuis-het-steegje-leiden", "dagopvang-het-anker-utrecht"]),
    ("schulden", "plain", ["geldzorgen-spreekuur-charlois", "budgetcafe-nieuw-west", "vraagpunt-beijum"]),
    ("geldzorgen", "name word", ["geldzorgen-spreekuur-charlois"]),
    ("budgetcoach", "plain", ["budgetcafe-nieuw-west", "geldzorgen-spreekuur-charlois"]),
    ("formulieren invullen", "multi-word, one word unknown", ["formulierenpunt-overvecht", "vraagpunt-beijum", "taal-en-werkhuis-ganzenhoef-zuidoost", "geldzorgen-spreekuur-charlois"]),
    ("DigiD", "capitals", ["digitaal-spreekuur-leidsche-rijn", "digicafe-overvecht", "formulierenpunt-overvecht"]),
    ("digicafé", "accent", ["digicafe-overvecht"]),
    ("computerles", "plain", ["computerclub-indische-buurt-oost", "taalhuis-bospolder-delfshaven", "digitaal-spreekuur-leidsche-rijn"]),
    ("taalcafé", "accent", ["taalcafe-slotermeer-nieuw-west"]),
    ("nederlands leren", "multi-word synonym", ["taalcafe-slotermeer-nieuw-west", "leerpunt-stevenshof", "taal-en-werkhuis-ganzenhoef-zuidoost"]),
    ("lotgenoten verslaving", "multi-word", ["lotgenotengroep-verslaving-leiden"]),
    ("zelfhulpgroep alcohol", "synonyms on both words", ["lotgenotengroep-verslaving-leiden", "zelfhulpgroep-helder-oosterpark", "zelfhulpgroep-nieuwe-start-zuilen"]),
    ("AA groep", "short word", ["zelfhulpgroep-helder-oosterpark", "zelfhulpgroep-nieuwe-start-zuilen"]),
    ("ervaringsdeskundige", "singular", ["steunpunt-ervaringsdeskundigen-leiden", "steunpunt-ervaringsdeskundigen-zuidoost"]),
    ("ervaringsdeskundigen leiden", "plural + city", ["steunpunt-ervaringsdeskundigen-leiden"]),
    ("herstel wrap", "multi-word", ["herstelacademie-utrecht", "herstelatelier-de-vaart-overvecht"]),
    ("wandelen somberheid", "stem + multi-word", ["wandelgroep-rondje-meer-merenwijk"]),
    ("voetbal", "plain", ["wijkvoetbal-bijlmer-zuidoost", "straatvoetbal-kanaleneiland", "beweegclub-sterk-overvecht", "beweegcentrum-vinkhuizen"]),
    ("voetbl", "typo", ["wijkvoetbal-bijlmer-zuidoost", "straatvoetbal-kanaleneiland", "beweegclub-sterk-overvecht", "beweegcentrum-vinkhuizen"]),
    ("yoga stress", "multi-word", ["rustpunt-yoga-klarendal"]),
    ("boksen", "plain", ["sportschool-sterker-samen-oost"]),
    ("moestuin", "plain", ["tuinproject-de-wilgenhoek-overvecht", "de-tuinderij-kanaleneiland", "stadsboerderij-de-kiem-leidsche-rijn"]),
    ("tuinieren", "verb", ["stadstuin-de-groene-vinger-nieuw-west", "tuinproject-de-wilgenhoek-overvecht"]),
    ("kippen en geiten", "plurals + stop word", ["stadsboerderij-de-kiem-leidsche-rijn"]),
    ("houtbewerking", "plain", ["houtwerkplaats-de-spaander-overvecht", "werkplaats-de-werkbank-vinkhuizen"]),
    ("fietsenmaker", "plain", ["fietsenmakerij-op-wielen-lombok", "fietsenmakerij-trapkracht-charlois"]),
    ("naaimachine", "plain", ["naaiatelier-draad-co-kanaleneiland"]),
    ("keramiek", "plain", ["open-atelier-het-palet-lombok", "atelier-kwast-klei-delfshaven"]),
    ("theater", "plain", ["theatergroep-achter-het-doek-utrecht"]),
    ("koor zingen", "multi-word", ["koor-stem-van-oost"]),
    ("gratis maaltijd", "multi-word", ["gratis-eettafel-de-opaal-vinkhuizen", "soepkeuken-de-pollepel-groningen"]),
    ("ontbijt", "plain", ["inloop-de-dappere-buur-oost"]),
    ("Kapstok", "name", ["huiskamer-de-kapstok-overvecht"]),
    ("salaam", "name", ["huiskamer-salaam-kanaleneiland"]),
    ("leidsche rijn", "wijk", ["ontmoetingsplek-het-plein-leidsche-rijn", "digitaal-spreekuur-leidsche-rijn", "stadsboerderij-de-kiem-leidsche-rijn"]),
    ("'s nachts", "apostrophe", ["nachtcafe-de-lantaarn-utrecht", "nachtcafe-de-uil-delfshaven"]),
    ("weekend", "plain", ["weekendkamer-de-luwte-klarendal"]),
    ("klussen", "plain", ["klussenteam-stevenshof"]),
]


def test_relevance_set_is_large_enough():
    """The set has at least 40 queries and covers typos, plurals, accents, synonyms and multi-word queries."""
    kinds = " ".join(kind for _q, kind, _e in RELEVANCE_SET)
    assert len(RELEVANCE_SET) >= 40
    for kind in ("typo", "plural", "accent", "synonym", "multi-word"):
        assert kind in kinds


@pytest.fixture(scope="module")
def slugs(relevance_app):
    with relevance_app.app_context():
        return dict(db.session.execute(sa.select(Place.id, Place.slug)).all())


@pytest.mark.parametrize("query,kind,expected", RELEVANCE_SET, ids=[q for q, _k, _e in RELEVANCE_SET])
def test_expected_place_in_top_three(relevance_app, slugs, query, kind, expected):
    """What a visitor meant comes in the first three results of the search API."""
    client = relevance_app.test_client()
    data = client.get("/api/v1/search", query_string={"q": query, "per_page": 3}).get_json()
    top = [slugs[item["id"]] for item in data["items"]]
    assert set(top) & set(expected), f"{query!r} ({kind}): got {top}"


def test_archived_and_suggested_places_are_never_found(relevance_app):
    """Only published places are in the index: the archived choir and a suggested group stay out."""
    client = relevance_app.test_client()
    for query in ("Koor Volle Klank", "Rennen voor je Hoofd", "Bokskelder"):
        data = client.get("/api/v1/search", query_string={"q": query}).get_json()
        names = [item["name"] for item in data["items"]]
        assert query not in names
