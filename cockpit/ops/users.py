"""Users with a role and a unit scope. Passwords are hashed with werkzeug.security (scrypt)."""
from __future__ import annotations

import functools
import re
import secrets

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from cockpit.ops.loop import ROLES, Actor
from cockpit.ops.store import Store, now_text, users
from cockpit.units import CITY_CODE

DEMO_PASSWORD = "cockpit-demo"
DISABLED = "!"  # a password hash starting with it matches no password (the account is kept, for its log)
USERNAME = re.compile(r"[a-z][a-z0-9_]{1,31}")


PASSWORD_MIN = 8


def create_user(store: Store, username: str, display_name: str, role: str, unit_code: str, password: str) -> None:
    if not USERNAME.fullmatch(username):
        raise ValueError(f"username must be 2-32 lowercase letters, digits or _, got {username!r}")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    _check_password(password)
    with store.writing() as conn:
        conn.execute(users.insert().values(username=username, display_name=display_name, role=role,
                                           unit_code=unit_code, password_hash=generate_password_hash(password),
                                           created_at=now_text()))


def get_user(store: Store, username: str) -> dict | None:
    with store.reading() as conn:
        row = conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()
    return dict(row) if row else None


@functools.cache
def _stand_in_hash() -> str:
    """A hash no password is known for, checked in place of an unknown or disabled account's:
    every wrong login costs one scrypt, so its time does not tell which names exist."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(store: Store, username: str, password: str) -> dict | None:
    user = get_user(store, username or "")
    usable = user is not None and not is_disabled(user)
    matches = check_password_hash(user["password_hash"] if usable else _stand_in_hash(), password or "")
    return user if usable and matches else None


def is_disabled(user: dict) -> bool:
    return user["password_hash"].startswith(DISABLED)


def end_sessions(store: Store, username: str) -> None:
    """End every session the account holds (each carries the number it was opened under)."""
    with store.writing() as conn:
        conn.execute(users.update().where(users.c.username == username)
                     .values(session_version=users.c.session_version + 1))


def set_password(store: Store, username: str, password: str) -> bool:
    """A new password (a disabled account is enabled again by it); every session the account
    holds ends. False when there is no such user."""
    _check_password(password)
    with store.writing() as conn:
        changed = conn.execute(users.update().where(users.c.username == username)
                               .values(password_hash=generate_password_hash(password),
                                       session_version=users.c.session_version + 1))
    return changed.rowcount == 1


def _check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise ValueError(f"password must have at least {PASSWORD_MIN} characters")


def disable_user(store: Store, username: str) -> bool:
    """No login for the account from now on (a session it holds ends at its next request); False
    when there is no such user."""
    user = get_user(store, username)
    if user is None:
        return False
    with store.writing() as conn:
        conn.execute(users.update().where(users.c.username == username)
                     .values(password_hash=DISABLED + user["password_hash"].lstrip(DISABLED)))
    return True


def actor(user: dict) -> Actor:
    return Actor(user["username"], user["role"], user["unit_code"])


def display_names(store: Store) -> dict[str, str]:
    """Username -> the name people know the account by."""
    with store.reading() as conn:
        return dict(conn.execute(sa.select(users.c.username, users.c.display_name)).all())


def list_users(store: Store) -> list[dict]:
    with store.reading() as conn:
        rows = conn.execute(sa.select(users.c.username, users.c.display_name, users.c.role, users.c.unit_code,
                                      users.c.password_hash).order_by(users.c.username)).mappings()
        return [{**{k: v for k, v in r.items() if k != "password_hash"}, "disabled": is_disabled(r)} for r in rows]


def demo_users(first_streets: dict[str, tuple[str, str]]) -> list[tuple]:
    """The demo accounts (README lists them): (username, display name, role, unit). Street
    handlers belong to the first street of Pudong and of Huangpu: first_streets maps a district
    code to that street's (code, name)."""
    pudong, huangpu = first_streets["310115"], first_streets["310101"]
    return [
        ("leader", "上海市领导", "city_leader", CITY_CODE),
        ("pudong", "浦东新区领导", "district_leader", "310115"),
        ("huangpu", "黄浦区领导", "district_leader", "310101"),
        ("pudong_street", f"{pudong[1]}办理人", "handler", pudong[0]),
        ("huangpu_street", f"{huangpu[1]}办理人", "handler", huangpu[0]),
        ("pudong_hd", "浦东新区城运中心办理人", "handler", "310115"),
        ("cdo", "首席数据官", "cdo", CITY_CODE),
        ("staff", "综合处工作人员", "staff", CITY_CODE),
        ("admin", "系统管理员", "admin", CITY_CODE),
    ]


def seed_demo_users(store: Store, first_streets: dict[str, tuple[str, str]]) -> bool:
    """Create the demo accounts when the store has no users; True when it did."""
    with store.reading() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(users)).scalar():
            return False
    for username, name, role, unit in demo_users(first_streets):
        create_user(store, username, name, role, unit, DEMO_PASSWORD)
    return True
