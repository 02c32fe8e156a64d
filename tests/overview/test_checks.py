"""Checked before it goes stale: check mails through a real SMTP server, signed links, reminders, overdue places."""
import re
from datetime import timedelta

import sqlalchemy as sa

from ervaringswijzer.core.time import today
from ervaringswijzer.extensions import db
from ervaringswijzer.mail import wait_for_background
from ervaringswijzer.moderation.models import InfoReport
from ervaringswijzer.places.checks import claim_first_mail, is_overdue, months_back
from ervaringswijzer.places.models import Place, PlaceCheck, PlaceCheckToken
from ervaringswijzer.places.services import upsert_place
from tests.overview.test_dashboard import member
from tests.conftest import reviews_login
from tests.smtp_server import parts

LINK = re.compile(r"http://ervaringswijzer\.test(/controle/[A-Za-z0-9_-]+(?:/wijzigen)?)")


def _place(app, slug="huiskamer-de-steiger", contact_email="wegwijzer@example.org", months_ago=7, **extra):
    with app.app_context():
        data = {"name": "Huiskamer De Steiger", "slug": slug, "categories": ["walk_in_centre"],
                "address": {"street": "Steigerweg 1", "city": "Utrecht", "wijk": "Zuilen"},
                "location": {"lat": 52.11, "lon": 5.10}, "contact": {"phone": "030 123 4567"},
                "opening_hours": "Mo-Fr 10:00-16:00",
                "last_checked": months_back(today(), months_ago).isoformat(), **extra}
        place, errors, _created = upsert_place(data)
        assert not errors, errors
        place.contact_email = contact_email
        db.session.commit()
        return place.id


def _send(app) -> str:
    result = app.test_cli_runner().invoke(args=["overview", "send-checks"])
    assert result.exit_code == 0, result.output
    wait_for_background()
    return result.output


def _links(message) -> dict[str, str]:
    text, html = parts(message)
    found = LINK.findall(text)
    assert set(found) == set(LINK.findall(html)) and len(found) == 2
    return {"edit" if path.endswith("/wijzigen") else "confirm": path for path in found}


def test_klopt_nog_from_a_mailed_link_sets_last_checked(mail_app, smtp_server):
    """A due place's contact gets one mail; its 'Klopt nog' link, without an account, makes it checked today."""
    place_id = _place(mail_app)
    _place(mail_app, slug="recent", months_ago=2)  # not due
    assert "1 check mails" in _send(mail_app)
    assert "0 check mails, 0 reminders" in _send(mail_app)  # a second cron run sends nothing again
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "wegwijzer@example.org" and "Huiskamer De Steiger" in message["Subject"]
    links = _links(message)
    token = links["confirm"].rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 random bits, URL-safe
    client = mail_app.test_client()
    page = client.get(links["confirm"])
    assert page.status_code == 200 and "Ja, klopt nog" in page.get_data(as_text=True)
    with mail_app.app_context():
        assert db.session.get(Place, place_id).last_checked != today()  # looking changes nothing
    done = client.post(links["confirm"])
    assert done.status_code == 200 and "vandaag gecontroleerd" in done.get_data(as_text=True)
    with mail_app.app_context():
        place = db.session.get(Place, place_id)
        assert place.last_checked == today() and not is_overdue(place, today())
        stored = db.session.scalars(sa.select(PlaceCheckToken.token_hash)).all()
        assert token not in stored  # only hashes are kept
    assert client.post(links["confirm"]).status_code == 410  # single use
    assert client.get("/controle/" + "x" * 43).status_code == 410


def test_reminder_after_two_weeks_and_warning_after_four(mail_app, smtp_server):
    """Unanswered: one reminder after two weeks; after four the place warns clients and is on the call list."""
    place_id = _place(mail_app)
    _send(mail_app)
    smtp_server.wait_for(1)
    with mail_app.app_context():
        check = db.session.scalar(sa.select(PlaceCheck).where(PlaceCheck.place_id == place_id))
        check.sent_on = today() - timedelta(days=15)
        db.session.commit()
    assert "0 check mails, 1 reminders" in _send(mail_app)
    assert "0 check mails, 0 reminders" in _send(mail_app)
    messages = smtp_server.wait_for(2)
    assert "Herinnering" in messages[1]["Subject"]
    # Weeks pass here by moving sent_on back; a page kept for visitors follows the clock (its minute),
    # not a date moved under it, so this reader gets every page built.
    mail_app.config["PAGE_CACHE_BYTES"] = 0
    client = mail_app.test_client()
    page = client.get("/plek/huiskamer-de-steiger").get_data(as_text=True)
    assert "Al lang niet gecontroleerd" not in page
    with mail_app.app_context():
        check = db.session.scalar(sa.select(PlaceCheck).where(PlaceCheck.place_id == place_id))
        check.sent_on = today() - timedelta(days=29)
        db.session.commit()
    page = client.get("/plek/huiskamer-de-steiger").get_data(as_text=True)
    assert "Al lang niet gecontroleerd — bel even voor je gaat" in page
    assert "tijden gecontroleerd op" in page  # checked more than six months ago: the status line says when
    reviews_login(client, member(mail_app, "coordinator"))
    calls = client.get("/overzicht/bellijst.csv", query_string={"city": "Utrecht"}).get_data(as_text=True)
    assert "Huiskamer De Steiger" in calls


def test_places_without_contact_are_on_the_call_list_from_the_start(mail_app, smtp_server):
    """No contact e-mail: nobody is mailed, and the due place is overdue at once."""
    _place(mail_app, contact_email="")
    assert "0 check mails" in _send(mail_app)
    client = mail_app.test_client()
    assert "Al lang niet gecontroleerd" in client.get("/plek/huiskamer-de-steiger").get_data(as_text=True)
    reviews_login(client, member(mail_app, "coordinator"))
    page = client.get("/overzicht", query_string={"city": "Utrecht"}).get_data(as_text=True)
    assert "1 plek om even te bellen" in page and "geen e-mail" in page


def test_a_round_is_claimed_once(mail_app):
    """Two machines claiming the same round: only the first insert wins."""
    place_id = _place(mail_app)
    with mail_app.app_context():
        place = db.session.get(Place, place_id)
        assert claim_first_mail(place, today()) is True
        db.session.commit()
        assert claim_first_mail(place, today()) is False


def test_wijzigen_link_puts_a_suggested_change_with_a_diff_in_the_queue(mail_app, smtp_server):
    """The change form shows the current data; what changed waits for a moderator, who sees it filled in."""
    place_id = _place(mail_app)
    _send(mail_app)
    links = _links(smtp_server.wait_for(1)[0])
    client = mail_app.test_client()
    form = client.get(links["edit"]).get_data(as_text=True)
    assert 'value="030 123 4567"' in form and 'value="Mo-Fr 10:00-16:00"' in form
    data = {"name": "Huiskamer De Steiger", "street": "Steigerweg 1", "city": "Utrecht", "wijk": "Zuilen",
            "phone": "030 765 4321", "opening_hours": "ma-vr 10-17"}
    bad = client.post(links["edit"], data={**data, "opening_hours": "elke dag een beetje"})
    assert bad.status_code == 400 and 'value="030 765 4321"' in bad.get_data(as_text=True)  # kept what was typed
    assert client.post(links["edit"], data=data).status_code == 200
    assert client.post(links["edit"], data=data).status_code == 410
    with mail_app.app_context():
        report = db.session.scalar(sa.select(InfoReport).where(InfoReport.place_id == place_id))
        assert report.kind == "change" and report.status == "open"
        assert "Telefoon: 030 123 4567 → 030 765 4321" in report.remark
        assert report.proposed["opening_hours"] == "Mo-Fr 10:00-17:00"
        assert db.session.get(Place, place_id).phone == "030 123 4567"  # nothing changes before moderation
        report_id = report.id
    with mail_app.app_context():  # answered: no reminder and no warning while the proposal waits
        check = db.session.scalar(sa.select(PlaceCheck).where(PlaceCheck.place_id == place_id))
        assert check.answered_on == today()
        check.sent_on = today() - timedelta(days=30)
        db.session.commit()
        assert not is_overdue(db.session.get(Place, place_id), today())
    assert "0 reminders" in _send(mail_app)
    reviews_login(client, member(mail_app, "moderator"))
    assert "Voorstel van de wegwijzer" in client.get("/moderatie").get_data(as_text=True)
    edit = client.get(f"/plek/huiskamer-de-steiger/bewerken?melding={report_id}").get_data(as_text=True)
    assert 'value="030 765 4321"' in edit


def test_each_place_has_its_own_check_interval(mail_app):
    """A place checked seven months ago is due with the usual six months, not with twelve; export keeps it."""
    from ervaringswijzer.places.checks import is_due
    from ervaringswijzer.places.serialize import place_to_export

    usual = _place(mail_app)
    yearly = _place(mail_app, slug="jaarlijks", check_interval_months=12)
    with mail_app.app_context():
        assert is_due(db.session.get(Place, usual), today())
        place = db.session.get(Place, yearly)
        assert not is_due(place, today()) and place_to_export(place)["check_interval_months"] == 12
    bad = _place_errors(mail_app, check_interval_months=0)
    assert "check_interval_months" in bad


def _place_errors(app, **extra) -> dict:
    with app.app_context():
        _place_obj, errors, _created = upsert_place({"name": "X", "categories": ["sport"],
                                                     "address": {"city": "Utrecht"}, **extra})
        db.session.rollback()
        return errors


def test_two_machines_sending_at_once_mail_each_place_once(mail_app, smtp_server):
    """Two processes running send-checks at the same moment: every due place gets exactly one mail."""
    import threading

    from ervaringswijzer.overview.checks import send_due_checks

    for n in range(6):
        _place(mail_app, slug=f"plek-{n}", contact_email=f"wegwijzer{n}@example.org")
    runs, start = [], threading.Barrier(2)

    def machine():
        with mail_app.app_context():
            start.wait()
            runs.append(send_due_checks(today()))
            db.session.remove()

    threads = [threading.Thread(target=machine) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    wait_for_background()
    assert sum(run.mailed for run in runs) == 6
    messages = smtp_server.wait_for(6)
    wait_for_background()
    assert len(smtp_server.messages) == 6
    assert sorted(m["To"] for m in messages) == sorted(f"wegwijzer{n}@example.org" for n in range(6))
    with mail_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PlaceCheck)) == 6
