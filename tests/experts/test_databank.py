"""The databank: opt-in profiles, requests refused with a BSN, matching, the agreement, notes, audit and the year."""
import csv
import io

import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.accounts.privacy import delete_member, export_member_data
from ervaringswijzer.core.audit import AuditEntry
from ervaringswijzer.core.time import today
from ervaringswijzer.experts.models import ExpertProfile, ExpertRequest, Theme
from ervaringswijzer.experts.services import ensure_default_themes
from ervaringswijzer.extensions import db
from tests.conftest import reviews_login

PROFILE = {"display_name": "Sam", "region": "Utrecht, Overvecht", "offers": ["voorlichting", "meegaan"],
           "languages": "nl, en", "availability": "dinsdag overdag", "text": "Ik ga graag mee.",
           "contact": "sam@example.org"}


def _themes(app) -> dict[str, int]:
    with app.app_context():
        ensure_default_themes()
        db.session.commit()
        return {t.name: t.id for t in db.session.scalars(sa.select(Theme))}


def _make_profile(app, client, member_id, **extra):
    themes = _themes(app)
    reviews_login(client, member_id)
    data = {**PROFILE, "themes": [str(themes["dakloosheid"])], **extra}
    response = client.post("/mijn-profiel", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        return db.session.scalar(sa.select(ExpertProfile.id).where(ExpertProfile.member_id == member_id))


def test_profile_is_off_until_switched_on_then_public_only_if_ticked(app, client, reviews_member):
    """A new profile is seen by nobody; switched on, social workers see it; the public only when ticked."""
    expert, worker = reviews_member("peer_expert"), reviews_member("social_worker")
    profile_id = _make_profile(app, client, expert)
    reviews_login(client, worker)
    assert "Sam" not in client.get("/ervaringsdeskundigen").get_data(as_text=True)
    reviews_login(client, expert)
    client.post("/mijn-profiel", data={**PROFILE, "visible": "y"})
    reviews_login(client, worker)
    assert "Sam" in client.get("/ervaringsdeskundigen?offer=meegaan&region=overvecht").get_data(as_text=True)
    assert "Sam" not in client.get("/ervaringsdeskundigen?offer=training").get_data(as_text=True)
    assert client.get(f"/ervaringsdeskundigen/{profile_id}").status_code == 200
    reviews_login(client, None)
    assert "Sam" not in client.get("/ervaringsdeskundigen").get_data(as_text=True)
    assert client.get(f"/ervaringsdeskundigen/{profile_id}").status_code == 404
    reviews_login(client, expert)
    client.post("/mijn-profiel", data={**PROFILE, "visible": "y", "public": "y"})
    reviews_login(client, None)
    assert "Sam" in client.get("/ervaringsdeskundigen").get_data(as_text=True)
    reviews_login(client, expert)
    client.post("/mijn-profiel/pauzeren")
    reviews_login(client, None)
    assert client.get(f"/ervaringsdeskundigen/{profile_id}").status_code == 404


def test_profile_in_export_and_gone_with_the_account(app, client, reviews_member):
    """The data download holds the profile; deleting the account removes it."""
    expert = reviews_member("peer_expert")
    profile_id = _make_profile(app, client, expert, visible="y")
    with app.app_context():
        member = db.session.get(Member, expert)
        data = export_member_data(member)
        assert data["expert_profile"][0]["display_name"] == "Sam"
        assert data["expert_profile"][0]["themes"] == ["dakloosheid"]
        delete_member(member, keep_reviews=False)
        db.session.commit()
        assert db.session.get(ExpertProfile, profile_id) is None


def test_delete_profile_at_once(app, client, reviews_member):
    expert = reviews_member("peer_expert")
    profile_id = _make_profile(app, client, expert, visible="y")
    client.post("/mijn-profiel/verwijderen")
    with app.app_context():
        assert db.session.get(ExpertProfile, profile_id) is None


def test_request_with_bsn_or_birth_date_is_refused_keeping_the_text(app, client, reviews_member):
    """A BSN or a birth date gets a kind message; everything typed is still in the form; nothing is stored."""
    reviews_login(client, reviews_member("social_worker"))
    form = {"kind": "meegaan", "topic": "Meegaan naar de inloop", "place_text": "Huiskamer De Kapstok",
            "client_initial": "J", "details": "Cliënt met BSN 123456782 wil graag mee.", "language": "nl"}
    page = client.post("/verzoeken/nieuw", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "burgerservicenummer" in text and "Meegaan naar de inloop" in text and "BSN 123456782" in text
    assert 'class="error-summary"' in text
    page = client.post("/verzoeken/nieuw", data={**form, "details": "", "audience": "geboren 12-03-1985"})
    assert "geboortedatum" in page.get_data(as_text=True)
    page = client.post("/verzoeken/nieuw", data={**form, "details": "", "client_initial": "Jan Jansen"})
    assert "geen achternaam" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ExpertRequest.id))) == 0


def test_whole_match_flow_with_contact_only_after_agreement(app, client, reviews_member):
    """Filed, proposed, accepted, agreed (contact shown only then), done, notes for the coordinator, all audited."""
    expert, worker, coordinator = reviews_member("peer_expert"), reviews_member("social_worker"), reviews_member("coordinator")
    profile_id = _make_profile(app, client, expert, visible="y")
    reviews_login(client, worker)
    response = client.post("/verzoeken/nieuw", data={
        "kind": "voorlichting", "topic": "Herstel in de wijk", "audience": "wijkteam", "place_text": "Utrecht",
        "language": "nl", "contact": "06-11122233 (Anna)"})
    assert response.status_code == 302
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    reviews_login(client, coordinator)
    assert "Herstel in de wijk" in client.get("/databank").get_data(as_text=True)
    match = client.get(f"/databank/verzoek/{request_id}").get_data(as_text=True)
    assert "Sam" in match
    client.post(f"/databank/verzoek/{request_id}", data={"profile_id": str(profile_id)})
    reviews_login(client, expert)
    proposals = client.get("/mijn-voorstellen").get_data(as_text=True)
    assert "Herstel in de wijk" in proposals
    page = client.get(f"/verzoeken/{request_id}").get_data(as_text=True)
    assert "06-11122233" not in page
    with app.app_context():
        proposal_id = db.session.get(ExpertRequest, request_id).proposals[0].id
    client.post(f"/voorstel/{proposal_id}", data={"answer": "ja"})
    reviews_login(client, worker)
    page = client.get(f"/verzoeken/{request_id}").get_data(as_text=True)
    assert "zegt ja" in page and "sam@example.org" not in page
    client.post(f"/verzoeken/{request_id}/afspreken", data={"proposal_id": str(proposal_id)})
    assert "sam@example.org" in client.get(f"/verzoeken/{request_id}").get_data(as_text=True)
    reviews_login(client, expert)
    assert "06-11122233" in client.get(f"/verzoeken/{request_id}").get_data(as_text=True)
    reviews_login(client, worker)
    client.post(f"/verzoeken/{request_id}/status", data={"status": "gedaan"})
    assert client.post(f"/verzoeken/{request_id}/notitie", data={"text": "Goed gegaan."}).status_code == 302
    reviews_login(client, expert)
    assert client.post(f"/verzoeken/{request_id}/notitie", data={"text": "Fijn team."}).status_code == 302
    reviews_login(client, coordinator)
    page = client.get(f"/verzoeken/{request_id}").get_data(as_text=True)
    assert "Goed gegaan." in page and "Fijn team." in page
    with app.app_context():
        found = db.session.get(ExpertRequest, request_id)
        assert found.status == "gedaan"
        changes = [(e.detail.get("old"), e.detail.get("new")) for e in db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "expert_request.status").order_by(AuditEntry.id))]
        assert changes == [("nieuw", "voorgesteld"), ("voorgesteld", "afgesproken"), ("afgesproken", "gedaan")]
    overview = client.get(f"/databank/overzicht?jaar={today().year}").get_data(as_text=True)
    assert "Voorlichting" in overview
    rows = list(csv.reader(io.StringIO(client.get(f"/databank/overzicht.csv?jaar={today().year}").get_data(as_text=True))))
    assert rows[1][0] == "Voorlichting" and rows[1][today().month] == "1" and rows[1][-1] == "1"
    figures = {row[0]: row[1] for row in rows if len(row) == 2}
    assert figures == {"Gekoppeld": "1", "Niet gekoppeld": "0", "Nog open": "0", "Actieve ervaringsdeskundigen": "1"}


def test_coordinator_edits_the_theme_list(app, client, reviews_member):
    _themes(app)
    reviews_login(client, reviews_member("coordinator"))
    client.post("/databank/themas", data={"name": "Rouw"})
    assert "Rouw" in client.get("/databank/themas").get_data(as_text=True)
    page = client.post("/databank/themas", data={"name": "rouw"}).get_data(as_text=True)
    assert "staat al in de lijst" in page
    with app.app_context():
        rouw = db.session.scalar(sa.select(Theme.id).where(Theme.name == "Rouw"))
    client.post("/databank/themas", data={"remove": str(rouw)})
    assert "Rouw" not in client.get("/databank/themas").get_data(as_text=True)


def test_a_profile_in_crisis_words_stays_off_and_the_writer_sees_help(app, client, reviews_member):
    """The crisis check runs on profile texts: the profile is kept off, help is shown, the audit log says so."""
    expert = reviews_member("peer_expert")
    _themes(app)
    reviews_login(client, expert)
    page = client.post("/mijn-profiel", data={**PROFILE, "visible": "y",
                                               "text": "Ik zie het echt niet meer zitten."}).get_data(as_text=True)
    assert "113" in page and "0800-0113" in page and "staat nog uit" in page
    with app.app_context():
        profile = db.session.scalar(sa.select(ExpertProfile).where(ExpertProfile.member_id == expert))
        assert profile.held and not profile.shown
        assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.target_type == "expert_profile")) \
            == "expert_profile.held"
    worker = reviews_member("social_worker")
    reviews_login(client, worker)
    assert "Sam" not in client.get("/ervaringsdeskundigen").get_data(as_text=True)
    reviews_login(client, reviews_member("moderator"))
    assert "Ik zie het echt niet meer zitten." in client.get("/moderatie/profielen").get_data(as_text=True)
    client.post("/moderatie/profielen", data={"profile_id": str(profile.id)})
    reviews_login(client, worker)
    assert "Sam" in client.get("/ervaringsdeskundigen").get_data(as_text=True)
    reviews_login(client, expert)
    page = client.post("/verzoeken/nieuw", data={"kind": "voorlichting", "topic": "Herstel",
                                                  "details": "Ik wou dat ik dood was."})
    assert page.status_code == 403  # a peer expert does not file requests
    reviews_login(client, reviews_member("social_worker"))
    page = client.post("/verzoeken/nieuw", data={"kind": "voorlichting", "topic": "Herstel", "language": "nl",
                                                  "details": "Ik wou dat ik dood was."}).get_data(as_text=True)
    assert "Je verzoek is verstuurd" in page and "0800-0113" in page
