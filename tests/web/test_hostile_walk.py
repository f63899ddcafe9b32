"""Every route, every role, every parameter: hostile values never answer 500.

The walk is generated from the URL map (see tests/hostile.py): a route added later is
walked without a new test. Each 4xx it meets must be a page a French reader can read,
and every answer of the API carries its CORS header.
"""

import os
import time
from datetime import timedelta

import pytest

from advocacy.extensions import db as _db
from advocacy.models import (
    AmendmentKind,
    AmendmentStatus,
    Comment,
    Invitation,
    Membership,
    Network,
    Notification,
    Position,
    Theme,
    User,
    utcnow,
)
from advocacy.services import accounts, amendments, consultation, votes
from advocacy.services import positions as positions_service
from advocacy.services import statements as statements_service
from advocacy.services.outbox import unsubscribe_token
from tests.conftest import PASSWORD
from tests.hostile import (
    ENGLISH,
    HOSTILE,
    HOSTILE_PATH,
    HOSTILE_TEXT_PATH,
    READ_NAMES,
    Form,
    RecordingRequest,
    encode,
    fill,
    forms_of,
    is_id_param,
    path_combinations,
    path_of,
    share,
)

ROLES = ("anonymous", "representative", "other_representative", "board", "staff")
#: Steps that end something: walked last, so that the rest meets a live world.
LAST = ("logout", "sign_out", "withdraw", "deactivate", "remove", "revoke", "delete")
#: Rules that are not pages of ours.
SKIP = {"static"}
#: How many sets of real path values get their query and form fields walked.
FUZZED_COMBOS = 2


@pytest.fixture
def app_config():
    """The app as production runs it: CSRF on; no rate limit, the walk re-signs in."""
    return {
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "OUTBOX_SEND_AFTER_REQUEST": False,
    }


@pytest.fixture
def walk_app(app):
    """The app, recording which query and form names each view reads."""
    app.request_class = RecordingRequest
    return app


@pytest.fixture
def world(walk_app, create_network, create_user, board_members, walk_position):
    """Networks, people and positions in every state, with comments and amendments."""
    db = _db
    lead = create_network(name="Union régionale des Scop", slug="urscop")
    partner = create_network(name="Mutuelle de Vendée", slug="mutuelle-85")
    other = create_network(name="Réseau ESS du Maine", slug="ess-53")
    people = {
        "representative": create_user(
            email="rep@example.org", display_name="Anne", networks=[lead]
        ),
        "partner": create_user(email="bob@example.org", networks=[partner]),
        "other_representative": create_user(
            email="other@example.org", display_name="Chloé", networks=[other]
        ),
        "board": board_members[0],
        "staff": create_user(email="staff@example.org", is_admin=True),
    }
    rep, staff = people["representative"], people["staff"]
    theme = Theme(slug="emploi", name_fr="Emploi", name_en="Employment")
    db.session.add(theme)
    db.session.commit()
    now = utcnow()
    draft = positions_service.create_position(
        title="Brouillon",
        summary="",
        body="# Constat\n\nTexte.",
        lead=lead,
        themes=[theme],
        arenas=[],
        by=rep,
    )
    positions_service.add_coauthor(draft, partner, by=rep)
    positions_service.create_position(
        title="Brouillon d'un autre réseau",
        summary="",
        body="Texte.",
        lead=other,
        themes=[],
        arenas=[],
        by=people["other_representative"],
    )
    accounts.invite_person(
        email="new@example.org", network=lead, role=_rep_role(), by=staff
    )
    accounts.request_password_reset("bob@example.org")
    db.session.commit()
    consulted = walk_position(lead=lead, by=rep, until="consultation")
    comment = consultation.post_comment(
        consulted, body="D'accord.", by=rep, network=lead
    )
    consultation.post_comment(
        consulted,
        body="Moi aussi.",
        by=people["other_representative"],
        network=other,
        parent=comment,
    )
    section = consulted.current_revision.sections[-1]["id"]
    amendment, _new = amendments.file_amendment(
        consulted,
        section_id=section,
        kind=AmendmentKind.REPLACE,
        proposed="Relocaliser vite.",
        rationale="Plus clair.",
        network=other,
        by=people["other_representative"],
        form_token="t1",
    )
    db.session.commit()
    voting = walk_position(lead=lead, by=rep, until="consultation", title="Au vote")
    voting.consultation_closes_at = utcnow() - timedelta(seconds=1)
    votes.open_vote(voting, closes_at=now + timedelta(days=2), by=rep)
    db.session.commit()
    walk_position(lead=lead, by=rep, until="consolidation", title="Consolidé")
    walk_position(lead=lead, by=rep, until="board_review", title="Au CA")
    approved = walk_position(
        lead=lead,
        by=rep,
        until="approved",
        title="Validé",
        approvers=board_members[:2],
    )
    version = statements_service.publish_statement(approved, by=board_members[0])
    statements_service.sign_statement(
        version.statement, network=other, by=people["other_representative"]
    )
    amendment.status = AmendmentStatus.TO_VOTE
    db.session.commit()
    return {"people": people, "statement": version.statement, "lead": lead}


def _rep_role():
    from advocacy.models import MembershipRole

    return MembershipRole.REPRESENTATIVE


def _ids(db) -> dict[str, list[int]]:
    def all_of(model):
        return list(db.session.scalars(db.select(model.id).order_by(model.id)))

    return {
        "position_id": all_of(Position),
        "number": [1, 2],
        "comment_id": all_of(Comment),
        "network_id": all_of(Network),
        "user_id": all_of(User),
        "membership_id": all_of(Membership),
        "theme_id": all_of(Theme),
        "invitation_id": all_of(Invitation),
        "notification_id": all_of(Notification)[:4],
    }


def _slugs(world) -> dict[str, list[str]]:
    user = world["people"]["representative"]
    return {
        "slug": [world["statement"].slug, "urscop", "ess-53", "inconnu"],
        "token": [unsubscribe_token(user.id, "votes"), "jeton-inconnu"],
        "name": ["themes", "inconnu"],
        "code": ["fr", "en", "de"],
    }


class Walk:
    """One role's walk: sends, checks and counts."""

    def __init__(self, app, client, role):
        self.app, self.client, self.role = app, client, role
        self.sent = 0
        self.server_errors: list[str] = []
        self.problems: list[str] = []
        self.forms: dict[str, list[Form]] = {}
        self.csrf = ""

    def share(self, values, key):
        """This role's share of the values: the five roles send each one once."""
        return share(values, key, ROLES.index(self.role), len(ROLES))

    def send(self, method, url, body=None, query=b""):
        READ_NAMES.clear()
        kwargs = {"headers": {"Accept-Language": "fr"}}
        if body is not None:
            kwargs["data"] = body
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        target = f"{url}?{query.decode('ascii')}" if query else url
        self.sent += 1
        try:
            response = self.client.open(target, method=method, **kwargs)
        except (
            Exception
        ) as exc:  # the test app lets errors through: a 500 in production
            _db.session.rollback()
            self.server_errors.append(
                f"{self.role}: {method} {target} {body!r:.300} → {exc!r:.300}"
            )
            return None
        self.check(method, url, body, query, response)
        if url.startswith("/language"):  # the walk reads in French
            self.client.get("/language/fr")
            self.client.post(
                "/language", data={"language": "fr", "csrf_token": self.csrf}
            )
        if (
            response.status_code == 200
            and response.mimetype == "text/html"
            and method == "GET"
        ):
            self.harvest(response.get_data(as_text=True))
        return response

    def check(self, method, url, body, query, response):
        status = response.status_code
        where = f"{self.role}: {method} {url}?{query!r} {body!r:.300} → {status}"
        if status >= 500:
            self.server_errors.append(where)
        elif url.startswith("/api/"):
            if response.headers.get("Access-Control-Allow-Origin") != "*":
                self.problems.append(f"{where}: no CORS header")
            if status >= 400 and not response.json["error"]["message"]:
                self.problems.append(f"{where}: no message")
        elif 400 <= status < 500 and response.mimetype == "text/html":
            text = response.get_data(as_text=True)
            if '<html lang="fr"' not in text:
                self.problems.append(f"{where}: not a French page")
            english = ENGLISH.search(text)
            if english is not None:
                self.problems.append(f"{where}: English text {english.group(0)!r}")

    def harvest(self, page: str):
        for form in forms_of(page):
            if form.method != "post":
                continue
            path = path_of(form.action)
            known = self.forms.setdefault(path, [])
            if len(known) < 2 and form.fields not in [f.fields for f in known]:
                known.append(form)
            token = dict(form.fields).get("csrf_token")
            if token:
                self.csrf = token

    def walk_get(self, rule, combos):
        for n, values in enumerate(combos):
            url = fill(rule, values)
            self.send("GET", url)
            if n >= FUZZED_COMBOS:
                continue
            names = sorted(READ_NAMES)
            for name in names:
                for value in self.share(HOSTILE, f"{rule.rule}{name}{n}"):
                    self.send("GET", url, query=encode([(name, value)]))
                self.send("GET", url, query=encode([(name, "1"), (name, "2")]))

    def walk_post(self, rule, combos):
        for n, values in enumerate(combos[:FUZZED_COMBOS]):
            url = fill(rule, values)
            baselines = self.forms.get(url) or [Form(url, "post")]
            for b, form in enumerate(baselines):
                fields = [(k, v) for k, v in form.fields if k != "csrf_token"]
                token = [("csrf_token", self.csrf)]
                self.send("POST", url, encode(token))  # learns the names it reads
                names = sorted({k for k, _v in fields} | READ_NAMES)
                for name in names:
                    kept = [(k, v) for k, v in fields if k != name]
                    for value in self.share(HOSTILE, f"{rule.rule}{name}{n}{b}"):
                        self.send("POST", url, encode(token + kept + [(name, value)]))
                    self.send(
                        "POST", url, encode(token + kept + [(name, "1"), (name, "2")])
                    )
                self.send("POST", url, encode([("csrf_token", "forged"), *fields]))
                self.send("POST", url, encode(token + fields))

    def walk_path(self, rule, values, method):
        for name in rule.arguments:
            if name not in values:
                continue
            bad = HOSTILE_PATH if is_id_param(rule, name) else HOSTILE_TEXT_PATH
            for value in bad:
                url = fill(rule, {**values, name: value})
                body = encode([("csrf_token", self.csrf)]) if method == "POST" else None
                self.send(method, url, body)


def _order(rule):
    last = any(word in rule.endpoint for word in LAST)
    return (last, rule.rule)


@pytest.mark.parametrize("role", ROLES)
def test_no_input_answers_500(walk_app, world, role, record_property):
    """Every route, with real and hostile values, as this role: never a 500."""
    client = walk_app.test_client()
    if role != "anonymous":
        user = world["people"][role]
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 400  # no CSRF token yet: refused, not a 500
        page = client.get("/login").get_data(as_text=True)
        token = dict(forms_of(page)[-1].fields)["csrf_token"]
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
    walk = Walk(walk_app, client, role)
    walk.send("GET", "/")
    ids, slugs = _ids(_db), _slugs(world)
    started = time.monotonic()
    rules = sorted(
        (r for r in walk_app.url_map.iter_rules() if r.endpoint not in SKIP),
        key=_order,
    )
    for rule in rules:
        if "GET" in rule.methods:
            combos = path_combinations(rule, ids, slugs)
            walk.walk_get(rule, combos)
            walk.walk_path(rule, combos[0] if combos else {}, "GET")
    for rule in rules:
        if "POST" in rule.methods:
            combos = path_combinations(rule, ids, slugs)
            walk.walk_post(rule, combos)
            walk.walk_path(rule, combos[0] if combos else {}, "POST")
    elapsed = time.monotonic() - started
    record_property("requests", walk.sent)
    report = os.environ.get("HOSTILE_WALK_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.write(
                f"{role}\t{walk.sent}\t{len(walk.server_errors)}\t{elapsed:.1f}\n"
            )
    assert walk.server_errors == [], "\n".join(walk.server_errors[:60])
    assert walk.problems == [], "\n".join(walk.problems[:60])
    assert walk.sent > 500
