"""Atom feeds (``/feeds/questions.atom``, ``/feeds/answers.atom``, ``/feeds/overdue.atom``): new
questions, answers and overdue questions, narrowed by the filters of ``/questions`` (``party=sp``,
``ministry=mnre1058``, ``topic=luchtvaart``, ``submitter=cem-lacin``, ``answerer=...``), so there is
a feed for every person, party, ministry and topic, and for any list.

Feeds are read by programs that ask again every few minutes, so they answer conditional GETs: the
ETag is a digest of the body (a client that sends it back gets 304 while the feed is the same),
Last-Modified the moment the data can last have changed (the page index's build, for overdue
questions also the start of the day, as a question becomes overdue with the date).

The pages link their feeds with ``<link rel="alternate" type="application/atom+xml">`` (the
context processor at the end) and in their footer.
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import Response, abort, request

from kamergraph.endpoint.site import atom, finding, i18n, lists, people
from kamergraph.endpoint.site.addresses import absolute, base_iri, iris, with_query
from kamergraph.endpoint.site.i18n import N_, gettext
from kamergraph.endpoint.site.page_queries import PageQuery, select_one
from kamergraph.endpoint.site.render import page_blueprint, page_index
from kamergraph.indexes.answer_order import newest_answers
from kamergraph.indexes.pages import DIMS, IndexUnavailable, PageIndex, Row
from kamergraph.iris import key_of

bp = page_blueprint("feeds", __name__, public=True)

KINDS = {"questions": N_("new questions"), "answers": N_("answers"), "overdue": N_("overdue questions")}
ENTRIES = 50  # per feed: the newest


@dataclass(frozen=True)
class Item:
    """One entry to be: a question of the page index, and what the feed says happened to it when."""

    row: Row
    happened: date
    deadline: str | None = None


@bp.route("/feeds/<kind>.atom")
def feed(kind: str):
    if kind not in KINDS:
        abort(404)
    unknown = sorted(set(request.args) - set(DIMS) - {"lang"})  # lang: Dutch unless ?lang=en
    if unknown:
        abort(400, description=f"A feed takes the filters of /questions ({', '.join(DIMS)}), not {unknown[0]}.")
    index = page_index()
    filters = people.resolved(index, lists.filters_from_args())
    today = date.today()
    items = FINDERS[kind](index, index.select(filters), today)
    params = {dim: filters[dim] for dim in DIMS if dim in filters}
    path = with_query(f"{request.script_root}/feeds/{kind}.atom", params)
    built = datetime.fromtimestamp(index.built, UTC).replace(microsecond=0)
    changed = max(built, _moment(today)) if kind == "overdue" else built
    host = request.host_url.rstrip("/")
    document = atom.Feed(
        id=with_query(f"{base_iri()}feeds/{kind}.atom", params),
        title=_title(index, kind, filters),
        self_link=host + path,
        alternate=host + with_query(request.script_root + "/questions", _list_filters(kind, params)),
        author=atom.Person("kamergraph", request.host_url),
        entries=[_entry(kind, item) for item in items],
        fallback_updated=built,
    )
    body = atom.document(document)
    response = Response(body, content_type=f"{atom.MEDIA_TYPE}; charset=utf-8")
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.last_modified = changed
    response.cache_control.no_cache = True  # keep it, but ask again (a 304 costs nothing)
    return response.make_conditional(request)


# -- what each feed lists ----------------------------------------------------------------------


def _new_questions(index: PageIndex, bits: int, today: date) -> list[Item]:
    return [Item(row, date.fromisoformat(row.submitted)) for row in index.rows(index.window(bits, 0, ENTRIES))]


def _answers(index: PageIndex, bits: int, today: date) -> list[Item]:
    chosen = finding.contains(bits, index.size)
    numbers: list[int] = []
    answered: dict[int, str] = {}
    for number, day in newest_answers(index):
        if chosen(number):
            numbers.append(number)
            answered[number] = day
            if len(numbers) == ENTRIES:
                break
    return [Item(row, date.fromisoformat(answered[row.id])) for row in index.rows(numbers)]


_overdue_kept: dict[tuple, list[tuple[int, str]]] = {}
_overdue_lock = threading.Lock()


def overdue_on(index: PageIndex, day: date) -> list[tuple[int, str]]:
    """(question number, deadline) of the questions overdue on a day, the deadline passed most
    recently first (``feed-overdue.rq``: from the store, as not every page index holds the
    deadlines); kept for the day until the page index changes."""
    key = (index.file_id, day)
    with _overdue_lock:
        found = _overdue_kept.get(key)
    if found is None:
        numbers = finding.question_numbers(index)
        found, seen = [], set()
        for row in select_one(PageQuery("feed-overdue", {"day": day.isoformat()})):
            number = numbers.get(str(row["question"]))
            if number is not None and number not in seen:
                seen.add(number)
                found.append((number, str(row["deadline"])))
        with _overdue_lock:
            _overdue_kept.clear()
            _overdue_kept[key] = found
    return found


def _overdue(index: PageIndex, bits: int, today: date) -> list[Item]:
    chosen = finding.contains(bits, index.size)
    deadlines = dict([(n, d) for n, d in overdue_on(index, today) if chosen(n)][:ENTRIES])
    return [Item(row, date.fromordinal(date.fromisoformat(deadlines[row.id]).toordinal() + 1), deadlines[row.id])
            for row in index.rows(list(deadlines))]


FINDERS: dict[str, Callable[[PageIndex, int, date], list[Item]]] = {
    "questions": _new_questions, "answers": _answers, "overdue": _overdue}


# -- entries -----------------------------------------------------------------------------------


def _entry(kind: str, item: Item) -> atom.Entry:
    row = item.row
    if kind == "questions":
        entry_id, title = row.iri, row.title
    elif kind == "answers":
        entry_id, title = f"{row.iri}#antwoord", i18n.gettext("Answered: %(title)s") % {"title": row.title}
    else:
        entry_id, title = (f"{row.iri}#te-laat-{item.deadline}",
                           i18n.gettext("Overdue: %(title)s") % {"title": row.title})
    return atom.Entry(
        id=entry_id, title=title, updated=_moment(item.happened), link=absolute(row.iri),
        summary=_summary(kind, item), published=_moment(date.fromisoformat(row.submitted)),
        authors=tuple(atom.Person(person.label, person.iri) for person, _ in row.submitters),
        categories=tuple(atom.Category(topic.iri, topic.label) for topic in row.topics),
    )


def _summary(kind: str, item: Item) -> str:
    row = item.row
    asked = ", ".join(f"{person.label} ({party.label})" if party else person.label for person, party in row.submitters)
    submitted = i18n.long_date(row.submitted)
    opening = (gettext("%(zaak)s, submitted %(date)s by %(names)s.") if asked
               else gettext("%(zaak)s, submitted %(date)s."))
    parts = [opening % {"zaak": row.zaak, "date": submitted, "names": asked}]
    whom = getattr(row, "addressees", None) or []
    if whom:
        parts.append(gettext("Put to %(names)s.") % {"names": ", ".join(person.label for person, _ in whom)})
    if row.answered:
        answered = {"date": i18n.long_date(row.answered), "names": ", ".join(p.label for p, _ in row.answerers)}
        parts.append((gettext("Answered %(date)s by %(names)s") if answered["names"] else gettext("Answered %(date)s"))
                     % answered)
        if row.days is not None:
            parts[-1] += i18n.ngettext(", after %(num)d day", ", after %(num)d days", row.days) % {"num": row.days}
        parts[-1] += "."
    if kind == "overdue":
        parts.append(gettext("Deadline %(date)s; not answered.") % {"date": i18n.long_date(item.deadline)})
    return " ".join(parts)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _title(index: PageIndex, kind: str, filters: dict[str, str]) -> str:
    chosen = [f"{i18n.gettext(lists.DIM_TITLES.get(dim, dim))}: {lists.value_label(index, dim, value)[0]}"
              for dim, value in filters.items()]
    return f"kamergraph: {i18n.gettext(KINDS[kind])}" + (f" ({'; '.join(chosen)})" if chosen else "")


def _list_filters(kind: str, params: dict[str, str]) -> dict[str, str]:
    """The filters of the list page a feed follows."""
    if kind == "answers":
        return params | {"answered": "yes"}
    if kind == "overdue":
        return params | ({"status": "overdue"} if "status" in DIMS else {"answered": "no"})
    return params


# -- links from the pages ----------------------------------------------------------------------

# For each kind of thing page, the feeds it offers: (feed, the filter dimension its key goes in,
# title). A dimension the page index does not have (an older one) is left out.
THING_FEEDS = {
    "person": (
        ("questions", "submitter", N_("New questions by %(name)s")),
        ("answers", "submitter", N_("Answers to %(name)s")),
        ("answers", "answerer", N_("Answers by %(name)s")),
        ("overdue", "addressee", N_("Overdue questions put to %(name)s")),
        ("overdue", "submitter", N_("Overdue questions by %(name)s")),
    ),
    "party": (
        ("questions", "party", N_("New questions from %(name)s")),
        ("answers", "party", N_("Answers to %(name)s")),
        ("overdue", "party", N_("Overdue questions from %(name)s")),
    ),
    "ministry": (
        ("questions", "ministry", N_("New questions answered by %(name)s")),
        ("answers", "ministry", N_("Answers by %(name)s")),
        ("overdue", "addressed", N_("Overdue questions put to %(name)s")),
    ),
    "topic": (
        ("questions", "topic", N_("New questions on %(name)s")),
        ("answers", "topic", N_("Answers on %(name)s")),
        ("overdue", "topic", N_("Overdue questions on %(name)s")),
    ),
}


@bp.app_context_processor
def feed_links() -> dict:
    """``feeds``: the feeds of the page being rendered (href, title), for its head and footer."""
    endpoint = request.endpoint or ""
    if endpoint == "browse.questions":
        params = {dim: request.args[dim] for dim in DIMS if request.args.get(dim)}
        return {"feeds": [{"href": with_query(f"{request.script_root}/feeds/{kind}.atom", params),
                           "title": i18n.gettext(label).capitalize()} for kind, label in KINDS.items()]}
    if endpoint == "linkeddata.thing" and request.view_args:
        return {"feeds": _thing_feeds("id/" + str(request.view_args.get("path", "")))}
    return {}


def _thing_feeds(path: str) -> list[dict]:
    if "." in path.rsplit("/", 1)[-1]:
        return []  # a representation other than the page (the suffix) has no <head>
    iri = base_iri() + path
    kind = iris().kind_of(iri)
    if kind not in THING_FEEDS:
        return []
    key = key_of(iri)
    try:
        entity = page_index().entities.get(iri)
    except IndexUnavailable:  # the page (or its error page) is shown without the index: named by its key
        entity = None
    name = entity.label if entity else key
    return [{"href": with_query(f"{request.script_root}/feeds/{feed}.atom", {dim: key}),
             "title": i18n.gettext(title) % {"name": name}}
            for feed, dim, title in THING_FEEDS[kind] if dim in DIMS]
