"""Tests for ervaringswijzer.places.when: Dutch time words, the Wanneer? choice, API windows (no app)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from werkzeug.datastructures import MultiDict

from ervaringswijzer.places.when import (
    TZ, TimeWindow, WhenError, api_window, choice_window, describe, read_when, split_when,
)

TUESDAY = datetime(2026, 12, 1, 14, 7, 30, tzinfo=TZ)  # Tuesday 1 December 2026, 14:07


def iso(y, m, d, hh=0, mm=0) -> str:
    return datetime(y, m, d, hh, mm, tzinfo=TZ).isoformat()


def span(window: TimeWindow | None):
    return None if window is None else (window.start.isoformat(), window.end.isoformat())


PHRASES = [
    # (query, now, expected window, words left for the text search)
    ("Waar kan ik zondagavond heen?", TUESDAY, (iso(2026, 12, 6, 18), iso(2026, 12, 7)), ""),
    ("wat is er vanavond open met koffie", TUESDAY, (iso(2026, 12, 1, 18), iso(2026, 12, 2)), "met koffie"),
    ("vanavond", TUESDAY, (iso(2026, 12, 1, 18), iso(2026, 12, 2)), ""),
    ("vanavond", datetime(2026, 12, 1, 20, 10, tzinfo=TZ), (iso(2026, 12, 1, 20, 10), iso(2026, 12, 2)), ""),
    ("vannacht", TUESDAY, (iso(2026, 12, 1, 22), iso(2026, 12, 2, 6)), ""),
    ("vannacht", datetime(2026, 12, 2, 3, 0, tzinfo=TZ), (iso(2026, 12, 2, 3), iso(2026, 12, 2, 6)), ""),
    ("morgenochtend koffie", TUESDAY, (iso(2026, 12, 2, 6), iso(2026, 12, 2, 12)), "koffie"),
    ("morgenavond", TUESDAY, (iso(2026, 12, 2, 18), iso(2026, 12, 3)), ""),
    ("vanmiddag", TUESDAY, (iso(2026, 12, 1, 14, 7), iso(2026, 12, 1, 18)), ""),
    ("zaterdag", TUESDAY, (iso(2026, 12, 5), iso(2026, 12, 6)), ""),
    ("dinsdag", TUESDAY, (iso(2026, 12, 1, 14, 7), iso(2026, 12, 2)), ""),
    ("na vijf uur", TUESDAY, (iso(2026, 12, 1, 17), iso(2026, 12, 2)), ""),
    ("na 17:30", TUESDAY, (iso(2026, 12, 1, 17, 30), iso(2026, 12, 2)), ""),
    ("kerstavond", TUESDAY, (iso(2026, 12, 24, 18), iso(2026, 12, 25)), ""),
    ("tweede kerstdag", TUESDAY, (iso(2026, 12, 26), iso(2026, 12, 27)), ""),
    ("nu open", TUESDAY, (iso(2026, 12, 1, 14, 7), iso(2026, 12, 1, 14, 8)), ""),
    ("morgen", TUESDAY, (iso(2026, 12, 2), iso(2026, 12, 3)), ""),
    ("dit weekend", TUESDAY, (iso(2026, 12, 5), iso(2026, 12, 7)), ""),
    ("dit weekend", datetime(2026, 12, 6, 10, 0, tzinfo=TZ), (iso(2026, 12, 6, 10), iso(2026, 12, 7)), ""),
    ("volgend weekend", TUESDAY, (iso(2026, 12, 12), iso(2026, 12, 14)), ""),
    ("maandagmiddag inloop", TUESDAY, (iso(2026, 12, 7, 12), iso(2026, 12, 7, 18)), "inloop"),
    ("om 3 uur", TUESDAY, (iso(2026, 12, 1, 15), iso(2026, 12, 1, 15, 1)), ""),
    ("om 3 uur", datetime(2026, 12, 1, 16, 0, tzinfo=TZ), (iso(2026, 12, 2, 15), iso(2026, 12, 2, 15, 1)), ""),
    ("om half vier", TUESDAY, (iso(2026, 12, 1, 15, 30), iso(2026, 12, 1, 15, 31)), ""),
    ("tussen 14 en 16 uur", TUESDAY, (iso(2026, 12, 1, 14, 7), iso(2026, 12, 1, 16)), ""),
    ("zaterdag tussen 10 en 12 uur", TUESDAY, (iso(2026, 12, 5, 10), iso(2026, 12, 5, 12)), ""),
    ("'s avonds na 8 uur", TUESDAY, (iso(2026, 12, 1, 20), iso(2026, 12, 2)), ""),
    ("zondag 's avonds", TUESDAY, (iso(2026, 12, 6, 18), iso(2026, 12, 7)), ""),
    ("vrijdag na vijf uur", TUESDAY, (iso(2026, 12, 4, 17), iso(2026, 12, 5)), ""),
    ("vrijdag tussen 22 en 2 uur", TUESDAY, (iso(2026, 12, 4, 22), iso(2026, 12, 5, 2)), ""),
    ("24 december", TUESDAY, (iso(2026, 12, 24), iso(2026, 12, 25)), ""),
    ("5 mrt", TUESDAY, (iso(2027, 3, 5), iso(2027, 3, 6)), ""),
    ("op 24-12", TUESDAY, (iso(2026, 12, 24), iso(2026, 12, 25)), ""),
    ("op 3 jan", TUESDAY, (iso(2027, 1, 3), iso(2027, 1, 4)), ""),
    ("morgen", datetime(2026, 12, 31, 12, 0, tzinfo=TZ), (iso(2027, 1, 1), iso(2027, 1, 2)), ""),
    ("oud en nieuw", TUESDAY, (iso(2026, 12, 31, 18), iso(2027, 1, 1, 6)), ""),
    ("nieuwjaarsdag", datetime(2026, 12, 31, 23, 0, tzinfo=TZ), (iso(2027, 1, 1), iso(2027, 1, 2)), ""),
    ("kerstavond", datetime(2026, 12, 27, 12, 0, tzinfo=TZ), (iso(2027, 12, 24, 18), iso(2027, 12, 25)), ""),
    ("tweede paasdag", TUESDAY, (iso(2027, 3, 29), iso(2027, 3, 30)), ""),
    ("zaterdagnacht", TUESDAY, (iso(2026, 12, 5, 22), iso(2026, 12, 6, 6)), ""),
    ("7 dec 10-12 uur", TUESDAY, (iso(2026, 12, 7, 10), iso(2026, 12, 7, 12)), ""),
    ("volgende week", TUESDAY, (iso(2026, 12, 7), iso(2026, 12, 14)), ""),
]


@pytest.mark.parametrize(("query", "now", "window", "rest"), PHRASES,
                         ids=[f"{q}@{n:%d-%H:%M}" for q, n, _w, _r in PHRASES])
def test_time_words_become_a_window(query, now, window, rest):
    """Each Dutch phrasing gives its window in Amsterdam time and leaves the other words for search."""
    found, left = split_when(query, now)
    assert span(found) == window
    assert left == rest


def test_window_over_the_spring_dst_night():
    """'zaterdagnacht' before the spring switch is 7 real hours, ending at 06:00 summer time."""
    found, _ = split_when("zaterdagnacht", datetime(2026, 3, 26, 12, tzinfo=TZ))
    assert span(found) == ("2026-03-28T22:00:00+01:00", "2026-03-29T06:00:00+02:00")
    assert (found.end.astimezone(timezone.utc) - found.start.astimezone(timezone.utc)).total_seconds() == 7 * 3600


@pytest.mark.parametrize("query", ["inloop voor een kop koffie", "jongeren tussen 16 en 23 jaar",
                                   "huiskamer utrecht", "plek voor 18+", "om een praatje te maken",
                                   "'s nachts", "nachtcafe 's nachts", "weekend", "in het weekend"])
def test_ordinary_words_are_no_time(query):
    """Numbers, and a part of the day or 'weekend' on its own (what a place is about), stay text."""
    assert split_when(query, TUESDAY) == (None, query)


def test_moment_is_one_minute_and_now_is_marked():
    """'nu' is a moment flagged as the present; 'om 3 uur' is a moment that is not."""
    now, _ = split_when("nu", TUESDAY)
    at_three, _ = split_when("om 3 uur", TUESDAY)
    assert now.now and now.moment and not at_three.now and at_three.moment


@pytest.mark.parametrize(("query", "now", "sentence"), [
    ("zondagavond", TUESDAY, "Open op zondag 6 december tussen 18:00 en 24:00"),
    ("zaterdag", TUESDAY, "Open op zaterdag 5 december"),
    ("om 3 uur", TUESDAY, "Open op dinsdag 1 december om 15:00"),
    ("nu", TUESDAY, "Nu open"),
    ("dit weekend", TUESDAY, "Open van zaterdag 5 december tot en met zondag 6 december"),
    ("vannacht", TUESDAY, "Open van dinsdag 1 december 22:00 tot woensdag 2 december 06:00"),
    ("oud en nieuw", TUESDAY, "Open van donderdag 31 december 18:00 tot vrijdag 1 januari 06:00"),
])
def test_window_is_said_back_in_plain_dutch(query, now, sentence):
    """describe() says the window back in one plain Dutch sentence."""
    assert describe(split_when(query, now)[0]) == sentence


@pytest.mark.parametrize(("choice", "day", "clock", "window"), [
    ("nu", "", "", (iso(2026, 12, 1, 14, 7), iso(2026, 12, 1, 14, 8))),
    ("vanavond", "", "", (iso(2026, 12, 1, 18), iso(2026, 12, 2))),
    ("morgen", "", "", (iso(2026, 12, 2), iso(2026, 12, 3))),
    ("weekend", "", "", (iso(2026, 12, 5), iso(2026, 12, 7))),
    ("dag", "2026-12-24", "", (iso(2026, 12, 24), iso(2026, 12, 25))),
    ("dag", "2026-12-24", "19:30", (iso(2026, 12, 24, 19, 30), iso(2026, 12, 24, 19, 31))),
    ("", "2026-12-24", "", (iso(2026, 12, 24), iso(2026, 12, 25))),
    ("", "", "", None),
])
def test_wanneer_choice_gives_the_same_windows(choice, day, clock, window):
    """The list page's Wanneer? choice (with native date and time inputs) gives the same windows as words."""
    assert span(choice_window(choice, day, clock, TUESDAY)) == window


@pytest.mark.parametrize(("choice", "day", "clock", "param"), [
    ("gisteren", "", "", "wanneer"), ("dag", "24-12-2026", "", "dag"), ("dag", "2026-12-24", "25:00", "tijd"),
])
def test_wanneer_choice_errors_name_the_parameter(choice, day, clock, param):
    """A bad choice, date or time is refused with the parameter's name."""
    with pytest.raises(WhenError) as caught:
        choice_window(choice, day, clock, TUESDAY)
    assert caught.value.param == param


def test_api_open_at_and_open_between():
    """open_at is a one-minute moment; open_between keeps its ends; a naive time is Amsterdam time."""
    assert span(api_window("2026-12-06T18:00:00+01:00", None)[1]) == (iso(2026, 12, 6, 18), iso(2026, 12, 6, 18, 1))
    name, window = api_window(None, "2026-12-06T17:00:00Z/2026-12-06T23:00")
    assert name == "open_between" and span(window) == (iso(2026, 12, 6, 18), iso(2026, 12, 6, 23))


@pytest.mark.parametrize(("open_at", "between", "param", "words"), [
    ("morgen", None, "open_at", "ISO 8601"),
    (None, "2026-12-06T18:00", "open_between", "START/END"),
    (None, "2026-12-06T18:00/2026-12-06T17:00", "open_between", "after the start"),
    (None, "2026-12-01T00:00/2026-12-09T00:01", "open_between", "at most 8 days"),
    ("2026-12-06T18:00", "2026-12-06T18:00/2026-12-06T19:00", "open_at", "not both"),
])
def test_api_window_errors(open_at, between, param, words):
    """Bad API values are refused with the parameter's name and a reason, windows over 8 days too."""
    with pytest.raises(WhenError) as caught:
        api_window(open_at, between)
    assert caught.value.param == param and words in caught.value.message


def test_read_when_prefers_explicit_values_and_still_strips_words():
    """Explicit API values win over time words in q, which still leave the text search."""
    errors: dict = {}
    window, rest = read_when(MultiDict({"open_at": "2026-12-06T12:00"}), "koffie vanavond", TUESDAY, errors)
    assert span(window) == (iso(2026, 12, 6, 12), iso(2026, 12, 6, 12, 1)) and rest == "koffie" and not errors
    window, rest = read_when(MultiDict({"wanneer": "soms"}), "koffie", TUESDAY, errors)
    assert window is None and rest == "koffie" and set(errors) == {"wanneer"}
