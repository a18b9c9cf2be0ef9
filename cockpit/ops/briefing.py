"""The briefing basket kept per user (chart cards with their filters, in order, each with an
optional title and note) and the export log (every export: who, what, when, how far)."""
from __future__ import annotations

import json
import re

import sqlalchemy as sa

from cockpit.ops.instructions import FormError
from cockpit.ops.store import Store, briefing_items, exports, now_text
from cockpit.state import ViewState

TITLE_MAX, NOTE_MAX, BASKET_MAX = 80, 300, 30
FORMATS = ("pptx", "pdf", "zip")
CARD_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
PATH = re.compile(r"/[a-z]{0,32}")


def items(store: Store, username: str) -> list[dict]:
    """The user's basket in order."""
    with store.reading() as conn:
        rows = conn.execute(sa.select(briefing_items).where(briefing_items.c.username == username)
                            .order_by(briefing_items.c.position, briefing_items.c.id)).mappings().all()
    return [dict(r) for r in rows]


def add(store: Store, username: str, path: str, state: ViewState, card_id: str, card_title: str,
        unit_name: str, period: str) -> int:
    """Put a chart card (page, filters, card) at the end of the basket; the caller has checked
    that the page renders that card. The filters are kept as the page's parsed state writes them
    (ViewState.query), so the same card with the same filters goes in once however its URL
    spelled them (order, empty or unknown parameters, defaults left out); path and card id
    have one spelling each (PATH, CARD_ID)."""
    if not PATH.fullmatch(path or "") or not CARD_ID.fullmatch(card_id or ""):
        raise FormError("card", "briefing.error.card")
    query = state.query()
    with store.writing() as conn:
        mine = briefing_items.c.username == username
        count, last = conn.execute(sa.select(sa.func.count(), sa.func.max(briefing_items.c.position))
                                   .where(mine)).one()
        if count >= BASKET_MAX:
            raise FormError("card", "briefing.error.full", n=BASKET_MAX)
        same = conn.execute(sa.select(sa.func.count()).where(
            mine, briefing_items.c.path == path, briefing_items.c.query == query,
            briefing_items.c.card_id == card_id)).scalar()
        if same:
            raise FormError("card", "briefing.error.twice")
        return conn.execute(briefing_items.insert().values(
            username=username, position=(last or 0) + 1, path=path, query=query, card_id=card_id,
            card_title=card_title, unit_name=unit_name, period=period, title=None, note="",
            added_at=now_text())).inserted_primary_key[0]


def edit(store: Store, username: str, item_id: int, title: str | None, note: str | None) -> None:
    """Retitle an item (blank: back to the card's own title) and set its note."""
    title = (title or "").strip()
    note = (note or "").strip()
    if len(title) > TITLE_MAX:
        raise FormError("title", "briefing.error.title", n=TITLE_MAX)
    if len(note) > NOTE_MAX:
        raise FormError("note", "briefing.error.note", n=NOTE_MAX)
    _update(store, username, item_id, title=title or None, note=note)


def move(store: Store, username: str, item_id: int, step: int) -> None:
    """Swap an item with its neighbour above (step -1) or below (+1)."""
    order = [r["id"] for r in items(store, username)]
    if item_id not in order:
        raise FormError("item", "briefing.error.item")
    i = order.index(item_id)
    j = min(max(i + step, 0), len(order) - 1)
    order[i], order[j] = order[j], order[i]
    with store.writing() as conn:
        for position, iid in enumerate(order, start=1):
            conn.execute(briefing_items.update().where(briefing_items.c.id == iid).values(position=position))


def remove(store: Store, username: str, item_id: int) -> None:
    with store.writing() as conn:
        done = conn.execute(briefing_items.delete().where(briefing_items.c.id == item_id,
                                                          briefing_items.c.username == username)).rowcount
    if not done:
        raise FormError("item", "briefing.error.item")


def _update(store: Store, username: str, item_id: int, **values) -> None:
    with store.writing() as conn:
        done = conn.execute(briefing_items.update().where(briefing_items.c.id == item_id,
                                                          briefing_items.c.username == username)
                            .values(**values)).rowcount
    if not done:
        raise FormError("item", "briefing.error.item")


def title_of(item: dict) -> str:
    return item["title"] or item["card_title"]


# ---------------------------------------------------------------- the export log

def start_export(store: Store, username: str, fmt: str, title: str, basket: list[dict], total_steps: int) -> int:
    """Log an export request (status queued) with the basket as it is now."""
    if fmt not in FORMATS:
        raise FormError("format", "briefing.error.format")
    if not basket:
        raise FormError("items", "briefing.error.empty")
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        raise FormError("title", "briefing.error.title", n=TITLE_MAX)
    kept = [{k: item[k] for k in ("path", "query", "card_id", "card_title", "title", "note")} for item in basket]
    with store.writing() as conn:
        return conn.execute(exports.insert().values(
            username=username, format=fmt, title=title, items=json.dumps(kept, ensure_ascii=False),
            status="queued", done_steps=0, total_steps=total_steps, created_at=now_text())).inserted_primary_key[0]


def progress(store: Store, export_id: int, done_steps: int, status: str = "running") -> None:
    with store.writing() as conn:
        conn.execute(exports.update().where(exports.c.id == export_id).values(status=status, done_steps=done_steps))


def finish(store: Store, export_id: int, file_name: str | None = None, error: str | None = None) -> None:
    values = {"status": "failed", "error": error} if error else {"status": "done", "file_name": file_name,
                                                                 "done_steps": exports.c.total_steps}
    with store.writing() as conn:
        conn.execute(exports.update().where(exports.c.id == export_id).values(finished_at=now_text(), **values))


def get_export(store: Store, export_id: int) -> dict | None:
    with store.reading() as conn:
        row = conn.execute(sa.select(exports).where(exports.c.id == export_id)).mappings().first()
    return None if row is None else {**row, "items": json.loads(row["items"])}


def export_log(store: Store, username: str | None, limit: int = 20) -> list[dict]:
    """The newest exports of a user (or everybody's, for username None)."""
    query = sa.select(exports).order_by(exports.c.id.desc()).limit(limit)
    if username is not None:
        query = query.where(exports.c.username == username)
    with store.reading() as conn:
        return [{**r, "items": json.loads(r["items"])} for r in conn.execute(query).mappings().all()]
