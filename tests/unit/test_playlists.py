"""Wall-screen settings: playlists from the file and the URL, the next step's URL, and refusals
that name what is wrong and fall back to a screen that does not rotate."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from cockpit.playlists import DEFAULT_PLAYLISTS, ScreenError, Step, load_playlists, parse_screen

FILE = '''
[[playlist]]
name = "demo"
every = 12
steps = ["/screen:310000", "/operations:310115"]
'''


def screen(params, path=DEFAULT_PLAYLISTS):
    return parse_screen({"screen": "1", **params}, 300, path)


def test_pages_off_the_wall_have_no_screen():
    assert parse_screen({"unit": "310115"}, 300, DEFAULT_PLAYLISTS) == (None, [])


def test_the_shipped_playlists_load():
    lists = load_playlists(DEFAULT_PLAYLISTS)
    assert lists["city"][0][0] == Step("/screen", "310000") and lists["city"][1] == 30


def test_a_playlist_from_the_file_rotates_and_carries_itself_along(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(FILE, "utf-8")
    s, messages = screen({"playlist": "demo"}, path)
    assert messages == [] and s.every == 12 and s.index == 0
    url = urlparse(s.next_url)
    assert url.path == "/operations"
    assert {k: v[0] for k, v in parse_qs(url.query).items()} == {"unit": "310115", "screen": "1", "playlist": "demo",
                                                                  "every": "12", "step": "1"}
    last, _ = screen({"playlist": "demo", "step": "1"}, path)
    assert urlparse(last.next_url).path == "/screen" and "step=0" in last.next_url  # back to the start


def test_a_playlist_in_the_url_with_its_interval():
    s, messages = screen({"rotate": "/screen:310000,/screen:310115", "every": "5", "refresh": "60"})
    assert messages == [] and s.every == 5 and s.refresh == 60
    assert "unit=310115" in s.next_url and "rotate=" in s.next_url and "every=5" in s.next_url


@pytest.mark.parametrize("params, key", [
    ({"rotate": "/admin:310000"}, "screen.error.page"),
    ({"rotate": "/screen:99"}, "screen.error.unit"),
    ({"rotate": ","}, "screen.error.steps"),
    ({"rotate": "/screen:310000", "every": "1"}, "screen.error.every"),
    ({"rotate": "/screen:310000", "every": "x"}, "screen.error.every"),
    ({"playlist": "nope"}, "screen.error.playlist"),
])
def test_bad_rotation_is_refused_and_the_screen_stays(params, key):
    s, messages = screen(params)
    assert [m[0] for m in messages] == [key]
    assert s is not None and s.next_url is None and s.refresh == 300


def test_a_bad_refresh_keeps_the_default():
    s, messages = screen({"refresh": "3"})
    assert s.refresh == 300 and messages[0][0] == "screen.error.refresh"


@pytest.mark.parametrize("body, field", [
    ('[[playlist]]\nname = "Bad Name"\nsteps = ["/screen:310000"]', "name"),
    ('[[playlist]]\nname = "a"\nsteps = ["/nowhere:310000"]', "steps"),
    ('[[playlist]]\nname = "a"\nsteps = []', "steps"),
    ('[[playlist]]\nname = "a"\nevery = 2\nsteps = ["/screen:310000"]', "every"),
])
def test_a_bad_playlist_file_entry_is_named_with_its_field(tmp_path, body, field):
    path = tmp_path / "p.toml"
    path.write_text(body, "utf-8")
    with pytest.raises(ScreenError) as refused:
        load_playlists(path)
    assert refused.value.key == "screen.error.entry" and refused.value.args_["field"] == field


def test_an_unreadable_playlist_file_is_refused(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[[playlist]\n", "utf-8")
    with pytest.raises(ScreenError) as refused:
        load_playlists(path)
    assert refused.value.key == "screen.error.file"
