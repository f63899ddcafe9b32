"""Two installations in each test: the region (the usual test app, served on
loopback) and the national federation (its own database, served too)."""

import pytest

from tests.conftest import make_app
from tests.federation import (
    Installation,
    emptied,
    free_port,
    other_database,
    served,
    settings,
)


@pytest.fixture
def region_port():
    return free_port()


@pytest.fixture
def app_config(region_port):
    return settings(region_port, "CRESS Pays de la Loire")


@pytest.fixture
def region(app, region_port, staff):
    with served(app, region_port):
        yield Installation(app, f"http://127.0.0.1:{region_port}")


@pytest.fixture(scope="session")
def national_database(tmp_path_factory):
    return other_database(tmp_path_factory, "national")


@pytest.fixture
def national_app(national_database, tmp_path):
    port = free_port()
    app = make_app(
        national_database, tmp_path / "national", **settings(port, "ESS France")
    )
    app.config["PORT"] = port
    installation = Installation(app, f"http://127.0.0.1:{port}")
    installation.add_staff()
    yield installation
    emptied(app)


@pytest.fixture
def national(national_app):
    with served(national_app.app, national_app.app.config["PORT"]):
        yield national_app
