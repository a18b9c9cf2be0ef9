"""The message catalogue as data (cockpit/i18n/zh.toml, en.toml): the shipped one loads with the
same keys in both languages and quotes intact; a key missing from one language, differing
{placeholders}, a value that is not a string and a malformed file are refused, naming the
key or the file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import cockpit.i18n as i18n
from cockpit.i18n import MESSAGES, MessagesError, check_messages, load_messages, t


def write(folder: Path, zh: str, en: str) -> Path:
    (folder / "zh.toml").write_text(zh, "utf-8")
    (folder / "en.toml").write_text(en, "utf-8")
    return folder


def test_shipped_catalogue_loads_with_the_same_keys_in_both_languages():
    loaded = load_messages(Path(i18n.__file__).parent)
    assert loaded == MESSAGES
    assert len(MESSAGES["zh"]) > 300 and MESSAGES["zh"].keys() == MESSAGES["en"].keys()
    assert t("nav.overview", "en") == "Overview" and t("nav.overview") == "总览"
    # Quotes in a message survive the TOML file.
    assert t("screen.error.playlist", "en", value="x") == 'There is no wall playlist named "x".'
    assert t("log.reason.pointer", "en") == "it does not point at the previous link's hash"


def test_quoted_dotted_keys_load_as_flat_strings(tmp_path):
    folder = write(tmp_path, '# nav\n"nav.a" = "甲 {n}"\n"nav.b" = "一\\n\\"乙\\""\n',
                   '# nav\n"nav.a" = "A {n}"\n"nav.b" = \'one "B"\'\n')
    assert load_messages(folder) == {"zh": {"nav.a": "甲 {n}", "nav.b": '一\n"乙"'},
                                     "en": {"nav.a": "A {n}", "nav.b": 'one "B"'}}


@pytest.mark.parametrize("missing, present", [("en", "zh"), ("zh", "en")])
def test_a_key_missing_from_one_language_is_refused_naming_key_and_language(missing, present):
    messages = {missing: {"nav.a": "A"}, present: {"nav.a": "甲", "nav.only_here": "乙"}}
    with pytest.raises(MessagesError, match=re.escape(f"'nav.only_here' is missing from {missing}")):
        check_messages(messages)


def test_a_placeholder_mismatch_is_refused_naming_the_key(tmp_path):
    folder = write(tmp_path, '"a.ok" = "{n} 个"\n"a.bad" = "{n} 个"\n',
                   '"a.ok" = "{n} items"\n"a.bad" = "{count} items"\n')
    with pytest.raises(MessagesError, match=re.escape("'a.bad' has different placeholders")):
        load_messages(folder)
    # The same placeholders in another order, or text without any, are fine.
    check_messages({"zh": {"a": "{x}{y}", "b": "甲"}, "en": {"a": "{y} {x}", "b": "B"}})


def test_an_unquoted_dotted_key_is_refused_as_not_a_string(tmp_path):
    folder = write(tmp_path, 'nav.a = "甲"\n', 'nav.a = "A"\n')  # read by TOML as a table "nav"
    with pytest.raises(MessagesError, match=re.escape("'nav' in zh is not a string")):
        load_messages(folder)


def test_a_stray_brace_is_refused_naming_the_key():
    with pytest.raises(MessagesError, match=re.escape("'a.b' in en")):
        check_messages({"zh": {"a.b": "{n}"}, "en": {"a.b": "{n"}})


def test_malformed_toml_is_refused_naming_the_file(tmp_path):
    folder = write(tmp_path, '"a.x" = "甲"\n', '"a.x" = "unterminated\n')
    with pytest.raises(MessagesError, match=re.escape(str(folder / "en.toml"))):
        load_messages(folder)


def test_a_missing_file_is_refused_naming_the_file(tmp_path):
    (tmp_path / "zh.toml").write_text('"a.x" = "甲"\n', "utf-8")
    with pytest.raises(MessagesError, match=re.escape(str(tmp_path / "en.toml"))):
        load_messages(tmp_path)
