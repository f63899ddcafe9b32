"""Sections: how a text is split, and how ids survive later revisions."""

from advocacy.sections import Section, sections_of, split_sections

TEXT = """Préambule : l'ESS représente 15 000 établissements en région.

Deuxième paragraphe d'introduction.

# Constat

L'emploi dans l'ESS progresse.

```
# pas un titre, du code
```

# Propositions

- relocaliser les achats publics
- soutenir les PTCE

Financements
------------

Un fonds régional dédié."""


def ids(sections):
    return [s.id for s in sections]


def test_split_headings_and_leading_blocks():
    parts = split_sections(TEXT)
    assert [p.split("\n")[0] for p in parts] == [
        "Préambule : l'ESS représente 15 000 établissements en région.",
        "Deuxième paragraphe d'introduction.",
        "# Constat",
        "# Propositions",
        "Financements",
    ]
    assert "# pas un titre" in parts[2]  # a fence stays with its section


def test_a_list_split_by_blank_lines_stays_one_block():
    assert split_sections("- un\n\n- deux\n\n- trois\n\nFin.") == [
        "- un\n\n- deux\n\n- trois",
        "Fin.",
    ]


def test_an_unclosed_fence_runs_to_the_end():
    assert len(split_sections("Intro\n\n```\n# a\n\n# b")) == 2


def test_empty_text_has_no_section():
    assert split_sections("") == [] and split_sections("\n\n  \n") == []


def test_titles():
    first, *_rest, last = sections_of(TEXT)
    assert first.title.startswith("Préambule")
    assert last.title == "Financements"
    assert Section("s-1", "# Constat\n\nx").title == "Constat"


def test_unchanged_text_keeps_every_id():
    before = sections_of(TEXT)
    assert ids(sections_of(TEXT, before)) == ids(before)


def test_editing_a_section_in_place_keeps_its_id():
    before = sections_of(TEXT)
    edited = TEXT.replace(
        "L'emploi dans l'ESS progresse.",
        "L'emploi dans l'ESS progresse plus vite qu'ailleurs.",
    )
    after = sections_of(edited, before)
    assert ids(after) == ids(before)
    assert "plus vite" in after[2].text


def test_renaming_a_heading_keeps_its_id():
    before = sections_of(TEXT)
    after = sections_of(TEXT.replace("# Constat", "# État des lieux"), before)
    assert ids(after) == ids(before)


def test_inserting_a_section_gives_it_a_new_id():
    before = sections_of(TEXT)
    inserted = TEXT.replace(
        "# Propositions", "# Enjeux\n\nDes besoins nouveaux.\n\n# Propositions"
    )
    after = sections_of(inserted, before)
    assert len(after) == len(before) + 1
    assert ids(after)[:3] == ids(before)[:3] and ids(after)[4:] == ids(before)[3:]
    assert ids(after)[3] not in ids(before)


def test_deleting_a_section_keeps_the_others():
    before = sections_of(TEXT)
    deleted = TEXT.replace(
        "# Constat\n\nL'emploi dans l'ESS progresse.\n\n```\n# pas un titre, du code\n```\n\n",
        "",
    )
    after = sections_of(deleted, before)
    assert ids(after) == ids(before)[:2] + ids(before)[3:]


def test_reordering_sections_moves_their_ids():
    before = sections_of(TEXT)
    parts = [s.text for s in before]
    reordered = "\n\n".join([parts[0], parts[1], parts[4], parts[3], parts[2]])
    after = sections_of(reordered, before)
    assert ids(after) == [ids(before)[i] for i in (0, 1, 4, 3, 2)]


def test_a_rewritten_section_is_new():
    before = sections_of(TEXT)
    rewritten = TEXT.replace(
        "Un fonds régional dédié.", "Tout autre chose, sans rapport, écrit ici."
    )
    rewritten = rewritten.replace(
        "Financements\n------------", "Gouvernance\n-----------"
    )
    after = sections_of(rewritten, before)
    assert ids(after)[:4] == ids(before)[:4]
    assert ids(after)[4] not in ids(before)


def test_duplicate_sections_keep_distinct_ids():
    before = sections_of("Même texte.\n\nMême texte.")
    assert len(set(ids(before))) == 2
    after = sections_of("Même texte.\n\nMême texte.\n\nMême texte.", before)
    assert ids(after)[:2] == ids(before) and len(set(ids(after))) == 3
