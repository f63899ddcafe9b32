"""The vote and consolidation: ballots per network, deadlines, results, provenance."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from advocacy.extensions import db as _db
from advocacy.models import (
    AmendmentKind,
    AmendmentStatus,
    AuditEvent,
    Ballot,
    BallotCast,
    BallotChoice,
    Department,
    EssFamily,
    Motion,
    Network,
    Position,
    PositionState,
    RevisionSource,
    User,
    utcnow,
)
from advocacy.services import amendments as amendments_service
from advocacy.services import consolidation, consultation, votes
from advocacy.services import positions as positions_service
from tests.conftest import CONFIRMED, IS_POSTGRES, login, page_text, refused

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


def later(days=7):
    return utcnow() + timedelta(days=days)


@pytest.fixture
def voters(create_user, create_network):
    """Four networks of different families and départements, one representative each."""
    specs = [
        ("Scop 44", EssFamily.COOPERATIVE, Department.LOIRE_ATLANTIQUE),
        ("Mutuelle 72", EssFamily.MUTUAL, Department.SARTHE),
        ("Association 85", EssFamily.ASSOCIATION, Department.VENDEE),
        ("Fondation régionale", EssFamily.FOUNDATION, Department.REGION),
    ]
    people = []
    for i, (name, family, department) in enumerate(specs):
        network = create_network(name=name, family=family, department=department)
        people.append(
            create_user(
                email=f"voter{i}@example.org",
                display_name=f"Votant {i}",
                networks=[network],
            )
        )
    return people


@pytest.fixture
def consulted(app, db, walk_position, representative, network, voters):
    """A position whose consultation has closed, with one amendment put to the vote."""
    position = walk_position(
        lead=network, by=representative, until="consultation", body=BODY, days=7
    )
    section = position.current_revision.sections[1]["id"]
    amendment, _ = amendments_service.file_amendment(
        position,
        section_id=section,
        kind=AmendmentKind.REPLACE,
        proposed="# Constat\n\nL'emploi progresse dans l'ESS.",
        rationale="Précision.",
        network=voters[0].memberships[0].network,
        by=voters[0],
        form_token=amendments_service.new_form_token(),
    )
    amendments_service.decide_amendment(
        amendment, position, decision="to_vote", reason="", by=representative
    )
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    return position


@pytest.fixture
def voting(app, db, consulted, representative):
    votes.open_vote(consulted, closes_at=later(3), by=representative)
    db.session.commit()
    return consulted


def motions_of(db, position):
    return db.session.scalars(
        sa.select(Motion)
        .filter_by(position_id=position.id)
        .order_by(Motion.amendment_id.is_(None), Motion.id)
    ).all()


def cast(client, position, motion, user, choice):
    return client.post(
        f"/positions/{position.id}/vote/ballot",
        data={
            "motion": motion.id,
            "network": user.memberships[0].network_id,
            "choice": choice,
        },
    )


def end_vote(db, position):
    row = db.session.get(Position, position.id)
    row.vote_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


class TestOpening:
    def test_the_lead_opens_the_vote_after_the_consultation(
        self, client, consulted, representative, db
    ):
        login(client, representative)
        from zoneinfo import ZoneInfo

        closes = (
            later(5).astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M")
        )
        response = client.post(
            f"/positions/{consulted.id}/vote/open", data={"closes_at": closes}
        )
        assert response.status_code == 302
        motions = motions_of(db, consulted)
        assert [m.amendment_id is not None for m in motions] == [True, False]
        eligible = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Network)
            .where(Network.is_active.is_(True))
        )
        assert all(m.eligible_count == eligible and m.quorum == 0.25 for m in motions)
        assert db.session.get(Position, consulted.id).state is PositionState.VOTE

    def test_not_before_the_consultation_closes(
        self, client, consulted, representative, db
    ):
        db.session.get(Position, consulted.id).consultation_closes_at = later()
        db.session.commit()
        login(client, representative)
        refused(
            client.post(
                f"/positions/{consulted.id}/vote/open",
                data={"closes_at": "2030-01-01T10:00"},
            ),
            409,
            "Le vote s'ouvre une fois la consultation close.",
        )
        assert motions_of(db, consulted) == []

    @pytest.mark.parametrize("value", ["", "2020-01-01T10:00", "bientôt"])
    def test_bad_closing_dates(self, client, consulted, representative, db, value):
        login(client, representative)
        assert (
            client.post(
                f"/positions/{consulted.id}/vote/open", data={"closes_at": value}
            ).status_code
            == 400
        )
        assert (
            db.session.get(Position, consulted.id).state is PositionState.CONSULTATION
        )

    def test_only_the_lead_opens_it(self, client, consulted, voters, db):
        login(client, voters[1])
        refused(
            client.post(
                f"/positions/{consulted.id}/vote/open",
                data={"closes_at": "2030-01-01T10:00"},
            ),
            403,
        )
        assert motions_of(db, consulted) == []

    def test_a_changed_quorum_setting_changes_no_open_vote(self, app, voting, db):
        app.config["VOTE_QUORUM"] = 0.9
        assert all(m.quorum == 0.25 for m in motions_of(db, voting))


class TestBallots:
    def test_one_current_ballot_per_network_and_every_cast_kept(
        self, app, client, voting, voters, db
    ):
        login(client, voters[1])
        motion = motions_of(db, voting)[-1]
        assert cast(client, voting, motion, voters[1], "for").status_code == 302
        assert cast(client, voting, motion, voters[1], "against").status_code == 302
        colleague_client = app.test_client()
        network = voters[1].memberships[0].network
        from tests.conftest import PASSWORD  # noqa: F401

        ballots = db.session.scalars(sa.select(Ballot)).all()
        assert [(b.network_id, b.choice) for b in ballots] == [
            (network.id, BallotChoice.AGAINST)
        ]
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(BallotCast)) == 2
        )
        assert colleague_client is not None

    def test_tallies_stay_hidden_while_open(self, client, voting, voters, db):
        login(client, voters[1])
        motion = motions_of(db, voting)[-1]
        cast(client, voting, motion, voters[1], "for")
        page = page_text(client.get(f"/positions/{voting.id}/vote"))
        assert "Participation : 1 sur" in page
        assert "pour 1" not in page and "Adoptée" not in page
        assert (
            client.get(
                f"/positions/{voting.id}/vote/ballots?motion={motion.id}"
            ).status_code
            == 409
        )

    @pytest.mark.parametrize(
        "data,status",
        [
            ({"choice": "maybe"}, 400),
            ({"choice": ""}, 400),
            ({"network": "999999"}, 400),
            ({"network": "abc"}, 400),
            ({"motion": "999999"}, 400),
            ({"motion": "x"}, 400),
        ],
    )
    def test_bad_ballots_write_nothing(self, client, voting, voters, db, data, status):
        login(client, voters[1])
        motion = motions_of(db, voting)[-1]
        payload = {
            "motion": motion.id,
            "network": voters[1].memberships[0].network_id,
            "choice": "for",
        } | data
        assert (
            client.post(f"/positions/{voting.id}/vote/ballot", data=payload).status_code
            == status
        )
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0

    def test_a_ballot_for_a_network_i_do_not_represent(
        self, client, voting, voters, db
    ):
        login(client, voters[1])
        motion = motions_of(db, voting)[-1]
        response = client.post(
            f"/positions/{voting.id}/vote/ballot",
            data={
                "motion": motion.id,
                "network": voters[2].memberships[0].network_id,
                "choice": "for",
            },
        )
        assert response.status_code == 400
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0

    def test_a_ballot_after_the_close_is_refused(self, client, voting, voters, db):
        login(client, voters[1])
        motion = motions_of(db, voting)[-1]
        end_vote(db, voting)
        response = cast(client, voting, motion, voters[1], "for")
        assert response.status_code == 409
        assert "Le vote est clos" in page_text(response)
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(BallotCast)) == 0
        )

    def test_a_network_activated_after_the_opening_does_not_vote(
        self, app, voting, create_network, create_user, db
    ):
        late = create_user(networks=[create_network(name="Arrivé tard")])
        motion = motions_of(db, voting)[-1]
        with pytest.raises(Exception) as caught:
            votes.cast_ballot(
                motion,
                voting,
                network=late.memberships[0].network,
                choice=BallotChoice.FOR,
                by=late,
            )
        assert getattr(caught.value, "status", None) == 403

    def test_the_unique_constraint_holds(self, voting, voters, db):
        motion = motions_of(db, voting)[-1]
        network_id = voters[0].memberships[0].network_id
        db.session.add_all(
            [
                Ballot(
                    motion_id=motion.id, network_id=network_id, choice=BallotChoice.FOR
                ),
                Ballot(
                    motion_id=motion.id,
                    network_id=network_id,
                    choice=BallotChoice.AGAINST,
                ),
            ]
        )
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


class TestResults:
    def test_close_count_breakdown_and_consolidate_with_provenance(
        self, app, client, voting, voters, representative, db
    ):
        amendment_motion, text_motion = motions_of(db, voting)
        clients = []
        for voter, (on_amendment, on_text) in zip(
            voters,
            [
                ("for", "for"),
                ("for", "for"),
                ("against", "abstain"),
                ("abstain", "for"),
            ],
            strict=True,
        ):
            c = app.test_client()
            login(c, voter)
            cast(c, voting, amendment_motion, voter, on_amendment)
            cast(c, voting, text_motion, voter, on_text)
            clients.append(c)
        login(client, representative)
        client.get(f"/positions/{voting.id}/vote")
        assert (
            db.session.get(Position, voting.id).state is PositionState.VOTE
        )  # not yet
        end_vote(db, voting)
        # the first reader after the closing date has it counted, and only once
        assert "pour 2, contre 1, abstention 1" in page_text(
            client.get(f"/positions/{voting.id}/vote")
        )
        client.get(f"/positions/{voting.id}")
        closes = db.session.scalars(
            sa.select(AuditEvent).filter_by(action="position.vote_close")
        ).all()
        assert len(closes) == 1 and closes[0].actor_id is None
        amendment_motion, text_motion = motions_of(db, voting)
        assert (
            amendment_motion.votes_for,
            amendment_motion.votes_against,
            amendment_motion.votes_abstain,
        ) == (2, 1, 1)
        assert amendment_motion.quorum_reached and amendment_motion.passed
        assert text_motion.passed
        assert amendment_motion.amendment.status is AmendmentStatus.ADOPTED
        page = page_text(client.get(f"/positions/{voting.id}/vote"))
        assert "Par famille de l'ESS" in page and "Par département" in page
        assert "pour 2, contre 1, abstention 1" in page
        ballots = page_text(
            client.get(
                f"/positions/{voting.id}/vote/ballots?motion={amendment_motion.id}"
            )
        )
        assert "Scop 44" in ballots and "Association 85" in ballots
        # Consolidation writes the adopted amendment, attributed to its network.
        assert (
            client.post(
                f"/positions/{voting.id}/consolidation/apply", data=CONFIRMED
            ).status_code
            == 302
        )
        position = db.session.get(Position, voting.id)
        revision = position.current_revision
        assert revision.source is RevisionSource.AMENDMENT
        assert "L'emploi progresse dans l'ESS." in revision.body
        provenance = [s.get("amendment") for s in revision.sections]
        assert provenance == [None, 1, None]
        assert "Proposé par Scop 44 (amendement 1)" in page_text(
            client.get(f"/positions/{voting.id}")
        )
        assert (
            client.post(
                f"/positions/{voting.id}/consolidation/apply", data=CONFIRMED
            ).status_code
            == 302
        )
        assert (
            db.session.get(Position, voting.id).current_revision.number
            == revision.number
        )

    def test_without_quorum_nothing_passes(
        self, client, voting, voters, representative, db
    ):
        login(client, voters[0])
        amendment_motion, text_motion = motions_of(db, voting)
        cast(client, voting, text_motion, voters[0], "for")
        end_vote(db, voting)
        client.post("/logout")
        login(client, representative)
        client.get(f"/positions/{voting.id}/vote")  # counted by this reader
        amendment_motion, text_motion = motions_of(db, voting)
        assert text_motion.votes_for == 1 and not text_motion.quorum_reached
        assert not text_motion.passed and not amendment_motion.passed
        page = page_text(client.get(f"/positions/{voting.id}"))
        assert "Le texte n'a pas été adopté" in page
        assert (
            client.post(f"/positions/{voting.id}/consolidation/draft").status_code
            == 302
        )
        assert db.session.get(Position, voting.id).state is PositionState.DRAFT

    def test_a_second_round_puts_a_retained_amendment_to_the_vote_again(
        self, client, voting, voters, representative, db
    ):
        """No quorum; back to draft; a new consultation retains the same amendment."""
        login(client, voters[0])
        first_amendment, first_text = motions_of(db, voting)
        cast(client, voting, first_text, voters[0], "against")
        end_vote(db, voting)
        client.post("/logout")
        login(client, representative)
        client.get(f"/positions/{voting.id}/vote")  # counted by this reader
        client.post(f"/positions/{voting.id}/consolidation/draft")
        amendment = first_amendment.amendment
        assert amendment.status is AmendmentStatus.REJECTED
        position = db.session.get(Position, voting.id)
        consultation.open_consultation(
            position, closes_at=later(), message="", by=representative
        )
        amendments_service.decide_amendment(
            amendment, position, decision="to_vote", reason="", by=representative
        )
        position.consultation_closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        response = client.post(
            f"/positions/{voting.id}/vote/open",
            data={"closes_at": later(3).strftime("%Y-%m-%dT%H:%M")},
        )
        assert response.status_code == 302
        assert db.session.get(Position, voting.id).state is PositionState.VOTE
        motions = motions_of(db, voting)
        assert [m.round for m in motions] == [1, 2, 1, 2]
        assert motions[0].amendment_id == motions[1].amendment_id == amendment.id
        # the new round is the one shown; the first stays readable with its result
        page = page_text(client.get(f"/positions/{voting.id}/vote"))
        assert "Tour 2" in page and "Participation : 0 sur 5 réseaux" in page
        first = client.get(f"/positions/{voting.id}/vote?round=1")
        assert first.status_code == 200
        text = page_text(first)
        assert "Tour 1, clos le" in text and "pour 0, contre 1, abstention 0" in text
        ballots = client.get(
            f"/positions/{voting.id}/vote/ballots?motion={first_text.id}"
        )
        assert ballots.status_code == 200 and "Contre" in page_text(ballots)
        assert client.get(f"/positions/{voting.id}/vote?round=3").status_code == 404
        assert client.get(f"/positions/{voting.id}/vote?round=²").status_code == 400

    def test_a_changed_section_is_integrated_by_hand(
        self, app, client, voting, voters, representative, db
    ):
        amendment_motion, text_motion = motions_of(db, voting)
        for voter in voters:
            c = app.test_client()
            login(c, voter)
            cast(c, voting, amendment_motion, voter, "for")
            cast(c, voting, text_motion, voter, "for")
        end_vote(db, voting)
        login(client, representative)
        client.get(f"/positions/{voting.id}/vote")  # counted by this reader
        position = db.session.get(Position, voting.id)
        current = position.current_revision
        positions_service.save_revision(
            position,
            title=current.title,
            summary="",
            body=current.body.replace(
                "L'emploi progresse.", "L'emploi progresse encore."
            ),
            message="",
            base=current,
            network=None,
            by=representative,
        )
        db.session.commit()
        response = client.post(
            f"/positions/{voting.id}/consolidation/apply",
            data=CONFIRMED,
            follow_redirects=True,
        )
        assert "À intégrer à la main" in page_text(response)
        assert (
            client.post(f"/positions/{voting.id}/amendments/1/integrated").status_code
            == 302
        )
        assert (
            client.post(f"/positions/{voting.id}/amendments/1/integrated").status_code
            == 409
        )

    def test_the_results_page_costs_the_same_with_1500_networks(
        self, app, client, voting, voters, representative, db, count_queries
    ):
        login(client, representative)
        end_vote(db, voting)
        assert votes.close_due_votes() == [voting.id]  # counted by the command
        db.session.commit()
        with count_queries() as small:
            assert client.get(f"/positions/{voting.id}/vote").status_code == 200
        # 1,500 more eligible networks, all of which voted on every motion.
        now = utcnow()
        rows = [
            {
                "name": f"Réseau {i:04d}",
                "slug": f"bulk-{i:04d}",
                "kind": "sector",
                "family": list(EssFamily)[i % 6].value,
                "department": list(Department)[i % 6].value,
                "description": "",
                "website": "",
                "is_active": True,
                "is_demo": False,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1500)
        ]
        db.session.execute(sa.insert(Network.__table__), rows)
        ids = db.session.scalars(
            sa.select(Network.id).where(Network.slug.like("bulk-%"))
        )
        ids = list(ids)
        from advocacy.models import EligibleNetwork

        db.session.execute(
            sa.insert(EligibleNetwork.__table__),
            [{"position_id": voting.id, "network_id": n} for n in ids],
        )
        for motion in motions_of(db, voting):
            db.session.execute(
                sa.insert(Ballot.__table__),
                [
                    {
                        "motion_id": motion.id,
                        "network_id": n,
                        "choice": "for",
                        "cast_at": now,
                    }
                    for n in ids
                ],
            )
        db.session.commit()
        with count_queries() as large:
            response = client.get(f"/positions/{voting.id}/vote")
        assert response.status_code == 200
        assert large.count == small.count
        motion = motions_of(db, voting)[-1]
        with count_queries() as listing:
            page = client.get(
                f"/positions/{voting.id}/vote/ballots?motion={motion.id}&page=3"
            )
        assert page.status_code == 200 and listing.count <= small.count


@pytest.mark.skipif(not IS_POSTGRES, reason="concurrent writers need PostgreSQL")
class TestConcurrency:
    def test_twenty_networks_cast_and_change_at_once(
        self, app, voting, create_network, create_user, db
    ):
        people = [
            create_user(networks=[create_network(name=f"Réseau {i}")])
            for i in range(20)
        ]
        db.session.execute(
            sa.insert(_eligible_table()),
            [
                {"position_id": voting.id, "network_id": p.memberships[0].network_id}
                for p in people
            ],
        )
        db.session.commit()
        motion_id = motions_of(db, voting)[-1].id
        barrier = threading.Barrier(20, timeout=30)
        errors = []

        def vote(user_id):
            try:
                with app.app_context():
                    user = _db.session.get(User, user_id)
                    motion = _db.session.get(Motion, motion_id)
                    position = _db.session.get(Position, motion.position_id)
                    barrier.wait()
                    for choice in (
                        BallotChoice.FOR,
                        BallotChoice.AGAINST,
                        BallotChoice.FOR,
                    ):
                        votes.cast_ballot(
                            motion,
                            position,
                            network=user.memberships[0].network,
                            choice=choice,
                            by=user,
                        )
                        _db.session.commit()
                    _db.session.remove()
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=vote, args=(p.id,)) for p in people]
        [t.start() for t in threads]
        [t.join(60) for t in threads]
        assert errors == []
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Ballot)
                .where(Ballot.motion_id == motion_id)
            )
            == 20
        )
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(BallotCast)
                .where(BallotCast.motion_id == motion_id)
            )
            == 60
        )
        assert set(db.session.scalars(sa.select(Ballot.choice))) == {BallotChoice.FOR}

    def test_two_representatives_of_one_network_leave_one_ballot(
        self, app, voting, voters, create_user, db
    ):
        network = voters[0].memberships[0].network
        colleagues = [voters[0].id] + [
            create_user(networks=[network]).id for _ in range(5)
        ]
        motion_id = motions_of(db, voting)[-1].id
        barrier = threading.Barrier(len(colleagues), timeout=30)

        def vote(user_id):
            with app.app_context():
                user = _db.session.get(User, user_id)
                motion = _db.session.get(Motion, motion_id)
                position = _db.session.get(Position, motion.position_id)
                barrier.wait()
                votes.cast_ballot(
                    motion, position, network=network, choice=BallotChoice.FOR, by=user
                )
                _db.session.commit()
                _db.session.remove()

        threads = [threading.Thread(target=vote, args=(u,)) for u in colleagues]
        [t.start() for t in threads]
        [t.join(60) for t in threads]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 1
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(BallotCast)) == 6
        )

    @pytest.mark.parametrize("action", ["open", "close", "due", "apply"])
    def test_acting_twice_at_once_takes_effect_once(
        self, app, consulted, voters, representative, db, action
    ):
        if action != "open":
            votes.open_vote(consulted, closes_at=later(1), by=representative)
            motions = motions_of(db, consulted)
            for voter in voters:
                for motion in motions:
                    votes.cast_ballot(
                        motion,
                        consulted,
                        network=voter.memberships[0].network,
                        choice=BallotChoice.FOR,
                        by=voter,
                    )
            db.session.commit()
            end_vote(db, consulted)
        if action == "apply":
            votes.close_vote(db.session.get(Position, consulted.id), by=representative)
            db.session.commit()
        barrier = threading.Barrier(2, timeout=30)
        outcomes = []
        # read in this thread: the test's session is not for the workers to share
        position_id, user_id = consulted.id, representative.id

        def act(index):
            with app.app_context():
                position = _db.session.get(Position, position_id)
                by = _db.session.get(User, user_id)
                barrier.wait()
                try:
                    if action == "open":
                        votes.open_vote(position, closes_at=later(2), by=by)
                    elif action == "close":
                        votes.close_vote(position, by=by)
                    elif action == "due":  # a reader and the command at once
                        counted = (
                            votes.close_if_due(position)
                            if index
                            else votes.close_due_votes()
                        )
                        if not counted:
                            raise RuntimeError("counted elsewhere")
                    else:
                        applied, _ = consolidation.apply_amendments(position, by=by)
                        if not applied:
                            raise RuntimeError("nothing applied")
                    _db.session.commit()
                    outcomes.append("done")
                except Exception:  # noqa: BLE001
                    _db.session.rollback()
                    outcomes.append("refused")
                _db.session.remove()

        threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
        [t.start() for t in threads]
        [t.join(60) for t in threads]
        assert sorted(outcomes) == ["done", "refused"]
        events = {
            "open": "position.vote_open",
            "close": "position.vote_close",
            "due": "position.vote_close",
            "apply": "amendment.apply",
        }
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == events[action])
            )
            == 1
        )


class TestDeadline:
    """A vote whose closing date has passed is counted without anyone clicking."""

    def test_the_command_counts_a_due_vote_once_and_tells_the_lead(
        self, app, client, voting, voters, representative, db
    ):
        from advocacy.models import Notification

        amendment_motion, text_motion = motions_of(db, voting)
        for voter in voters[:3]:
            votes.cast_ballot(
                text_motion,
                voting,
                network=voter.memberships[0].network,
                choice=BallotChoice.FOR,
                by=voter,
            )
        db.session.commit()
        runner = app.test_cli_runner()
        assert "0 vote(s) counted." in runner.invoke(args=["votes", "close"]).output
        assert db.session.get(Position, voting.id).state is PositionState.VOTE
        end_vote(db, voting)
        result = runner.invoke(args=["votes", "close"])
        assert result.exit_code == 0, result.output
        assert f"counted the vote on position {voting.id}" in result.output
        assert "0 vote(s) counted." in runner.invoke(args=["votes", "close"]).output
        db.session.expire_all()
        position = db.session.get(Position, voting.id)
        assert position.state is PositionState.CONSOLIDATION
        text_motion = motions_of(db, voting)[-1]
        assert (text_motion.votes_for, text_motion.passed) == (3, True)
        # the lead did not vote, and is told the results are in
        told = db.session.scalars(
            sa.select(Notification.user_id).filter_by(kind="vote_closed")
        ).all()
        assert representative.id in told
        assert {v.id for v in voters[:3]} <= set(told)
        login(client, representative)
        page = page_text(client.get("/notifications/"))
        assert "Pour un emploi durable" in page

    def test_before_its_closing_date_no_reader_counts_it(
        self, client, voting, representative, db
    ):
        login(client, representative)
        client.get(f"/positions/{voting.id}")
        client.get(f"/positions/{voting.id}/vote")
        assert db.session.get(Position, voting.id).state is PositionState.VOTE
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "position.vote_close")
            )
            == 0
        )


def _eligible_table():
    from advocacy.models import EligibleNetwork

    return EligibleNetwork
