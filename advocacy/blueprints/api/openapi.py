"""The OpenAPI 3.1 description of the open-data API (served at /api/v1/openapi.json).

Written by hand, next to the views it describes; the test suite checks with
schemathesis that every answer of the API matches it.
"""

from flask import current_app, url_for
from werkzeug.datastructures import MultiDict

from advocacy.blueprints.common import statement_filter_form
from advocacy.models import Arena, Department, EssFamily, NetworkKind
from advocacy.web import MAX_PAGE

MAX_PER_PAGE = 100


def _values(enum) -> list[str]:
    return [member.value for member in enum]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(**extra) -> dict:
    return {"type": "string", **extra}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _path(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _json(schema: dict, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "404": {"$ref": "#/components/responses/NotFound"},
}
PAGING = [
    _query(
        "page",
        "Page number, from 1.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    ),
    _query(
        "per_page",
        "Items per page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
    ),
]
NETWORK_REF = {
    "type": "object",
    "required": ["slug", "name", "family", "department"],
    "properties": {
        "slug": _string(),
        "name": _string(),
        "family": _string(enum=_values(EssFamily)),
        "department": _string(enum=_values(Department)),
    },
}
LINKS = {
    "url": _string(format="uri"),
    "pdf_url": _string(format="uri"),
    "api_url": _string(format="uri"),
}


def _schemas() -> dict:
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["status", "title", "message"],
                    "properties": {
                        "status": {"type": "integer"},
                        "title": _string(),
                        "message": _string(),
                        "fields": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": _string(),
                            },
                        },
                    },
                }
            },
        },
        "Page": {
            "type": "object",
            "required": ["meta", "links"],
            "properties": {
                "meta": {
                    "type": "object",
                    "required": ["page", "per_page", "total", "pages"],
                    "properties": {
                        k: {"type": "integer", "minimum": 0}
                        for k in ("page", "per_page", "total", "pages")
                    },
                },
                "links": {
                    "type": "object",
                    "required": ["self", "first", "last", "prev", "next"],
                    "properties": {
                        "self": _string(format="uri"),
                        "first": _string(format="uri"),
                        "last": _string(format="uri"),
                        "prev": _nullable(_string(format="uri")),
                        "next": _nullable(_string(format="uri")),
                    },
                },
            },
        },
        "NetworkRef": NETWORK_REF,
        "Network": {
            "allOf": [
                _ref("NetworkRef"),
                {
                    "type": "object",
                    "required": ["kind", "website", "url", "api_url"],
                    "properties": {
                        "kind": _string(enum=_values(NetworkKind)),
                        "website": _nullable(_string()),
                        "url": _string(format="uri"),
                        "api_url": _string(format="uri"),
                    },
                },
            ]
        },
        "NetworkDetail": {
            "allOf": [
                _ref("Network"),
                {
                    "type": "object",
                    "required": [
                        "description",
                        "statements_written",
                        "statements_signed",
                    ],
                    "properties": {
                        "description": _string(),
                        "statements_written": {"type": "array", "items": _string()},
                        "statements_signed": {"type": "array", "items": _string()},
                    },
                },
            ]
        },
        "StatementItem": {
            "type": "object",
            "required": [
                "slug",
                "title",
                "summary",
                "version",
                "published_at",
                "lead_network",
                "themes",
                "arenas",
                "signatures",
                "url",
                "api_url",
            ],
            "properties": {
                "slug": _string(),
                "title": _string(),
                "summary": _string(),
                "version": {"type": "integer", "minimum": 1},
                "published_at": _string(format="date-time"),
                "lead_network": _ref("NetworkRef"),
                "themes": {"type": "array", "items": _string()},
                "arenas": {"type": "array", "items": _string(enum=_values(Arena))},
                "signatures": {"type": "integer", "minimum": 0},
                "url": _string(format="uri"),
                "api_url": _string(format="uri"),
            },
        },
        "Version": {
            "type": "object",
            "required": [
                "number",
                "title",
                "summary",
                "published_at",
                "body_html",
                "sections",
                "networks",
                "themes",
                "arenas",
                "board_decisions",
                "building",
                "annexes",
                *LINKS,
            ],
            "properties": {
                "number": {"type": "integer", "minimum": 1},
                "title": _string(),
                "summary": _string(),
                "published_at": _string(format="date-time"),
                "body_html": _string(description="Sanitised HTML."),
                "sections": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "title", "amendment", "network"],
                        "properties": {
                            "id": _string(),
                            "title": _string(),
                            "amendment": _nullable({"type": "integer"}),
                            "network": _nullable(_string()),
                        },
                    },
                },
                "networks": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["slug", "name", "role"],
                        "properties": {
                            "slug": _string(),
                            "name": _string(),
                            "role": _string(enum=["lead", "coauthor"]),
                        },
                    },
                },
                "themes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["slug", "name_fr", "name_en"],
                        "properties": {
                            k: _string() for k in ("slug", "name_fr", "name_en")
                        },
                    },
                },
                "arenas": {"type": "array", "items": _string(enum=_values(Arena))},
                "board_decisions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["choice", "motivation"],
                        "properties": {"choice": _string(), "motivation": _string()},
                    },
                },
                "building": {
                    "type": "object",
                    "description": "Participation, comments, amendments and vote results.",
                },
                "annexes": {
                    "type": "array",
                    "description": "Files published with the version, frozen.",
                    "items": {
                        "type": "object",
                        "required": ["filename", "mime", "size", "sha256", "url"],
                        "properties": {
                            "filename": _string(),
                            "mime": _string(),
                            "size": {"type": "integer", "minimum": 1},
                            "sha256": _string(pattern="^[0-9a-f]{64}$"),
                            "url": _string(format="uri"),
                        },
                    },
                },
                **LINKS,
            },
        },
        "Statement": {
            "type": "object",
            "required": [
                "slug",
                "lead_network",
                "current_version",
                "versions",
                "signatories",
                "follow_ups",
                "url",
            ],
            "properties": {
                "slug": _string(),
                "lead_network": _ref("NetworkRef"),
                "current_version": _ref("Version"),
                "versions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "title", "published_at", *LINKS],
                        "properties": {
                            "number": {"type": "integer", "minimum": 1},
                            "title": _string(),
                            "published_at": _string(format="date-time"),
                            **LINKS,
                        },
                    },
                },
                "signatories": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["network", "signed_at"],
                        "properties": {
                            "network": _ref("NetworkRef"),
                            "signed_at": _string(format="date-time"),
                        },
                    },
                },
                "follow_ups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["date", "kind", "text", "link"],
                        "properties": {
                            "date": _string(format="date"),
                            "kind": _string(
                                enum=["assembly", "sent", "answer", "national", "other"]
                            ),
                            "text": _string(),
                            "link": _nullable(_string()),
                        },
                    },
                },
                "url": _string(format="uri"),
            },
        },
    }


def _list_of(item: str) -> dict:
    return {
        "allOf": [
            _ref("Page"),
            {
                "type": "object",
                "required": ["data"],
                "properties": {"data": {"type": "array", "items": _ref(item)}},
            },
        ]
    }


def openapi_document() -> dict:
    """The OpenAPI 3.1 document, with this server's address."""
    organisation = current_app.config["ORGANISATION_NAME"]
    # The values the filters accept today: the themes and years there are.
    known = statement_filter_form(MultiDict())
    themes, years = (
        [c.value for c in getattr(known, name).choices] for name in ("theme", "year")
    )
    statement_filters = [
        _query(
            "q",
            "Words to look for (full-text, French stemming): at least one word,"
            ' "a phrase" in quotes, -word to leave out.',
            _string(maxLength=200, pattern=r"^(?!.*\x00)(\s*$|.*\w)"),
        ),
        _query("theme", "Theme slug.", _string(enum=themes)),
        _query("arena", "Arena.", _string(enum=["", *_values(Arena)])),
        _query(
            "network",
            "Slug, or part of the name, of a lead or co-author network.",
            _string(maxLength=120, pattern=r"^[^\x00]*$"),
        ),
        _query(
            "family",
            "ESS family of a lead or co-author network.",
            _string(enum=["", *_values(EssFamily)]),
        ),
        _query(
            "department",
            "Département of a lead or co-author network.",
            _string(enum=["", *_values(Department)]),
        ),
        _query("year", "Year of publication.", _string(enum=years)),
    ]
    network_filters = [
        _query("q", "Part of the name.", _string(maxLength=200, pattern=r"^[^\x00]*$")),
        _query("family", "ESS family.", _string(enum=["", *_values(EssFamily)])),
        _query("department", "Département.", _string(enum=["", *_values(Department)])),
        _query("kind", "Kind of network.", _string(enum=["", *_values(NetworkKind)])),
    ]
    slug = _path("slug", _string())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['SITE_NAME']} open data",
            "version": "1.0.0",
            "description": (
                f"The advocacy statements published by {organisation} and its member"
                " networks: their versions, co-signatories and follow-ups, and the"
                " networks. Read-only, open to any origin. Errors are JSON objects"
                " with a message."
            ),
            "license": {
                "name": "Licence Ouverte / Open Licence 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
        "servers": [
            {
                "url": url_for("api.openapi", _external=True).removesuffix(
                    "/openapi.json"
                )
            }
        ],
        "paths": {
            "/statements": {
                "get": {
                    "operationId": "listStatements",
                    "summary": "Published statements, newest first",
                    "parameters": statement_filters + PAGING,
                    "responses": {
                        "200": _json(
                            _list_of("StatementItem"), "A page of statements."
                        ),
                        **ERRORS,
                    },
                }
            },
            "/statements/{slug}": {
                "get": {
                    "operationId": "getStatement",
                    "summary": "A statement with its versions, signatories and follow-ups",
                    "parameters": [slug],
                    "responses": {
                        "200": _json(_ref("Statement"), "The statement."),
                        **ERRORS,
                    },
                }
            },
            "/statements/{slug}/versions/{number}": {
                "get": {
                    "operationId": "getStatementVersion",
                    "summary": "One published version of a statement",
                    "parameters": [
                        slug,
                        _path("number", {"type": "integer", "minimum": 1}),
                    ],
                    "responses": {
                        "200": _json(_ref("Version"), "The version."),
                        **ERRORS,
                    },
                }
            },
            "/networks": {
                "get": {
                    "operationId": "listNetworks",
                    "summary": "The active member networks, by name",
                    "parameters": network_filters + PAGING,
                    "responses": {
                        "200": _json(_list_of("Network"), "A page of networks."),
                        **ERRORS,
                    },
                }
            },
            "/networks/{slug}": {
                "get": {
                    "operationId": "getNetwork",
                    "summary": "A network and the statements it co-wrote and co-signed",
                    "parameters": [slug],
                    "responses": {
                        "200": _json(_ref("NetworkDetail"), "The network."),
                        **ERRORS,
                    },
                }
            },
        },
        "components": {
            "schemas": _schemas(),
            "responses": {
                "BadRequest": _json(
                    _ref("Error"), "A parameter is wrong; the message says which."
                ),
                "NotFound": _json(
                    _ref("Error"), "Nothing at this address, or past the last page."
                ),
            },
        },
    }
