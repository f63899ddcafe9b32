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


def _installation(database: str, tmp_path, name: str):
    """Another installation on its own database, not served yet; emptied after."""
    port = free_port()
    app = make_app(database, tmp_path / name, **settings(port, name))
    app.config["PORT"] = port
    installation = Installation(app, f"http://127.0.0.1:{port}")
    installation.add_staff()
    yield installation
    emptied(app)


def _served(installation: Installation):
    with served(installation.app, installation.app.config["PORT"]):
        yield installation


@pytest.fixture
def national_app(national_database, tmp_path):
    """The national federation's installation (a test serves it when it wants)."""
    yield from _installation(national_database, tmp_path, "ESS France")


@pytest.fixture
def national(national_app):
    yield from _served(national_app)


@pytest.fixture(scope="session")
def second_region_database(tmp_path_factory):
    return other_database(tmp_path_factory, "region2")


@pytest.fixture
def second_region(second_region_database, tmp_path):
    """A third installation: another region's chamber, served."""
    for installation in _installation(
        second_region_database, tmp_path, "CRESS Bretagne"
    ):
        yield from _served(installation)
