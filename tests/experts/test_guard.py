"""The identity guard: a BSN that passes the eleven test or a birth date is found; ordinary text passes."""
from datetime import date

import pytest

from ervaringswijzer.experts.guard import contains_birth_date, contains_bsn, identity_problem, passes_eleven_test

TODAY = date(2026, 12, 1)


def test_eleven_test():
    """Known valid numbers pass, a changed digit and all zeros fail."""
    assert passes_eleven_test("111222333")
    assert passes_eleven_test("123456782")
    assert not passes_eleven_test("123456789")
    assert not passes_eleven_test("000000000")


@pytest.mark.parametrize("text", ["BSN 123456782", "bsn: 1234.56.782", "nummer 123 456 782 graag", "111222333"])
def test_bsn_found(text):
    """Nine digits passing the eleven test are found, with dots or spaces between groups too."""
    assert contains_bsn(text)


@pytest.mark.parametrize("text", ["bel 0612345678", "postcode 3564 BN, huisnummer 12", "123456789", "1234567820"])
def test_not_a_bsn(text):
    """Phone numbers, postcodes and nine digits failing the test are not taken for a BSN."""
    assert not contains_bsn(text)


@pytest.mark.parametrize("text", ["geboren 12-03-1985", "geb. 3/4/90", "12 maart 1985", "1985-03-12",
                                  "geboortedatum: 1 januari 2001", "Jan, 04.11.1979, komt mee"])
def test_birth_dates_found(text):
    assert contains_birth_date(text, TODAY)


@pytest.mark.parametrize("text", ["op 12-03-2027 om tien uur", "in maart, op een dinsdag", "teamdag 5 juni 2026",
                                  "groep van 12 mensen", "voorlichting over herstel"])
def test_ordinary_dates_pass(text):
    """Appointments in the near past or future are not birth dates."""
    assert identity_problem(text, TODAY) is None
