"""Sanitising, crisis words and the Bayesian average: plain functions, no app."""
import threading

import pytest

from ervaringswijzer.reviews.crisis import crisis_matches
from ervaringswijzer.reviews.ranking import bayesian_average, review_score
from ervaringswijzer.reviews.sanitize import LINK_REL, clean_html, plain_text


def test_allowed_markup_stays_and_links_get_rel():
    """Emphasis, lists and http links survive; every link gets rel=nofollow ugc noopener."""
    html = clean_html('<p>Heel <em>fijn</em> en <strong>rustig</strong></p><ul><li>koffie</li></ul>'
                      '<a href="https://example.org/x" rel="author" onclick="x()">site</a>')
    assert "<em>fijn</em>" in html and "<strong>rustig</strong>" in html and "<li>koffie</li>" in html
    assert f'<a href="https://example.org/x" rel="{LINK_REL}">site</a>' in html
    assert "onclick" not in html


def test_scripts_go_with_their_content_and_bad_links_lose_their_address():
    """A script element disappears whole; javascript: and data: links keep only their text."""
    html = clean_html('voor<script>alert(1)</script>na <a href="javascript:alert(1)">klik</a> '
                      '<a href="data:text/html,x">data</a><style>body{}</style><img src=x onerror=alert(1)>')
    assert "alert" not in html and "body{}" not in html
    assert "javascript" not in html and "data:" not in html and "<img" not in html
    assert "klik" in html and "voor" in html and "na" in html


def test_plain_line_breaks_become_paragraphs_and_cleaning_twice_changes_nothing():
    """Typed blank lines make paragraphs, single newlines <br>; the result is stable under re-cleaning."""
    html = clean_html("Eerste alinea\nregel twee\n\nTweede < alinea & meer")
    assert html == "<p>Eerste alinea<br>regel twee</p><p>Tweede &lt; alinea &amp; meer</p>"
    assert clean_html(html) == html
    assert plain_text(html) == "Eerste alinea regel twee Tweede < alinea & meer"


def test_crisis_words_match_forgivingly_and_not_inside_other_words(tmp_path):
    """Accents and case do not matter, a * matches endings, ordinary words do not trigger, the file is editable."""
    assert crisis_matches("Soms heb ik ZELFMOORDGEDACHTEN") == ["zelfmoordgedachten"]
    assert crisis_matches("Ik zie het niet   meer zitten.")
    assert crisis_matches("Fijne plek, goede koffie, ik kom terug.") == []
    words = tmp_path / "woorden.txt"
    words.write_text("# eigen lijst\nheel verdrietig\n", encoding="utf-8")
    assert crisis_matches("ik ben héél verdrietig", words) == ["heel verdrietig"]
    assert crisis_matches("zelfmoord", words) == []


def test_bayesian_average_keeps_one_five_star_review_below_many_good_ones():
    """One 5 does not beat twenty 4.5s; with no reviews the prior is returned."""
    one_perfect = bayesian_average(5.0, 1, prior_mean=3.5, prior_weight=5)
    many_good = bayesian_average(4.5 * 20, 20, prior_mean=3.5, prior_weight=5)
    assert one_perfect == pytest.approx(3.75)
    assert many_good == pytest.approx(4.3)
    assert many_good > one_perfect
    assert bayesian_average(0, 0, 3.5, 5) == 3.5
    assert review_score({"welcome": 5, "respect": 4, "calm": 3, "access": 4}) == 4.0
    with pytest.raises(ValueError):
        bayesian_average(1, -1, 3, 5)


def test_only_the_sanitiser_knows_bleach():
    """bleach is imported by reviews/sanitize.py alone, so replacing it touches one file."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "ervaringswijzer"
    users = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                   if "bleach" in path.read_text(encoding="utf-8"))
    assert users == ["reviews/sanitize.py"]


def test_cleaning_in_many_threads_at_once_gives_what_one_thread_gives():
    """bleach's Cleaner keeps parser state: shared between threads (a threaded server, sixteen submits at
    once) it mangled a review now and then. Each thread cleans with its own."""
    texts = [f"<p>Ervaring {n}: <b>rustig</b> en <a href='https://example.org/{n}'>welkom</a>.</p>\n\n"
             f"Koffie {'zonder afspraak ' * (n % 7)}<script>alert({n})</script>einde {n}" for n in range(40)]
    expected = {text: (clean_html(text), plain_text(text)) for text in texts}
    barrier = threading.Barrier(8)
    wrong: list = []

    def work(offset: int) -> None:
        barrier.wait()
        for round_ in range(60):
            text = texts[(offset + round_) % len(texts)]
            try:
                got = (clean_html(text), plain_text(text))
            except Exception as exc:  # a parser left half-way by another thread raises, too
                got = repr(exc)
            if got != expected[text]:
                wrong.append((text, got))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
