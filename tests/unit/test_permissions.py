"""The permission matrix: role × state × action, read from docs/rules.md.

The table in docs/rules.md is the rule; this test checks every cell of it
against advocacy/permissions.py, and that no predicate goes untested.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask_login import AnonymousUserMixin

from advocacy import permissions
from advocacy.models import (
    CoAuthor,
    Membership,
    MembershipRole,
    Network,
    Position,
    PositionState,
    User,
    utcnow,
)

RULES = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
LEAD, COAUTHOR, OTHER = 1, 2, 3
ROLES = ("public", "member", "co-author", "lead", "board", "staff")
STATES = (
    "draft",
    "consultation",
    "consultation closed",
    "vote",
    "vote closed",
    "consolidation",
    "board_review",
    "approved",
    "published",
    "rejected",
    "withdrawn",
)
OPEN = {s for s in STATES if s not in ("published", "rejected", "withdrawn")}


def read_matrix() -> dict[str, dict[str, set[str]]]:
    """``{rule: {role: states}}`` from the table between the matrix markers."""
    text = RULES.read_text(encoding="utf-8")
    body = text.split("<!-- permission-matrix -->")[1].split("<!-- /permission-")[0]
    rows = [line for line in body.strip().splitlines() if line.startswith("|")][2:]
    matrix = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        rule = cells[1].strip("`")
        matrix[rule] = {}
        for role, cell in zip(ROLES, cells[2:], strict=True):
            if cell == "–":
                states = set()
            elif cell == "any":
                states = set(STATES)
            else:
                states = set()
                for part in (p.strip() for p in cell.split(",")):
                    states |= OPEN if part == "open" else {part}
            assert states <= set(STATES), (rule, role, states)
            matrix[rule][role] = states
    return matrix


MATRIX = read_matrix()


def network(ident: int) -> Network:
    return Network(id=ident, name=f"Réseau {ident}", slug=f"r-{ident}", is_active=True)


def person(role: str):
    if role == "public":
        return AnonymousUserMixin()
    user = User(
        id=10,
        email=f"{role}@example.org",
        display_name=role,
        is_admin=role == "staff",
        is_board=role == "board",
        is_active=True,
    )
    represented = {"member": OTHER, "co-author": COAUTHOR, "lead": LEAD}.get(role)
    if represented:
        user.memberships = [
            Membership(
                network_id=represented,
                network=network(represented),
                role=MembershipRole.REPRESENTATIVE,
            )
        ]
    return user


def position_in(state: str) -> Position:
    now = utcnow()
    base = state.split()[0]
    position = Position(
        id=1,
        title="Pour un emploi durable",
        lead_network_id=LEAD,
        state=PositionState(base),
        coauthors=[CoAuthor(network_id=COAUTHOR)],
    )
    later = now + (
        timedelta(days=-1) if state.endswith("closed") else timedelta(days=1)
    )
    if base == "consultation":
        position.consultation_closes_at = later
    if base == "vote":
        position.vote_closes_at = later
    return position


CASES = [(rule, role, state) for rule in MATRIX for role in ROLES for state in STATES]


@pytest.mark.parametrize(("rule", "role", "state"), CASES)
def test_the_matrix(rule, role, state):
    allowed = getattr(permissions, rule)(person(role), position_in(state))
    expected = state in MATRIX[rule][role]
    assert allowed is expected, f"{rule}: {role} in {state}"


#: The rules that can say "not now" (409) apart from "never" (403).
STATEFUL = sorted(
    rule
    for rule in MATRIX
    if "check_state" in getattr(permissions, rule).__code__.co_varnames
)


@pytest.mark.parametrize("rule", STATEFUL)
def test_a_refusal_that_depends_on_the_state_says_so(rule):
    """With check_state=False, a rule answers whether the role may act at all."""
    predicate = getattr(permissions, rule)
    for role in ROLES:
        anywhere = bool(MATRIX[rule][role])
        result = predicate(person(role), position_in("draft"), check_state=False)
        assert result is anywhere, (rule, role)


#: Rules checked elsewhere, with what they take (a comment, a network, …).
CHECKED_ELSEWHERE = {
    "is_admin": "tests/web/test_admin.py",
    "is_board": "tests/web/test_board.py",
    "is_member": "tests/web/test_workspace.py",
    "is_publisher": "tests/web/test_publication_schedule.py",
    "represents": "tests/web/test_admin.py",
    "can_create_position": "tests/web/test_positions.py",
    "can_view_network_members": "tests/web/test_workspace.py",
    "can_invite_to": "tests/web/test_workspace.py",
    "can_manage_invitation": "tests/web/test_workspace.py",
    "can_reply": "tests/web/test_consultation.py",
    "can_read_notification": "tests/web/test_notifications.py",
    "can_edit_comment": "tests/web/test_consultation.py",
    "can_delete_comment": "tests/web/test_consultation.py",
    "can_report_comment": "tests/web/test_consultation.py",
    "can_see_comment": "tests/web/test_consultation.py",
    "can_support_amendment": "tests/web/test_amendments.py",
    "can_withdraw_amendment": "tests/web/test_amendments.py",
    "can_edit_amendment": "tests/web/test_amendments.py",
    "can_export_ballots": "tests/web/test_record.py",
    "can_import_orientation": "tests/web/federation/test_orientations.py",
    "can_send_up_again": "tests/web/federation/test_orientations.py",
}


def test_every_rule_is_in_the_matrix_or_checked_elsewhere():
    rules = {
        name
        for name, value in vars(permissions).items()
        if callable(value)
        and re.match(r"(can|is)_", name)
        and value.__module__ == permissions.__name__
    } | {"represents"}
    assert rules == set(MATRIX) | set(CHECKED_ELSEWHERE)
    root = RULES.parents[1]
    for rule, where in CHECKED_ELSEWHERE.items():
        text = (root / where).read_text(encoding="utf-8")
        assert rule in text or _route_of(rule) in text, (rule, where)


def _route_of(rule: str) -> str:
    """What the web tests of a rule exercise, when they do not name it."""
    return {
        "is_admin": "/admin/",
        "is_board": "/board/",
        "is_member": "/workspace/",
        "is_publisher": "/board/publications",
        "represents": "/admin/people",
        "can_create_position": "/positions/new",
        "can_view_network_members": "/workspace/networks/",
        "can_invite_to": "/workspace/networks/",
        "can_manage_invitation": "/resend",
        "can_reply": "takes_no_reply",
        "can_read_notification": "/notifications/",
        "can_edit_comment": "/edit",
        "can_delete_comment": "/delete",
        "can_report_comment": "/report",
        "can_see_comment": "hidden",
        "can_support_amendment": "/support",
        "can_withdraw_amendment": "/withdraw",
        "can_import_orientation": "/import",
        "can_send_up_again": "/send",
    }[rule]
