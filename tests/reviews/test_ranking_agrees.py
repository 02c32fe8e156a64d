"""Search's 'best rated first' and the review list's top places come from one ranking and agree."""
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place


def test_search_rating_order_matches_top_places(app, client, make_place, reviews_member, reviews_review):
    """Few-review and many-review places: /api/v1/places?sort=rating lists them as top_places ranks them."""
    from ervaringswijzer.reviews.services import top_places

    def reviewed(name, count, score):
        place_id = make_place(name=name)
        for _ in range(count):
            reviews_review(reviews_member(), place_id, welcome=score, respect=score, calm=score, access=score)
        return place_id

    # With a site-wide mean near 4.6 as the prior, one 5 beats a handful of 4s, and four 4s beat ten
    # (fewer reviews stay closer to the mean); a fixed prior of three 3-star reviews says the opposite.
    reviewed("Altijd Top", 20, 5)
    reviewed("Eén Keer Vijf", 1, 5)
    reviewed("Vier Keer Vier", 4, 4)
    reviewed("Tien Keer Vier", 10, 4)
    make_place(name="Nog Geen Ervaringen")
    with app.app_context():
        ranked = [p.name for p, _score in top_places(10)]
    names = [i["name"] for i in client.get("/api/v1/places?sort=rating&per_page=100").get_json()["items"]]
    assert ranked == ["Altijd Top", "Eén Keer Vijf", "Vier Keer Vier", "Tien Keer Vier"]
    assert names == ranked + ["Nog Geen Ervaringen"]


def test_the_prior_weight_setting_moves_both_orders(app, client, make_place, reviews_member, reviews_review):
    """REVIEW_RANKING_PRIOR_WEIGHT is the one prior: with weight 0 the plain mean ranks search and top places alike."""
    from ervaringswijzer.reviews.services import top_places

    app.config["REVIEW_RANKING_PRIOR_WEIGHT"] = 0
    once = make_place(name="Eén Keer Vijf")
    reviews_review(reviews_member(), once, welcome=5, respect=5, calm=5, access=5)
    often = make_place(name="Vaak Bijna Vijf")
    for _ in range(30):
        reviews_review(reviews_member(), often, welcome=5, respect=5, calm=5, access=4)
    with app.app_context():
        ranked = [p.name for p, _score in top_places(10)]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Place)) == 2
    names = [i["name"] for i in client.get("/api/v1/places?sort=rating").get_json()["items"]]
    assert ranked == names == ["Eén Keer Vijf", "Vaak Bijna Vijf"]
