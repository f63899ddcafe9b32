"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from advocacy import create_app
from advocacy.extensions import db
from advocacy.models import Base
from advocacy.models.search import include_name
from tests.conftest import IS_POSTGRES, TEST_DB


@pytest.fixture
def empty_database_url(tmp_path):
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    name = f"pv_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(TEST_DB, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield (
        sa.engine.make_url(TEST_DB)
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _diff(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        return compare_metadata(context, Base.metadata)


def test_upgrade_builds_the_models_schema(empty_database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    with app.app_context():
        upgrade()
        assert _diff(db.engine) == []
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {
            "networks",
            "users",
            "memberships",
            "themes",
            "audit_events",
            "invitations",
            "password_resets",
            "alembic_version",
        } <= tables
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _diff(db.engine) == []
        db.engine.dispose()


def test_enum_columns_are_checked_by_the_database(empty_database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    with app.app_context():
        upgrade()
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO networks (name, slug, kind, family, department, description,"
                    " website, is_active, is_demo, created_at, updated_at) VALUES ('x', 'x',"
                    " 'sector', 'cooperative', '75', '', '', true, false, CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP)"
                )
            )
        db.engine.dispose()


def test_upgrading_a_database_that_holds_data(empty_database_url):
    """Later migrations alter tables that already hold positions and revisions."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    with app.app_context():
        upgrade(revision="b8a9c0659810")  # positions and revisions exist from here
        with db.engine.begin() as conn:
            now = "2026-01-01 00:00:00"
            conn.execute(
                sa.text(
                    "INSERT INTO networks (id, name, slug, kind, family, department, description,"
                    " website, is_active, is_demo, created_at, updated_at) VALUES (1, 'R', 'r',"
                    " 'sector', 'cooperative', '44', '', '', true, false, :now, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO positions (id, title, summary, lead_network_id, state,"
                    " lock_version, withdrawn_reason, created_at, updated_at) VALUES (1, 'P', '',"
                    " 1, 'draft', 0, '', :now, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO revisions (id, position_id, number, title, summary, body,"
                    " body_html, sections, message, source, created_at) VALUES (1, 1, 1, 'P',"
                    " '', 'x', '<p>x</p>', '[]', '', 'create', :now)"
                ),
                {"now": now},
            )
            conn.execute(sa.text("UPDATE positions SET current_revision_id = 1"))
        upgrade()
        assert _diff(db.engine) == []
        with db.engine.connect() as conn:
            assert (
                conn.execute(
                    sa.text("SELECT current_revision_id FROM positions")
                ).scalar()
                == 1
            )
        db.engine.dispose()
