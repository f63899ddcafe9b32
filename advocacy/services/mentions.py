"""Mentions: ``@[Name]`` in a comment or an amendment's rationale names a member or
a network, links to them and tells them.

Only people who may see positions (active representatives, board members,
staff) and active networks can be mentioned, by their exact name, as the
suggestions write it. Any other ``@[…]`` stays plain text: a mention of someone
who may not see the position does nothing and reveals nothing. A name two
members (or a member and a network) share is left plain too.
"""

import re
from dataclasses import dataclass, field
from html import unescape as html_unescape

from markupsafe import escape

from advocacy.links import path_for
from advocacy.models import Network, User
from advocacy.queries import people

MENTION = re.compile(r"@\[([^\[\]\n<>]{1,120})\]")
#: Text inside these elements is left as written (code, links).
_SKIPPED = ("a", "code", "pre")
_TAG = re.compile(r"(<[^>]+>)")


@dataclass
class Mentions:
    users: list[User] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    #: name -> the HTML that replaces ``@[name]``
    links: dict[str, str] = field(default_factory=dict)

    @property
    def user_ids(self) -> set[int]:
        return {u.id for u in self.users}

    @property
    def network_ids(self) -> set[int]:
        return {n.id for n in self.networks}


def _segments(html: str):
    """The pieces of ``html``: (piece, True) for text a mention may stand in."""
    inside = 0
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            name = re.match(r"</?([a-zA-Z0-9]+)", piece)
            if name and name.group(1).lower() in _SKIPPED:
                inside += -1 if piece.startswith("</") else 1
            yield piece, False
        else:
            yield piece, inside <= 0


def _link(label: str, href: str | None, title: str) -> str:
    shown = escape("@" + label)
    if href is None:
        return f"<strong>{shown}</strong>"
    return (
        f'<a class="mention" href="{escape(href)}" title="{escape(title)}">{shown}</a>'
    )


def _resolve(names: set[str]) -> Mentions:
    """Each name held by exactly one member or network, and the HTML it becomes."""
    users, networks = people.mentionable(names)
    found = Mentions()
    for name in sorted(names):
        who = [u for u in users if u.display_name == name]
        which = [n for n in networks if n.name == name]
        if len(who) + len(which) != 1:
            continue
        if who:
            user = who[0]
            found.users.append(user)
            first = user.memberships[0].network if user.memberships else None
            found.links[name] = _link(
                name,
                path_for("public.network", slug=first.slug) if first else None,
                first.name if first else name,
            )
        else:
            network = which[0]
            found.networks.append(network)
            found.links[name] = _link(
                name, path_for("public.network", slug=network.slug), network.name
            )
    return found


def linked(html: str) -> tuple[str, Mentions]:
    """Sanitised HTML with each mention made a link, and who it mentions.

    Text in code and in links is left as written, and mentions nobody.
    """
    pieces = list(_segments(html))
    names = {
        m.group(1).strip()
        for piece, open_text in pieces
        if open_text
        for m in MENTION.finditer(html_unescape(piece))
    } - {""}
    if not names:
        return html, Mentions()
    found = _resolve(names)

    def swap(match: re.Match) -> str:
        return found.links.get(html_unescape(match.group(1)).strip(), match.group(0))

    out = [
        MENTION.sub(swap, piece) if open_text else piece for piece, open_text in pieces
    ]
    return "".join(out), found


def newly(found: Mentions, before: Mentions) -> dict:
    """The audit payload of who a new wording mentions that the previous did not."""
    return {
        "mentioned_users": sorted(found.user_ids - before.user_ids),
        "mentioned_networks": sorted(found.network_ids - before.network_ids),
    }
