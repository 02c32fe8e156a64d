"""When someone wants to go: Dutch time words in a search, the "Wanneer?" choice and API instants,
all turned into one time window in Europe/Amsterdam, and said back in a plain sentence.

Pure Python (no Flask): `now` is always passed in, so every phrase is testable at any moment.

A part of the day or "weekend" on its own ("'s nachts", "weekend") is no window: it says what
kind of place someone looks for (a night café, a weekend room), so it stays in the text search;
"vannacht", "zondagavond" and "dit weekend" are windows.

Parts of the day: ochtend 06-12, middag 12-18, avond 18-24, nacht 22-06 (into the next day).
A bare hour from 1 to 7 means the afternoon ("na vijf uur" is 17:00) unless a morning is named.
A window that has begun already starts at `now` (rounded down to the minute): "vanavond" at
20:10 asks for places open after 20:10, not for one that closed at 19:00.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.easter import easter

TZ = ZoneInfo("Europe/Amsterdam")
MAX_WINDOW = timedelta(days=8)

DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
PARTS = {"ochtend": (6, 12), "morgen": (6, 12), "middag": (12, 18), "avond": (18, 24),
         "nacht": (22, 30)}
NUMBERS = {w: n for n, w in enumerate(("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht",
                                       "negen", "tien", "elf", "twaalf"), start=1)}
CHOICES = ("nu", "vanavond", "morgen", "weekend", "dag")  # the list page's "Wanneer?"


def _identity(message: str, **values) -> str:
    return message % values if values else message


@dataclass(frozen=True)
class TimeWindow:
    start: datetime  # aware, Europe/Amsterdam
    end: datetime  # exclusive; equal to start + 1 minute for a moment ("om 3 uur", "nu")
    now: bool = False  # "nu": the status lines may say "nu"

    @property
    def moment(self) -> bool:
        return self.end - self.start <= timedelta(minutes=1)


class WhenError(ValueError):
    """A time word, choice or API value that cannot be used; `param` names the request parameter."""

    def __init__(self, message: str, param: str = "q"):
        super().__init__(message)
        self.param, self.message = param, message


# --- words in a query --------------------------------------------------------------------------

_DAY = "|".join(DAYS)
_PART = "ochtend|middag|avond|nacht"
_MONTH = "|".join(MONTHS) + "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
_NUMW = "|".join(NUMBERS)
_CLOCK = r"\d{1,2}[:.]\d\d"
_HSTRICT = rf"(?:{_CLOCK}(?:\s*uur)?|(?:\d{{1,2}}|{_NUMW})\s*uur)"  # a clock, or an hour with "uur"
_HLOOSE = rf"(?:{_CLOCK}|\d{{1,2}}|{_NUMW})"
_FEASTS = {
    "kerstavond": ("xmas", -1, (18, 24)), "kerstnacht": ("xmas", -1, (22, 30)),
    "eerste kerstdag": ("xmas", 0, None), "kerstmis": ("xmas", 0, None), "kerst": ("xmas", 0, None),
    "tweede kerstdag": ("xmas", 1, None), "oudejaarsavond": ("newyear", -1, (18, 24)),
    "oudjaarsavond": ("newyear", -1, (18, 24)), "oud en nieuw": ("newyear", -1, (18, 30)),
    "oudejaarsdag": ("newyear", -1, None), "nieuwjaarsdag": ("newyear", 0, None),
    "eerste paasdag": ("easter", 0, None), "pasen": ("easter", 0, None),
    "tweede paasdag": ("easter", 1, None), "hemelvaartsdag": ("easter", 39, None),
    "hemelvaart": ("easter", 39, None), "eerste pinksterdag": ("easter", 49, None),
    "pinksteren": ("easter", 49, None), "tweede pinksterdag": ("easter", 50, None),
    "koningsdag": ("kingsday", 0, None),
}
_FEAST = "|".join(sorted((k.replace(" ", r"\s+") for k in _FEASTS), key=len, reverse=True))

# One alternative per kind of phrase; the group that matched names the _Reading method to call.
_PHRASES = re.compile(rf"""
    (?P<feast>\b(?:op\s+)?(?:{_FEAST})\b)
  | (?P<weekend>\b(?:dit|deze|volgend|volgende)\s+weekend\b)
  | (?P<week>\b(?:deze|volgende)\s+week\b)
  | (?P<compound>\b(?:op\s+)?(?:(?P<cday>{_DAY})|(?P<crel>van|overmorgen|morgen))
        (?P<cpart>{_PART}|morgen)\b)
  | (?P<date>\b(?:op\s+)?(?:(?P<dday>{_DAY})\s+)?(?P<dnum>\d{{1,2}})\s+(?P<dmonth>{_MONTH})\b\.?)
  | (?P<range>\b(?:van\s+)?(?P<r1>{_HLOOSE})\s*(?:-|–|tot)\s*(?P<r2>{_HSTRICT}))
  | (?P<numdate>\b(?:op\s+)?(?P<ndd>\d{{1,2}})[-/](?P<nmm>\d{{1,2}})(?:[-/](?P<nyy>\d{{4}}))?\b)
  | (?P<day>\b(?:op\s+)?(?P<dayname>{_DAY}|vandaag|overmorgen|morgen)\b)
  | (?P<part>(?:\b(?:in\s+)?de\s+)?\b(?P<pname>{_PART})\b|'s\s*(?P<pname2>ochtends|morgens|middags|avonds|nachts)\b)
  | (?P<between>\btussen\s+(?P<b1>{_HLOOSE})(?:\s*uur)?\s+(?:en|tot)\s+(?P<b2>{_HLOOSE}(?:\s*uur)?))
  | (?P<after>\b(?:na|vanaf|later\s+dan)\s+(?P<a1>{_HSTRICT}))
  | (?P<before>\b(?:voor|tot|uiterlijk)\s+(?P<t1>{_HSTRICT}))
  | (?P<at>\b(?:om|rond|tegen)\s+(?:(?P<half>half\s+)(?P<o2>\d{{1,2}}|{_NUMW})\b|(?P<o1>{_HSTRICT}|\d{{1,2}}\b)))
  | (?P<clock>\b(?P<c1>{_CLOCK})\b)
  | (?P<nu>\b(?:nu|meteen|direct|op\s+dit\s+moment)\b)
""", re.VERBOSE | re.IGNORECASE)
# Once a time is known, the rest of a question ("waar kan ik zondagavond heen?", "wat is er
# vanavond open") holds no words to search for; left in, "heen" would find no place at all.
_FILLER = re.compile(r"\b(?:open|geopend|opengaan|heen|naartoe|ergens|gaan|terecht|langs|waar|wat|"
                     r"kan|kun|ik|je|er|is|iets)\b", re.IGNORECASE)


def _hour(word: str, morning: bool = False, half: bool = False) -> tuple[int, int]:
    """(hour, minute) of "17", "5 uur", "vijf uur", "17:30" or "17.30"; 1 to 7 o'clock is p.m."""
    word = re.sub(r"\s*uur$", "", word.strip().lower()).replace(".", ":")
    if word in NUMBERS:
        h, m = NUMBERS[word], 0
    elif ":" in word:
        h, m = (int(x) for x in word.split(":"))
    else:
        h, m = int(word), 0
    if half:  # "half vier" is 3:30
        h, m = h - 1, 30
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise WhenError(word)
    if 1 <= h <= 7 and not morning and not (":" in word and word[0] == "0"):
        h += 12
    return h, m


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _feast_day(kind: str, offset: int, today: date) -> date:
    for year in (today.year, today.year + 1):
        base = {"xmas": date(year, 12, 25), "newyear": date(year + 1 if offset < 0 else year, 1, 1),
                "easter": easter(year), "kingsday": _kingsday(year)}[kind]
        day = base + timedelta(days=offset)
        if day >= today:
            return day
    return day


def _kingsday(year: int) -> date:
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".").replace("mrt", "maa")
    for n, name in enumerate(MONTHS, start=1):
        if name.startswith(word[:3]):
            return n
    raise WhenError(word)


def _date_ahead(today: date, month: int, day: int, year: int | None = None) -> date:
    """The date with that day and month, this year or (when it has passed) next year."""
    try:
        found = date(year or today.year, month, day)
        if year is None and found < today:
            found = date(today.year + 1, month, day)
    except ValueError:
        raise WhenError(f"{day}-{month}") from None
    return found


class _Reading:
    """What the time words of one query say, piece by piece: a day (or days), a part, hours."""

    def __init__(self, now: datetime):
        self.now = now
        self.today = now.date()
        self.first: date | None = None
        self.days = 1
        self.hours: tuple[tuple[int, int], tuple[int, int]] | None = None  # (from, to); to may pass 24
        self.moment: tuple[int, int] | None = None
        self.is_now = False
        self.morning = False
        self.part: tuple[int, int] | None = None

    def read(self, m: re.Match) -> None:
        getattr(self, "_" + m.lastgroup)(m)

    def _feast(self, m):
        name = " ".join(re.sub(r"^op\s+", "", m.group("feast").lower()).split())
        kind, offset, part = _FEASTS[name]
        self.first = _feast_day(kind, offset, self.today)
        if part:
            self._set_part(part)

    def _weekend(self, m):
        saturday = _next_weekday(self.today, 5)
        if self.today.weekday() == 6:
            saturday -= timedelta(days=7)  # on a Sunday, "dit weekend" is today
        if "volgend" in m.group("weekend").lower():
            saturday += timedelta(days=7)
        self.first, self.days = saturday, 2

    def _week(self, m):
        monday = self.today - timedelta(days=self.today.weekday())
        if m.group("week").lower().startswith("volgende"):
            monday += timedelta(days=7)
        self.first, self.days = monday, 7

    def _compound(self, m):
        part = m.group("cpart").lower()
        if m.group("cday"):
            self.first = _next_weekday(self.today, DAYS.index(m.group("cday").lower()))
        else:
            self.first = self.today + timedelta(
                days={"van": 0, "morgen": 1, "overmorgen": 2}[m.group("crel").lower()])
            if m.group("crel").lower() == "van" and part == "nacht" and self.now.hour < 6:
                self.first -= timedelta(days=1)  # "vannacht" at 03:00 is the night we are in
        self._set_part(PARTS[part])

    def _date(self, m):
        self.first = _date_ahead(self.today, _month_number(m.group("dmonth")), int(m.group("dnum")))

    def _numdate(self, m):
        year = int(m.group("nyy")) if m.group("nyy") else None
        self.first = _date_ahead(self.today, int(m.group("nmm")), int(m.group("ndd")), year)

    def _day(self, m):
        name = m.group("dayname").lower()
        relative = {"vandaag": 0, "morgen": 1, "overmorgen": 2}
        if name in relative:
            self.first = self.today + timedelta(days=relative[name])
        else:
            self.first = _next_weekday(self.today, DAYS.index(name))

    def _part(self, m):
        name = (m.group("pname") or m.group("pname2")[:-1]).lower()
        self._set_part(PARTS[name])

    def _set_part(self, part):
        start, end = part
        self.morning = start < 12
        self.part = part
        self.hours = ((start, 0), (end, 0))

    def _hour(self, word: str) -> tuple[int, int]:
        """An hour read within the part of the day named: "'s avonds na 8 uur" is 20:00."""
        h, m = _hour(word, self.morning)
        if self.part and h < self.part[0] <= h + 12 < self.part[1]:
            h += 12
        return h, m

    def _between(self, m):
        if "uur" not in m.group("between").lower() and not re.search(_CLOCK, m.group("between")):
            raise WhenError(m.group("between"))  # "tussen 16 en 23 jaar" is no time
        self._pair(m.group("b1"), m.group("b2"))

    def _range(self, m):
        self._pair(m.group("r1"), m.group("r2"))

    def _pair(self, first: str, second: str) -> None:
        start, end = self._hour(first), self._hour(second)
        if end <= start and end[0] >= 13:  # "tussen 22 en 2 uur" ends at night, not at 14:00
            end = (end[0] - 12, end[1])
        self.hours = (start, end)

    def _after(self, m):
        self.hours = (self._hour(m.group("a1")), self.hours[1] if self.hours else (24, 0))

    def _before(self, m):
        self.hours = (self.hours[0] if self.hours else (0, 0), self._hour(m.group("t1")))

    def _at(self, m):
        if m.group("half"):
            self.moment = _hour(m.group("o2"), self.morning, half=True)
        else:
            self.moment = self._hour(m.group("o1"))

    def _clock(self, m):
        self.moment = _hour(m.group("c1"), morning=True)

    def _nu(self, m):
        self.is_now = True

    def window(self) -> TimeWindow:
        if self.is_now and self.first is None and self.hours is None and self.moment is None:
            return moment_window(self.now, is_now=True)
        first = self.first or self.today
        if self.moment is not None:
            start = _at(first, *self.moment)
            if self.first is None and start < self.now - timedelta(minutes=30):
                start = _at(first + timedelta(days=1), *self.moment)  # "om 3 uur" said at 16:00
            return moment_window(start)
        if self.hours is None:
            return self._clip(_at(first, 0, 0), _at(first + timedelta(days=self.days), 0, 0))
        (h1, m1), (h2, m2) = self.hours
        if (h2, m2) <= (h1, m1):  # "tussen 22 en 2 uur": on into the next day
            h2 += 24
        last = first + timedelta(days=self.days - 1)  # "dit weekend na vijf uur": each day's hours
        start, end = _at(first, h1, m1), _at(last, h2, m2)
        if self.first is None and end <= self.now:  # "na vijf uur" said at 23:00 means tomorrow
            start, end = _at(first + timedelta(days=1), h1, m1), _at(last + timedelta(days=1), h2, m2)
        return self._clip(start, end)

    def _clip(self, start: datetime, end: datetime) -> TimeWindow:
        floor = self.now.replace(second=0, microsecond=0)
        return TimeWindow(floor if start < floor < end else start, end)


def _at(day: date, hour: int, minute: int) -> datetime:
    """Wall-clock time on `day`; hour 24 and later run on into the next days."""
    extra, hour = divmod(hour, 24)
    naive = datetime.combine(day + timedelta(days=extra), time(hour, minute))
    # Through UTC, so a time in the spring DST gap becomes a real instant.
    return naive.replace(tzinfo=TZ).astimezone(ZoneInfo("UTC")).astimezone(TZ)


def moment_window(at: datetime, is_now: bool = False) -> TimeWindow:
    at = at.astimezone(TZ).replace(second=0, microsecond=0)
    return TimeWindow(at, at + timedelta(minutes=1), now=is_now)


def split_when(text: str, now: datetime) -> tuple[TimeWindow | None, str]:
    """Find the time words in a query: (window or None, the words left for the text search)."""
    found = [m for m in _PHRASES.finditer(text)]
    if not found:
        return None, text
    reading = _Reading(now.astimezone(TZ))
    used, kinds = [], set()
    for m in found:
        try:
            reading.read(m)
            used.append(m.span())
            kinds.add(m.lastgroup)
        except WhenError:
            continue
    if not used or kinds == {"part"}:
        # "'s nachts" or "avond" alone means "at night" in general, not tonight: that is what a
        # place is about (a night café), so those words stay in the text search.
        return None, text
    rest = text
    for start, end in reversed(used):
        rest = rest[:start] + " " + rest[end:]
    rest = _FILLER.sub(" ", rest)
    rest = " ".join(re.sub(r"[?!.,]+(\s|$)", " ", rest).split())
    return reading.window(), rest


def choice_window(choice: str, day: str, clock: str, now: datetime) -> TimeWindow | None:
    """The "Wanneer?" choice of the list page: nu, vanavond, morgen, weekend, or a day (and time)."""
    choice = (choice or "").strip().lower()
    if choice in ("", "altijd"):
        if not day:
            return None
        choice = "dag"
    if choice not in CHOICES:
        raise WhenError("must be one of: " + ", ".join(CHOICES), "wanneer")
    if choice != "dag":
        return split_when({"weekend": "dit weekend"}.get(choice, choice), now)[0]
    try:
        chosen = date.fromisoformat(day)
    except (TypeError, ValueError):
        raise WhenError("must be a date like 2026-12-06", "dag") from None
    if not clock:
        start = _at(chosen, 0, 0)
        return _Reading(now.astimezone(TZ))._clip(start, _at(chosen + timedelta(days=1), 0, 0))
    try:
        at = time.fromisoformat(clock)
    except ValueError:
        raise WhenError("must be a time like 18:30", "tijd") from None
    return moment_window(_at(chosen, at.hour, at.minute))


def _instant(value: str, name: str) -> datetime:
    try:
        found = datetime.fromisoformat(value.strip())
    except ValueError:
        raise WhenError("must be an ISO 8601 date-time, e.g. 2026-12-06T18:00:00+01:00", name) from None
    return (found if found.tzinfo else found.replace(tzinfo=TZ)).astimezone(TZ)


def api_window(open_at: str | None, open_between: str | None) -> tuple[str, TimeWindow] | None:
    """(parameter name, window) from `open_at=ISO` or `open_between=START/END`; WhenError names it."""
    if open_at and open_between:
        raise WhenError("use open_at or open_between, not both", "open_at")
    if open_at:
        return "open_at", moment_window(_instant(open_at, "open_at"))
    if not open_between:
        return None
    start_text, slash, end_text = open_between.partition("/")
    if not slash or not start_text or not end_text:
        raise WhenError("must be START/END, e.g. 2026-12-06T18:00:00+01:00/2026-12-06T23:00:00+01:00",
                        "open_between")
    start, end = _instant(start_text, "open_between"), _instant(end_text, "open_between")
    if end <= start:
        raise WhenError("the end must come after the start", "open_between")
    if end - start > MAX_WINDOW:
        raise WhenError(f"the window may be at most {MAX_WINDOW.days} days long", "open_between")
    return "open_between", TimeWindow(start, end)


def read_when(args, q: str, now: datetime, errors: dict) -> tuple[TimeWindow | None, str]:
    """The window asked for in request args (API values, the form's choice, or time words in `q`)
    and the query words left for the text search. Bad values go into `errors` by parameter."""
    window = None
    try:
        found = api_window(args.get("open_at"), args.get("open_between"))
        window = found[1] if found else None
    except WhenError as exc:
        errors[exc.param] = exc.message
    if window is None:
        try:
            window = choice_window(args.get("wanneer", ""), args.get("dag", ""), args.get("tijd", ""), now)
        except WhenError as exc:
            errors[exc.param] = exc.message
    from_words, rest = split_when(q, now) if q else (None, q)
    return window or from_words, rest


# --- saying it back --------------------------------------------------------------------------

def dutch_day(d: date) -> str:
    return f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"


def _clock(moment: datetime, midnight: str = "00:00") -> str:
    return midnight if (moment.hour, moment.minute) == (0, 0) else f"{moment:%H:%M}"


def describe(window: TimeWindow, _=_identity, day_text=dutch_day) -> str:
    """One plain sentence: "Open op zondag 7 december tussen 18:00 en 24:00".

    `_` and `day_text` are the app's gettext and date formatter; the defaults speak Dutch.
    """
    start, end = window.start, window.end
    if window.now:
        return _("Nu open")
    if window.moment:
        return _("Open op %(day)s om %(time)s", day=day_text(start.date()), time=_clock(start))
    last = (end - timedelta(microseconds=1)).date()  # the day the window's last minute falls on
    if last == start.date():
        if (start.hour, start.minute) == (0, 0) and (end.hour, end.minute) == (0, 0):
            return _("Open op %(day)s", day=day_text(start.date()))
        return _("Open op %(day)s tussen %(start)s en %(end)s", day=day_text(start.date()),
                 start=_clock(start), end=_clock(end, "24:00"))
    if (start.hour, start.minute) == (0, 0) and (end.hour, end.minute) == (0, 0):
        return _("Open van %(first)s tot en met %(last)s", first=day_text(start.date()),
                 last=day_text(last))
    return _("Open van %(start)s tot %(end)s",
             start=f"{day_text(start.date())} {_clock(start)}", end=f"{day_text(last)} {_clock(end, '24:00')}")
