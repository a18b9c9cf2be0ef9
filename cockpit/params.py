"""Every value a request brings, read by one typed parser: URL parameters (pages and the API)
and the inputs of callbacks. A value that is not of its kind is refused before any page or
callback code sees it: a page says what it replaced (cockpit.state), a callback request gets
400 with the reason, never 500.

Why a parser of our own at this edge: Dash hands a page a repeated URL parameter as a list and a
callback whatever JSON the request carried (a list or an object where a dropdown sends text),
and `str.isdigit` accepts '²', which `int` refuses."""
from __future__ import annotations

import json
import re

TEXT_MAX = 2000  # characters of one URL parameter kept (a rotate list of steps is the longest)
ID_MAX = 2 ** 63 - 1  # the largest id a store row can have (SQL BIGINT)


def flat(params: dict) -> dict[str, str]:
    """URL parameters as text: a parameter given twice counts by its last value (as
    `query_params` reads a query string), cut to TEXT_MAX characters."""
    out = {}
    for name, value in params.items():
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        out[str(name)] = str(value)[:TEXT_MAX]
    return out


def whole(text, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits within [low, high], else None."""
    text = str(text).strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        return None
    value = int(text)
    return value if low <= value <= high else None


# Characters no page path of this site holds: a backslash (browsers read "/\evil.example" as
# "//evil.example", another site) and control characters (browsers drop a tab or a newline, so
# "/<tab>/evil.example" becomes "//evil.example").
_NOT_IN_SITE_PATH = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")


def is_site_path(target) -> bool:
    """A page of this site, safe to link or redirect to: text starting with one "/" ("//" names
    another host, and a scheme such as javascript: comes before any "/"), without backslashes or
    control characters."""
    return (isinstance(target, str) and target.startswith("/") and not target.startswith("//")
            and not _NOT_IN_SITE_PATH.search(target))


# --- callback inputs: the kind of every (component, property) a server callback reads ---------

def _count(v) -> bool:
    return v is None or (type(v) is int and v >= 0)


def _text(v) -> bool:
    return v is None or isinstance(v, str)


def _texts(v) -> bool:
    return v is None or isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def _path(v) -> bool:  # Dash's page routing refuses (500) a path not under its prefix "/"
    return v is None or (isinstance(v, str) and v.startswith("/"))


def _object(v) -> bool:
    return v is None or isinstance(v, dict)


def _number(v) -> bool:
    return v is None or (type(v) is int and abs(v) < 2 ** 63)


KINDS = {"n_clicks": _count, "n_intervals": _count, "page_current": _count, "clickData": _object,
         "pathname": _path, "search": _text, "start_date": _text, "end_date": _text, "value": _text, "data": _text,
         "id": _object}
BY_COMPONENT = {("f-state", "data"): _object, ("issue-context", "data"): _object, ("screen-next", "data"): _text,
                ("issue-assist", "value"): _texts, ("instr-upload", "filename"): _texts,
                ("instr-upload", "contents"): _texts, ("instr-id", "data"): _number, ("brief-job", "data"): _number}


def _component(cid) -> tuple[str | None, bool]:
    """A component id as the callback map writes it (a pattern is JSON, a wildcard a list):
    its name (a pattern's `type`) and whether a wildcard (ALL sends a list of items)."""
    if isinstance(cid, str) and cid.startswith("{"):
        cid = json.loads(cid)
        return cid["type"], any(v in (["ALL"], ["ALLSMALLER"]) for v in cid.values())  # (MATCH sends one)
    return cid, False


def _sent(cid) -> str | None:
    """The name of a component id as a request sends it: text, or a pattern's `type` with text
    or whole-number keys (the ids this app makes); None for anything else."""
    if isinstance(cid, str):
        return cid
    if isinstance(cid, dict) and all(isinstance(v, str) or type(v) is int for v in cid.values()) \
            and isinstance(cid.get("type"), str):
        return cid["type"]
    return None


def refused_callback(body, callbacks: dict) -> str | None:
    """Why a callback request is refused (None: it is well formed and every input and state
    value is of its kind). `callbacks`: Dash's callback map (output -> inputs, state)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    spec = callbacks.get(body.get("output")) if isinstance(body.get("output"), str) else None
    if spec is None or "callback" not in spec:  # (a clientside callback runs in the browser only)
        return "no such callback"
    # One output is sent as an (id, property) object, a list of outputs (also of one) as a list
    # of them; Dash's callback map knows which (`outputs_indices`: a number or a list).
    outputs, listed = body.get("outputs"), isinstance(spec.get("outputs_indices"), list)
    if listed and not (isinstance(outputs, list) and len(outputs) == len(spec["outputs_indices"])):
        return f"outputs: a list of {len(spec['outputs_indices'])} expected"
    if not all(isinstance(o, dict) and isinstance(o.get("property"), str) for o in (outputs if listed else [outputs])):
        return "outputs are not (id, property) pairs"
    if not isinstance(body.get("changedPropIds", []), list):
        return "changedPropIds is not a list"
    for part in ("inputs", "state"):
        declared, given = spec.get(part, []), body.get(part, [])
        if not isinstance(given, list) or len(given) != len(declared):
            return f"{part}: {len(declared)} expected"
        for want, got in zip(declared, given):
            name, wildcard = _component(want["id"])
            if wildcard != isinstance(got, list):
                return f"{part} {name}.{want['property']}: {'a list' if wildcard else 'one item'} expected"
            for item in got if wildcard else [got]:
                if not isinstance(item, dict) or item.get("property") != want["property"] \
                        or _sent(item.get("id")) != name:
                    return f"{part} {name}.{want['property']}: not that component"
                kind = BY_COMPONENT.get((name, want["property"]), KINDS.get(want["property"]))
                if kind is None or not kind(item.get("value")):
                    return f"{part} {name}.{want['property']}: a value of the wrong kind"
    return None
