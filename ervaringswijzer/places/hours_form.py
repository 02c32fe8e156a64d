"""Opening hours as a form for people: rows per weekday, holidays, closures and special dates.

Pure Python. `read_expression` turns a stored OpenStreetMap expression into form data (or None when it
uses something the form has no row for: then the editor keeps the raw field), `write_expression`
writes form data back as an expression, `from_post` reads the posted rows. The round trip keeps the
meaning of every expression the form can show (tests compare a year of open periods).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .dutch_hours import OSM_DAYS, hours_from_input
from .hours import HoursError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIOD_ROWS = 2  # empty rows shown per day; a day with more periods shows one more than it has
DATE_ROWS = 2
MAX_DATE_ROWS = 12
# Which weeks of the month a weekday row counts for: "" every week, "1,3" the first and third, "-1" the last.
WEEK_CHOICES = ("", "1", "2", "3", "4", "-1", "1,3", "2,4")

_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_SPAN = re.compile(rf"^({_TIME})-({_TIME})$")
_TIMES = rf"(?:off|closed|{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*)"
_COMMENT = r'(?: "(?P<comment>[^"]*)")?'
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_WEEKDAY_RULE = re.compile(
    rf"^(?P<days>{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*)(?:\[(?P<weeks>-?\d(?:,-?\d)*)\])? (?P<times>{_TIMES})$")
_PH_RULE = re.compile(rf"^PH (?P<times>{_TIMES})$")
_MONTH = "|".join(MONTHS)
_DATE_A = rf"(?:(?P<y1>\d{{4}}) )?(?P<m1>{_MONTH}) (?P<d1>\d{{1,2}})"
_DATE_B = rf"(?:(?P<y2>\d{{4}}) )?(?P<m2>{_MONTH}) (?P<d2>\d{{1,2}})"
_MONTH_RULE = re.compile(rf"^(?P<m1>{_MONTH})-(?P<m2>{_MONTH}) (?:off|closed)$")
_SEASON = re.compile(rf"^(?P<m1>{_MONTH})-(?P<m2>{_MONTH}) (?P<rule>.*)$")
_ADDITIONAL = re.compile(r", (?=(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)\b)")
_DATE_RULE = re.compile(rf"^{_DATE_A}(?:-{_DATE_B})? (?P<times>{_TIMES}){_COMMENT}$")


@dataclass
class DayRow:
    periods: list[tuple[str, str]] = field(default_factory=list)  # ("22:00", "02:00") runs past midnight
    weeks: str = ""  # see WEEK_CHOICES


@dataclass
class Closure:
    first: date
    last: date
    yearly: bool = False  # "Jul 13-Aug 23 off": every year; the years of first and last are not used


@dataclass
class SpecialDate:
    day: date
    periods: list[tuple[str, str]] = field(default_factory=list)  # empty: closed that day
    name: str = ""
    yearly: bool = False


@dataclass
class HoursForm:
    days: list[DayRow] = field(default_factory=lambda: [DayRow() for _ in range(7)])
    holidays: list[tuple[str, str]] | None = None  # None: closed on public holidays; else the hours then
    closures: list[Closure] = field(default_factory=list)
    specials: list[SpecialDate] = field(default_factory=list)
    always: bool = False  # 24/7, holidays included


# ---- expression -> form -------------------------------------------------------------------

def _periods(times: str) -> list[tuple[str, str]]:
    if times in ("off", "closed"):
        return []
    return [tuple(span.split("-")) for span in times.split(",")]


def _weekdays(days: str) -> list[int]:
    found = []
    for part in days.split(","):
        a, _, b = part.partition("-")
        first, last = OSM_DAYS.index(a), OSM_DAYS.index(b or a)
        found += [d % 7 for d in range(first, last + 1 if last >= first else last + 8)]
    return found


def _date(year: str | None, month: str, day: str, default_year: int) -> date:
    return date(int(year) if year else default_year, MONTHS.index(month) + 1, int(day))


def read_expression(expr: str | None, this_year: int = 2026) -> HoursForm | None:
    """Form data for a stored expression; None for hours the form cannot show (then the raw field is used).

    Later rules replace earlier ones for the days they name, as in OpenStreetMap.
    """
    form = HoursForm()
    if not expr:
        return form
    if expr.strip() == "24/7":
        form.always = True
        return form
    named: set[int] = set()
    seasons: set[tuple[int, int]] = set()
    rules = [(part.strip(), i > 0) for rule in expr.split(";") for i, part in enumerate(_ADDITIONAL.split(rule))]
    for rule, additional in rules:
        if (m := _SEASON.match(rule)) and not _MONTH_RULE.match(rule):
            if not _WEEKDAY_RULE.match(m["rule"]):
                return None
            seasons.add((MONTHS.index(m["m1"]) + 1, MONTHS.index(m["m2"]) + 1))
            rule = m["rule"]
        elif seasons and _WEEKDAY_RULE.match(rule):
            return None  # some weekday rules with a season and some without
        if m := _WEEKDAY_RULE.match(rule):
            weeks = m["weeks"] or ""
            if weeks and weeks not in WEEK_CHOICES:
                return None
            for day in _weekdays(m["days"]):
                # A day named twice with different weeks ("Sa 10-12; Sa[1] 13-16") needs two rows: not here.
                if day in named and form.days[day].weeks != weeks and form.days[day].periods and _periods(m["times"]):
                    return None
                if additional and day in named:
                    form.days[day].periods += _periods(m["times"])
                else:
                    form.days[day] = DayRow(_periods(m["times"]), weeks)
                named.add(day)
        elif m := _MONTH_RULE.match(rule):
            form.closures.append(_month_closure(MONTHS.index(m["m1"]) + 1, MONTHS.index(m["m2"]) + 1, this_year))
        elif m := _PH_RULE.match(rule):
            form.holidays = _periods(m["times"]) or None
        elif m := _DATE_RULE.match(rule):
            yearly = not m["y1"]
            if bool(m["y2"]) == yearly and m["m2"]:
                return None  # "2026 Dec 24-Jan 04": a year on one end only
            try:
                first = _date(m["y1"], m["m1"], m["d1"], this_year)
                last = _date(m["y2"], m["m2"], m["d2"], first.year) if m["m2"] else first
            except ValueError:
                return None
            periods = _periods(m["times"])
            if m["m2"] or (not periods and not m["comment"]):
                if periods or m["comment"]:
                    return None  # special hours over a range of days: raw field only
                if any(_covers(first, last, yearly, special) for special in form.specials):
                    return None  # a closure over an earlier special day: the rows write specials last
                form.closures.append(Closure(first, last, yearly))
            else:
                form.specials.append(SpecialDate(first, periods, m["comment"] or "", yearly))
        else:
            return None
    if len(seasons) > 1:
        return None
    for first, last in seasons:  # "Mar-Nov Mo-Fr ...": closed in the other months, every year
        if (first, last) != (1, 12):
            form.closures.insert(0, _month_closure(last % 12 + 1, (first - 2) % 12 + 1, this_year))
    return form


def _covers(first: date, last: date, yearly: bool, special: SpecialDate) -> bool:
    """Whether a closure from first to last takes in the special day (by month and day when yearly)."""
    if not (yearly or special.yearly):
        return first <= special.day <= last
    key = (special.day.month, special.day.day)
    a, b = (first.month, first.day), (last.month, last.day)
    return a <= key <= b if a <= b else (key >= a or key <= b)


def _month_closure(first_month: int, last_month: int, year: int) -> Closure:
    """Whole months, every year ("Dec-Feb off"): from the 1st to the last day of the last month."""
    last_year = year + 1 if last_month < first_month else year
    end = date(last_year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1)
    return Closure(date(year, first_month, 1), end, yearly=True)


# ---- form -> expression -------------------------------------------------------------------

def _times(periods: list[tuple[str, str]]) -> str:
    return ",".join(f"{a}-{b}" for a, b in periods) if periods else "off"


def day_groups(form: HoursForm) -> list[tuple[list[int], list[tuple[str, str]], str]]:
    """(weekdays, periods, weeks) for each set of days that share their hours, in week order."""
    groups: dict[tuple, list[int]] = {}
    for day, row in enumerate(form.days):
        if row.periods:
            groups.setdefault((tuple(row.periods), row.weeks), []).append(day)
    return [(days, list(periods), weeks)
            for (periods, weeks), days in sorted(groups.items(), key=lambda item: item[1][0])]


def day_runs(days: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 2, 4] -> [(0, 2), (4, 4)]."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][1] + 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def _day_groups(days: list[int]) -> str:
    """[0, 1, 2, 4] -> 'Mo-We,Fr'."""
    return ",".join(OSM_DAYS[a] if a == b else f"{OSM_DAYS[a]}-{OSM_DAYS[b]}" for a, b in day_runs(days))


def _whole_months(closure: Closure) -> bool:
    """A yearly closure from the 1st of a month to the end of a month (February may end on the 28th)."""
    after = closure.last + timedelta(days=1)
    ends = after.day == 1 or (closure.last.month == 2 and closure.last.day >= 28)
    return closure.yearly and closure.first.day == 1 and ends and closure.first.month != closure.last.month


def _day_text(d: date, yearly: bool) -> str:
    month_day = f"{MONTHS[d.month - 1]} {d.day:02d}"
    return month_day if yearly else f"{d.year} {month_day}"


def write_expression(form: HoursForm) -> str | None:
    """The OpenStreetMap expression for the form; None when nothing is filled in (hours unknown)."""
    if form.always:
        return "24/7"
    rules = []
    for days, periods, weeks in day_groups(form):
        selector = _day_groups(days) + (f"[{weeks}]" if weeks else "")
        rules.append(f"{selector} {_times(periods)}")
    if form.holidays:
        rules.append(f"PH {_times(form.holidays)}")
    for closure in form.closures:
        if _whole_months(closure):
            rules.append(f"{MONTHS[closure.first.month - 1]}-{MONTHS[closure.last.month - 1]} off")
            continue
        first, last = _day_text(closure.first, closure.yearly), _day_text(closure.last, closure.yearly)
        rules.append(f"{first} off" if first == last else f"{first}-{last} off")
    for special in form.specials:
        name = special.name.replace('"', "'").strip()
        rules.append(f"{_day_text(special.day, special.yearly)} {_times(special.periods)}"
                     + (f' "{name}"' if name else ""))
    if not rules:
        return None
    if all(not row.periods for row in form.days) and (form.closures or form.specials) and not form.holidays:
        rules.insert(0, "Mo-Su off")  # only dates: closed on the other days, not "unknown"
    return "; ".join(rules)


# ---- posted rows <-> form ----------------------------------------------------------------

def _posted_periods(data, prefix: str, errors: dict[str, str], label: str, rows: int) -> list[tuple[str, str]]:
    periods = []
    for i in range(rows):
        opens, closes = (data.get(f"{prefix}-{i}-open") or "").strip(), (data.get(f"{prefix}-{i}-close") or "").strip()
        if not opens and not closes:
            continue
        if closes == "00:00":
            closes = "24:00"
        if not (re.fullmatch(_TIME, opens or "x") and re.fullmatch(_TIME, closes or "x")) or opens == closes:
            errors.setdefault(f"{prefix}-{i}-open", label)  # kept in the rows, so the form shows it again
        periods.append((opens, closes))
    return periods


def _posted_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def from_post(data, rows: int = 4, messages: dict | None = None) -> tuple[HoursForm, dict[str, str]]:
    """Form data from posted fields (a MultiDict or dict). errors: {field id: message}; with errors the
    rows hold what was typed, wrong parts included, and must not be written.

    `messages` gives the wording (translated by the caller): "time", "date", "order".
    """
    words = {"time": "Vul een begin- en eindtijd in, zoals 09:00 en 17:00.",
             "date": "Vul een datum in, zoals 24-12-2026.",
             "order": "De einddatum ligt voor de begindatum.", **(messages or {})}
    errors: dict[str, str] = {}
    form = HoursForm(always=data.get("h-always") in ("1", "on"))
    for day in range(7):
        weeks = data.get(f"h-{day}-weeks") or ""
        form.days[day] = DayRow(_posted_periods(data, f"h-{day}", errors, words["time"], rows),
                                weeks if weeks in WEEK_CHOICES else "")
    if data.get("h-ph") == "open":
        form.holidays = _posted_periods(data, "h-ph", errors, words["time"], rows) or None
    for i in range(MAX_DATE_ROWS):
        first, last = data.get(f"c-{i}-from"), data.get(f"c-{i}-to")
        if not (first or last):
            continue
        a, b = _posted_date(first), _posted_date(last or first)
        if a is None or b is None:
            errors[f"c-{i}-from"] = words["date"]
        elif b < a:
            errors[f"c-{i}-from"] = words["order"]
        else:
            form.closures.append(Closure(a, b, data.get(f"c-{i}-yearly") in ("1", "on")))
    for i in range(MAX_DATE_ROWS):
        day = data.get(f"s-{i}-date")
        if not day:
            continue
        d = _posted_date(day)
        if d is None:
            errors[f"s-{i}-date"] = words["date"]
            continue
        form.specials.append(SpecialDate(d, _posted_periods(data, f"s-{i}", errors, words["time"], 1),
                                         (data.get(f"s-{i}-name") or "").strip()[:60],
                                         data.get(f"s-{i}-yearly") in ("1", "on")))
    return form, errors


def row_count(form: HoursForm) -> int:
    """How many period rows each day shows: at least PERIOD_ROWS, one empty row more than the fullest day."""
    most = max([len(row.periods) for row in form.days] + [len(form.holidays or [])])
    return max(PERIOD_ROWS, most + 1)


def date_rows(items: list) -> int:
    return max(DATE_ROWS, len(items) + 1)


@dataclass
class HoursChoice:
    """What a posted place form means for its hours, and what to show again if it is not saved."""
    text: str  # the expression (or typed text) that goes to validation
    rows: HoursForm | None  # the rows to show again; None: the expression does not fit the rows
    errors: dict[str, str]  # row errors: {field id: message}
    original: str  # what the rows stand for now (posted again, to tell a changed raw field from unchanged)


def for_display(expr: str | None) -> HoursChoice:
    """The rows and raw field for a stored expression (a GET of the form)."""
    return HoursChoice(expr or "", read_expression(expr), {}, expr or "")


def choose_hours(data, messages: dict | None = None) -> HoursChoice:
    """The rows win when they were changed; a raw field the editor changed wins over the rows.

    `data`: the posted fields. Without rows on the page (hours the rows cannot show) the raw field counts.
    """
    raw = (data.get("opening_hours") or "").strip()
    if data.get("hours_rows") != "1":
        return HoursChoice(raw, None, {}, raw)
    original = (data.get("hours_original") or "").strip()
    try:
        rows_count = min(8, max(1, int(data.get("hours_row_count") or PERIOD_ROWS)))
    except ValueError:
        rows_count = PERIOD_ROWS
    rows, errors = from_post(data, rows_count, messages)
    if raw != original:
        try:
            shown = read_expression(hours_from_input(raw))
        except HoursError:
            shown = None
        return HoursChoice(raw, shown, {}, raw)
    if errors:
        return HoursChoice(raw, rows, errors, original)
    text = write_expression(rows) or ""
    before = read_expression(original) if original else None
    if before is not None and write_expression(before) == text:
        text = original  # rows unchanged: keep the stored spelling, so the history shows no change
    return HoursChoice(text, rows, {}, text)
