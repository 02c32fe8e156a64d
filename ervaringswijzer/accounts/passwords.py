"""Which new passwords we refuse: too short, common, or easy to guess from who you are (NIST SP 800-63B 5.1.1.2)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 10
# zxcvbn's score: 0-1 fall to a guessing attack within a million tries (lists of leaked passwords,
# keyboard rows, counting, words with a digit on the end). From 2 on, rate-limited logins hold.
MIN_SCORE = 2
# Words anyone would try first on this site, besides the member's own pseudonym and e-mail.
SITE_WORDS = ("ervaringswijzer", "ervaring", "wijzer", "wachtwoord", "schuilnaam", "inloggen")
_MAX_CHECKED = 100  # zxcvbn slows down on long input; past this length a password is not guessable anyway


def _letters_and_digits(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def password_problem(password: str, pseudonym: str = "", email: str | None = None):
    """A kind explanation of what is wrong with a new password, or None when it may be used."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _l("Kies een wachtwoord van minstens %(count)s tekens.", count=MIN_LENGTH)
    name = (pseudonym or "").lower()
    context = [*SITE_WORDS, name, *name.split(), _letters_and_digits(name)]
    if email:
        context += [email.lower(), email.split("@")[0].lower()]
    if (len(_letters_and_digits(name)) >= 3 and _letters_and_digits(name) in _letters_and_digits(password)) \
            or zxcvbn(password[:_MAX_CHECKED], user_inputs=[w for w in context if w])["score"] < MIN_SCORE:
        return _l("Dit wachtwoord is te makkelijk te raden: veel mensen gebruiken het, of het lijkt op je "
                  "schuilnaam. Kies iets dat alleen jij weet, bijvoorbeeld een paar losse woorden achter "
                  "elkaar, zoals ‘paarse fiets op zolder’.")
    return None
