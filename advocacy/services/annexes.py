"""Annexes: co-authors attach files to a position while they may edit it.

The type is read from the content (``filetype``), never from the name: PDF,
ODT, ODS, DOCX, XLSX, PNG and JPEG are accepted; SVG, HTML and programs are
refused with a sentence saying why. The content goes to the storage, under its
SHA-256.
"""

import re
import unicodedata

import filetype
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.models import Annex, Network, Position, User
from advocacy.services import ServiceError
from advocacy.services.audit import record_event
from advocacy.services.lifecycle import lock_position
from advocacy.storage import storage

#: What may be attached: type read from the content -> its extension.
ACCEPTED = {
    "application/pdf": "pdf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/png": "png",
    "image/jpeg": "jpg",
}
_PROGRAMS = {"exe", "elf", "dmg", "deb", "rpm", "msi", "dex", "wasm", "swf", "class"}
_MARKUP = re.compile(rb"^\s*(<\?xml|<!doctype|<svg|<html|<script|<)", re.IGNORECASE)


def _size(n: int) -> str:
    """A size as people read it: "10 Mio", "500 Kio"."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.3g} Mio"
    return f"{max(1, round(n / 1024))} Kio"


def clean_filename(name: str, extension: str) -> str:
    """The name without path, control characters or odd spaces, ending in ``extension``."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:180] or _("annex")
    return f"{stem}.{extension}"


def _accepted_type(data: bytes) -> str:
    kind = filetype.guess(data)
    if kind is not None and kind.mime in ACCEPTED:
        return kind.mime
    if kind is not None and kind.extension in _PROGRAMS:
        reason = _("Programs cannot be attached.")
    elif _MARKUP.match(data[:512]):
        reason = _("SVG and HTML files cannot be attached: they may carry scripts.")
    else:
        reason = _("This file's content is of no accepted type.")
    raise ServiceError(
        reason + " " + _("Attach a PDF, ODT, ODS, DOCX, XLSX, PNG or JPEG file."),
        status=400,
        field="file",
    )


def _audit(action: str, annex: Annex, by: User) -> None:
    record_event(
        action,
        by=by,
        object_type="position",
        object_id=annex.position_id,
        annex_id=annex.id,
        filename=annex.filename,
        sha256=annex.sha256,
    )


def attach(
    position: Position,
    *,
    filename: str,
    data: bytes,
    by: User,
    network: Network | None,
) -> Annex:
    """Attach a file to the position (the caller checked the person may edit it)."""
    lock_position(position)
    limit = current_app.config["ANNEX_MAX_BYTES"]
    if not data:
        raise ServiceError(_("The file is empty."), status=400, field="file")
    if len(data) > limit:
        raise ServiceError(
            _("A file may weigh at most %(size)s.", size=_size(limit)),
            status=413,
            field="file",
        )
    count = db.session.scalar(
        sa.select(sa.func.count(Annex.id)).where(Annex.position_id == position.id)
    )
    if count >= current_app.config["ANNEX_MAX_COUNT"]:
        raise ServiceError(
            _(
                "A position holds at most %(count)d annexes: remove one first.",
                count=current_app.config["ANNEX_MAX_COUNT"],
            ),
            status=409,
            field="file",
        )
    mime = _accepted_type(data)
    annex = Annex(
        position_id=position.id,
        filename=clean_filename(filename, ACCEPTED[mime]),
        mime=mime,
        size=len(data),
        sha256=storage().put(data),
        added_by_id=by.id,
        network_id=network.id if network else None,
    )
    db.session.add(annex)
    db.session.flush()
    _audit("position.annex_add", annex, by)
    return annex


def remove(annex: Annex, position: Position, *, by: User) -> None:
    """Take an annex off the position (its content stays for what was published)."""
    lock_position(position)
    _audit("position.annex_remove", annex, by)
    db.session.delete(annex)
    db.session.flush()
