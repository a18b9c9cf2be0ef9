"""Figures as print-resolution PNG and as SVG, rendered by kaleido in the system Chromium. One
Chromium is kept warm per process (~0.2 s per image instead of 2-7 s); renders are serialised."""
from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path

from cockpit.figures import present

PRINT = {"width": 1600, "height": 900, "scale": 2}  # 3200×1800 px: 300 dpi over a 10.7-inch wide slide
_lock = threading.Lock()
_started = False


def chromium() -> str | None:
    """The Chromium kaleido drives: COCKPIT_CHROMIUM, else Debian's /usr/bin/chromium."""
    path = os.environ.get("COCKPIT_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else None


def _warm() -> None:
    global _started
    if _started:
        return
    import kaleido

    if chromium():
        os.environ.setdefault("BROWSER_PATH", chromium())
    kaleido.start_sync_server(silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


def render(figure: dict, fmt: str, lang: str) -> bytes:
    """PNG (3200×1800) or SVG (1600×900) of a figure in the print template, on white."""
    import kaleido

    printed = present(figure, lang, "print")
    layout = {k: v for k, v in printed["layout"].items() if k not in ("height", "width")}
    opts = {"format": fmt, "width": PRINT["width"], "height": PRINT["height"],
            "scale": PRINT["scale"] if fmt == "png" else 1}
    with _lock:
        _warm()
        return kaleido.calc_fig_sync({"data": printed["data"], "layout": layout}, opts=opts)
