"""Command-line tools: ``flask seed-demo | create-admin | import-networks | translate | statements``."""

import csv
import os
import re
import subprocess  # noqa: S404
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict

from advocacy.extensions import db

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
POT = TRANSLATIONS / "messages.pot"


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the demo networks, people and themes (safe to run again)."""
    from advocacy import demo

    password = current_app.config["DEMO_PASSWORD"]
    shown = demo.seed(password)
    db.session.commit()
    counts = demo.counts()
    click.echo(
        f"Demo data ready: {counts['networks']} networks, {counts['people']} people,"
        f" {counts['themes']} themes, {counts['positions']} positions."
    )
    click.echo(f"Demo accounts (password: {password}):")
    labels = {
        "staff": "staff",
        "board": "board member",
        "coordinator": "coordinator",
        "representative": "representative",
    }
    for role, accounts in shown.items():
        for email, who in accounts:
            click.echo(f"  {labels[role]:<15} {email:<45} {who}")


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin_command(email: str, name: str, password: str):
    """Create a staff account."""
    from advocacy.passwords import password_problems
    from advocacy.services import ServiceError
    from advocacy.services.accounts import create_user

    problems = password_problems(password, email=email, name=name)
    if problems:
        raise click.ClickException(problems[0])
    try:
        user = create_user(
            email=email,
            display_name=name,
            password=password,
            by=None,
            is_admin=True,
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Staff account {user.email} created.")


SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
IMPORT_COLUMNS = (
    "name",
    "kind",
    "family",
    "department",
    "description",
    "website",
    "slug",
)


@click.command("import-networks")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_networks_command(csv_file: str):
    """Import networks from a CSV file; nothing is imported if any row is wrong.

    Columns: name, kind, family, department, description, website, slug (optional).
    """
    from advocacy.forms import NetworkForm
    from advocacy.models import Network
    from advocacy.services.networks import create_network, unique_slug

    errors: list[str] = []
    rows: list[dict] = []
    with open(csv_file, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"name", "kind", "family", "department"} - set(
            reader.fieldnames or []
        )
        if missing:
            raise click.ClickException(f"missing columns: {', '.join(sorted(missing))}")
        seen_slugs: set[str] = set()
        for line, row in enumerate(reader, start=2):
            values = {k: (row.get(k) or "").strip() for k in IMPORT_COLUMNS}
            form = NetworkForm(formdata=MultiDict(values), meta={"csrf": False})
            if not form.validate():
                for field, messages in form.errors.items():
                    errors.extend(f"line {line}: {field}: {m}" for m in messages)
                continue
            slug = values["slug"] or unique_slug(Network, values["name"])
            if not SLUG_RE.fullmatch(slug) or len(slug) > 80:
                errors.append(
                    f"line {line}: slug: {slug!r} is not lower-case words and dashes"
                )
                continue
            if slug in seen_slugs or db.session.scalar(
                sa.select(Network.id).filter_by(slug=slug)
            ):
                errors.append(f"line {line}: slug: {slug} is already used")
                continue
            seen_slugs.add(slug)
            rows.append({**form.data, "slug": slug})
    if errors:
        for error in errors:
            click.echo(error, err=True)
        raise click.ClickException(f"{len(errors)} error(s): nothing was imported.")
    for data in rows:
        create_network(data, by=None)
    db.session.commit()
    click.echo(f"{len(rows)} network(s) imported.")


@click.group("translate")
def translate_group():
    """Extract, update and compile the interface translations."""


def _pybabel(*args: str) -> None:
    executable = Path(sys.executable).with_name("pybabel")
    command = [str(executable) if executable.exists() else "pybabel", *args]
    subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603


@translate_group.command("extract")
def translate_extract():
    """Collect the translatable strings into messages.pot."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--project",
        "Porte-voix",
        "-o",
        str(POT),
        ".",
    )


@translate_group.command("update")
def translate_update():
    """Extract, then merge new strings into every catalogue."""
    translate_extract.callback()
    _pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


@translate_group.command("compile")
def translate_compile():
    """Compile the catalogues (.po → .mo)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@translate_group.command("init")
@click.argument("language")
def translate_init(language: str):
    """Start a catalogue for a new language."""
    translate_extract.callback()
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language)
    os.remove(POT)


@click.group("statements")
def statements_group():
    """Published statements."""


@statements_group.command("release")
@with_appcontext
def release_command():
    """Publish the statements whose scheduled moment has come (run it from cron)."""
    from advocacy.models import Statement
    from advocacy.services.statements import release_due_publications

    released = release_due_publications()
    db.session.commit()
    for version in released:
        slug = db.session.get(Statement, version.statement_id).slug
        click.echo(f"published {slug} v{version.number}")
    click.echo(f"{len(released)} statement(s) released.")


@click.group("votes")
def votes_group():
    """Votes on positions."""


@votes_group.command("close")
@with_appcontext
def votes_close_command():
    """Count the votes whose closing date has passed (run it from cron, every
    minute; the first reader of such a position has it counted too)."""
    from advocacy.services.votes import close_due_votes

    counted = close_due_votes()
    db.session.commit()
    for position_id in counted:
        click.echo(f"counted the vote on position {position_id}")
    click.echo(f"{len(counted)} vote(s) counted.")


@click.group("federation")
def federation_group():
    """Links with other Porte-voix installations (docs/federation.md)."""


@federation_group.command("keys")
@with_appcontext
def federation_keys_command():
    """Make this installation's key pair if it has none; print its fingerprint."""
    from advocacy.federation.documents import actor_url
    from advocacy.federation.keys import fingerprint, installation_key

    key = installation_key()
    db.session.commit()
    click.echo(f"actor: {actor_url()}")
    click.echo(f"fingerprint: {fingerprint(key.public_pem)}")


@click.group("notifications")
def notifications_group():
    """Emails of the notifications: the outbox, the digest, the reminders."""


@notifications_group.command("send")
@click.option(
    "--batch", default=20, show_default=True, help="Messages per transaction."
)
@with_appcontext
def notifications_send(batch: int):
    """Send the emails that are due (a worker: run it every minute, or several at once)."""
    from advocacy.services.outbox import send_due

    report = send_due(batch=batch)
    click.echo(
        f"{report.sent} sent, {report.retried} to retry, {report.given_up} given up."
    )
    for error in report.errors[:20]:
        click.echo(f"  {error}", err=True)


@notifications_group.command("digest")
@with_appcontext
def notifications_digest():
    """Write the daily digests (run once a day; nothing is sent twice)."""
    from advocacy.services.notifications import make_digests

    made = make_digests()
    db.session.commit()
    click.echo(f"{made} digest(s) written to the outbox.")


@notifications_group.command("remind")
@with_appcontext
def notifications_remind():
    """Remind the networks that have not taken part, 48 hours before a close."""
    from advocacy.services.notifications import send_reminders

    made = send_reminders()
    db.session.commit()
    click.echo(f"{made} reminder(s) made.")


@click.command("collab")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5001, show_default=True, type=int)
@with_appcontext
def collab_command(host: str, port: int):
    """Serve the live co-writing rooms (the collaboration server) with uvicorn."""
    import uvicorn

    from advocacy.collab.server import CollabServer

    server = CollabServer(current_app._get_current_object())
    uvicorn.run(
        server,
        host=host,
        port=port,
        log_level="info",
        ws="websockets-sansio",
        # an update is a few keystrokes; the largest text is 200,000 characters
        ws_max_size=current_app.config["MAX_CONTENT_LENGTH"],
    )


def init_app(app) -> None:
    for command in (
        seed_demo_command,
        collab_command,
        create_admin_command,
        import_networks_command,
        translate_group,
        statements_group,
        votes_group,
        notifications_group,
        federation_group,
    ):
        app.cli.add_command(command)
