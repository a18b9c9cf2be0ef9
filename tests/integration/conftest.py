"""The app on the session's tiny marts with an operational store of its own (one per module)."""
from __future__ import annotations

import pytest

from cockpit.config import load_settings


@pytest.fixture(scope="module")
def app(tiny, tmp_path_factory):
    from cockpit.web import create_app

    ops = tmp_path_factory.mktemp("ops") / "ops.sqlite"
    settings = load_settings({"COCKPIT_DATA_DIR": str(tiny.settings.data_dir), "COCKPIT_OPS_URL": f"sqlite:///{ops}",
                              "COCKPIT_SECRET_KEY": "test-secret"})
    return create_app(settings)
