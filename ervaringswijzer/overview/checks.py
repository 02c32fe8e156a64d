"""Sending the check mails that are due: first mails and one reminder per round, once across machines."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date

from ..core.time import utcnow
from ..extensions import db
from ..mail import public_url, queue_mail
from ..places.checks import (TOKEN_LIFETIME, claim_first_mail, claim_reminder, issue_links, places_to_mail,
                             places_to_remind)

log = logging.getLogger(__name__)
TEMPLATE = "overview/mail/check"


@dataclass
class CheckRun:
    mailed: int = 0
    reminded: int = 0
    unsendable: int = 0


def _queue(place, reminder: bool) -> bool:
    links = issue_links(place)
    row = queue_mail(place.contact_email, TEMPLATE, lang="nl", place=place.name, reminder=reminder,
                     confirm_url=public_url("overview.check_confirm", token=links["confirm"]),
                     change_url=public_url("overview.check_change", token=links["edit"]),
                     expires=format_date((utcnow() + TOKEN_LIFETIME).date(), "d MMMM yyyy"))
    return row is not None


def send_due_checks(day: date) -> CheckRun:
    """Queue every due first mail and reminder. Each place is claimed, given links and queued in its own
    commit, so a crash loses at most one, a second run sends nothing twice, and machines running this at
    the same time each take other places (the claim is a row only one of them can insert or update)."""
    run = CheckRun()
    for place in places_to_mail(day):
        if claim_first_mail(place, day):
            if _queue(place, reminder=False):
                run.mailed += 1
            else:
                run.unsendable += 1  # stays claimed: after four weeks the place is on the call list
        db.session.commit()
    for place in places_to_remind(day):
        if claim_reminder(place, day) and _queue(place, reminder=True):
            run.reminded += 1
        db.session.commit()
    log.info("check mails: %s first, %s reminders, %s without a usable address",
             run.mailed, run.reminded, run.unsendable)
    return run
