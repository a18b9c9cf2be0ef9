"""UI text in zh-CN (default) and English, and number formats readers expect.

The messages live in zh.toml and en.toml next to this module (one flat quoted key per message,
e.g. "nav.overview"); they are read and checked once at import, so a bad catalogue stops the app
at start rather than showing a KeyError or a half-translated page later."""
from __future__ import annotations

import math
import string
import tomllib
from pathlib import Path

LANGS = ("zh", "en")


class MessagesError(ValueError):
    pass


def _placeholders(key: str, lang: str, text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:  # a stray "{" or "}" would only fail later, inside t()
        raise MessagesError(f"message {key!r} in {lang}: {exc}") from None


def check_messages(messages: dict) -> None:
    """Every key in both languages, every value a string, the same {placeholders} in both:
    otherwise t() would fail (KeyError) or drop a value for one language only."""
    for lang in LANGS:
        if not isinstance(messages.get(lang), dict):
            raise MessagesError(f"no messages for language {lang!r}")
    for key in {k: None for lang in LANGS for k in messages[lang]}:
        for lang in LANGS:
            if key not in messages[lang]:
                raise MessagesError(f"message {key!r} is missing from {lang}")
            if not isinstance(messages[lang][key], str):
                # Usually an unquoted dotted key, which TOML reads as a nested table.
                raise MessagesError(f"message {key!r} in {lang} is not a string "
                                    '(a key with dots must be quoted: "nav.overview" = "...")')
        found = {lang: _placeholders(key, lang, messages[lang][key]) for lang in LANGS}
        if found["zh"] != found["en"]:
            raise MessagesError(f"message {key!r} has different placeholders: "
                                + ", ".join(f"{lang} {sorted(found[lang])}" for lang in LANGS))


def load_messages(folder: Path) -> dict:
    """{"zh": {key: text}, "en": {key: text}} from folder/zh.toml and folder/en.toml, checked."""
    messages = {}
    for lang in LANGS:
        path = Path(folder) / f"{lang}.toml"
        try:
            with path.open("rb") as f:
                messages[lang] = tomllib.load(f)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise MessagesError(f"cannot read {path}: {exc}") from None
    check_messages(messages)
    return messages


MESSAGES = load_messages(Path(__file__).parent)

# Not messages: source names are Chinese data values, and only English needs a display name.
SOURCE_NAMES_EN = {"一网通办": "Government services (一网通办)", "一网统管": "City operations (一网统管)",
                   "12345热线": "12345 hotline", "城市生命体征": "City vital signs", "数据质量检查": "Data quality checks"}


def source_name(source: str, lang: str) -> str:
    """A source system's name in the language (several joined by " / " each named)."""
    if lang != "en":
        return source
    return " / ".join(SOURCE_NAMES_EN.get(part, part) for part in str(source).split(" / "))


def t(key: str, lang: str = "zh", **args) -> str:
    text = MESSAGES["en" if lang == "en" else "zh"][key]
    return text.format(**args) if args else text


def label(group: str, value: str, lang: str = "zh") -> str:
    """A data value's display name (`group.value`, e.g. source.hotline), or the value itself
    when there is none: an imported city's own words (a source "Twitter") are shown as they are."""
    key = f"{group}.{value}"
    return t(key, lang) if key in MESSAGES["en" if lang == "en" else "zh"] else str(value)


def fmt_count(value: float | None, lang: str) -> str:
    """Counts: 万/亿 in Chinese, thousands separators in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if lang != "en":
        # The unit is chosen on the rounded number: 99,999,999 is 1.00亿, not 10,000万.
        if abs(round(value / 1e8, 2)) >= 1:
            return f"{value / 1e8:.2f}亿"
        if abs(value) >= 1e4:
            wan = value / 1e4
            return f"{wan:.1f}万" if abs(round(wan, 1)) < 100 else f"{wan:,.0f}万"
    return f"{value:,.0f}"


def fmt_value(value: float | None, kind: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "count":
        return fmt_count(value, lang)
    if kind == "percent":
        return f"{value:.1f}"
    return f"{value:,.1f}"


def fmt_change(change: float | None, kind: str, lang: str) -> str:
    """A change: percentage points for percentages, per cent for counts and durations."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "—"
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    if kind == "percent":
        return f"{sign}{abs(change):.1f} {t('unit.pp', lang)}"
    return f"{sign}{abs(change):.1f}%"
