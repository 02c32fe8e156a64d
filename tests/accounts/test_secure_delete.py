"""A deleted account leaves no readable bytes in the SQLite files."""
from pathlib import Path

from ervaringswijzer.extensions import db

from ..conftest import _make_app

PSEUDONYM = "Zeldzame Zebra"
EMAIL = "zebra-onvindbaar@example.org"
PASSWORD = "paarse fiets op zolder"


def _sqlite_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_deleted_account_is_gone_from_the_sqlite_file(request, tmp_path):
    """Register, write a review, delete the account over HTTP: the pseudonym, e-mail and text are not in the file."""
    app = _make_app(request, tmp_path, demo=False)
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    from ervaringswijzer.places.services import upsert_place

    with app.app_context():
        upsert_place({"name": "Huiskamer Het Anker", "categories": ["walk_in_centre"],
                      "address": {"street": "Kade 1", "postcode": "3511 AA", "city": "Utrecht", "wijk": "Centrum"},
                      "location": {"lat": 52.09, "lon": 5.12}})
        db.session.commit()
    client = app.test_client()
    assert client.post("/aanmelden", data={"pseudonym": PSEUDONYM, "password": PASSWORD,
                                           "email": EMAIL}).status_code == 302
    from tests.conftest import REVIEW_FORM

    review = dict(REVIEW_FORM, text="Mijn zebra-ervaring met een onvindbaar woord: kwispelzebra.")
    client.post("/plek/huiskamer-het-anker-utrecht/ervaring", data=review)
    assert PSEUDONYM.encode() in _sqlite_bytes(database) and b"kwispelzebra" in _sqlite_bytes(database)

    response = client.post("/account/verwijderen", data={"reviews": "remove", "password": PASSWORD})
    assert response.status_code == 302
    stored = _sqlite_bytes(database)
    for secret in (PSEUDONYM, PSEUDONYM.lower(), EMAIL, "kwispelzebra"):
        assert secret.encode() not in stored, secret
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
