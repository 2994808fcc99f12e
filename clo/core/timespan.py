"""When something happens, in words: the one way a session (or anything with a start and an end) is shown.

The instants are stored in UTC and shown in the council's time zone (``TIME_ZONE``, Europe/Madrid), in the active
language's long form with the weekday, and the hours as a person writes them:

- ca: "Dimecres 16 de desembre de 2026, de 9 a 13 h" · "Del dimarts 15 de desembre de 2026 al dijous 7 de gener
  de 2027, de 9.30 a 13 h" · "d'11 a 13 h"
- es: "Miércoles 16 de diciembre de 2026, de 9 a 13 h" · "Del martes 15 … al jueves 7 de enero de 2027, de 9:30 a 13 h"
- en: "Wednesday 16 December 2026, 9:00 to 13:00" · "From Tuesday 15 December 2026 to Thursday 7 January 2027, …"

Whole days (from midnight to 23:59 or to the next midnight, e.g. a course followed online at one's own pace) are
shown without hours.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# The weekday and the long date, in the order and with the words each language uses.
DAY_FORMATS = {"ca": r"l j E \d\e Y", "es": r"l j \d\e F \d\e Y", "en": "l j F Y"}


def _language() -> str:
    return (translation.get_language() or "ca").split("-")[0]


def _day(moment: dt.datetime) -> str:
    text = date_format(moment, DAY_FORMATS.get(_language(), DAY_FORMATS["en"]))
    # Django names the weekday "Dimarts" in Catalan: inside a sentence it is "dimarts" (as in Spanish, "martes").
    return text[:1].lower() + text[1:] if _language() in ("ca", "es") else text


def hour(moment: dt.datetime) -> str:
    """A time of day as the language writes it in a timetable: ca "9", "9.30"; es "9", "9:30"; en "9:00"."""
    language = _language()
    if language == "en":
        return f"{moment.hour}:{moment.minute:02d}"
    if not moment.minute:
        return str(moment.hour)
    return f"{moment.hour}{'.' if language == 'ca' else ':'}{moment.minute:02d}"


def hours(start: dt.datetime, end: dt.datetime) -> str:
    """"de 9 a 13 h" (ca, es), "9:00 to 13:00" (en); Catalan "d'11 a 13 h" before one and eleven."""
    values = {"start": hour(start), "end": hour(end)}
    if start.hour in (1, 11):  # "onze", "una": a vowel sound
        return pgettext("hours starting at 1 or 11", "from %(start)s to %(end)s") % values
    return _("from %(start)s to %(end)s") % values


def _whole_days(start: dt.datetime, end: dt.datetime) -> bool:
    return start.time() == dt.time(0) and (end.time() == dt.time(0) and end > start
                                           or (end.hour, end.minute) == (23, 59))


def span(starts_at: dt.datetime | None, ends_at: dt.datetime | None = None) -> str:
    """``starts_at`` to ``ends_at`` in words (see the module's docstring); "" without a start."""
    if starts_at is None:
        return ""
    start = timezone.localtime(starts_at) if timezone.is_aware(starts_at) else starts_at
    end = (timezone.localtime(ends_at) if timezone.is_aware(ends_at) else ends_at) if ends_at else start
    whole = _whole_days(start, end)
    last_day = (end - dt.timedelta(minutes=1)).date() if whole and end.time() == dt.time(0) else end.date()
    if last_day <= start.date():
        day = capfirst(_day(start))
        if whole:
            return day
        if end == start:
            at = {"day": day, "time": hour(start)}
            if start.hour == 1:  # Catalan "a la 1 h", not "a les"
                return pgettext("time 1:00 to 1:59", "%(day)s, at %(time)s") % at
            return _("%(day)s, at %(time)s") % at
        return _("%(day)s, %(hours)s") % {"day": day, "hours": hours(start, end)}
    days = _("From %(first)s to %(last)s") % {
        "first": _day(start), "last": _day(dt.datetime.combine(last_day, dt.time(12)))}
    if whole:
        return days
    return _("%(days)s, %(hours)s") % {"days": days, "hours": hours(start, end)}
