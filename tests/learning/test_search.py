"""Lesson search: hits with escaped, highlighted snippets; no hits; hostile FTS5 syntax never escapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcdesk.learning.search import SearchError, fts_query, marked_html, search
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import Store
from tests.conftest import minimal_source

DL = "org.mcdesk.samples.digital-literacy"


@pytest.fixture
def samples(manager: PackManager) -> PackManager:
    install_samples(manager.home, manager)
    return manager


def test_a_word_finds_the_lesson_about_it_first_with_a_highlighted_snippet(samples: PackManager,
                                                                           store: Store) -> None:
    hits = search(store, "password")
    assert hits[0].pack_id == DL and hits[0].lesson_id == "passwords-and-accounts"
    assert hits[0].title == "Passwords and accounts" and hits[0].pack_title == "Digital Literacy Essentials"
    assert "<b>password</b>" in hits[0].snippet.lower()
    assert hits[0].match.lower().startswith("password")
    assert len({(h.pack_id, h.lesson_id) for h in hits}) == len(hits) > 1


def test_the_last_word_matches_as_a_prefix_while_typing(samples: PackManager, store: Store) -> None:
    hits = search(store, "passw")
    assert hits and hits[0].lesson_id == "passwords-and-accounts"
    assert hits[0].match.lower().startswith("passw")


def test_every_word_must_occur(samples: PackManager, store: Store) -> None:
    both = search(store, "strong passwords")
    assert [h.lesson_id for h in both] == ["passwords-and-accounts"]
    assert search(store, "passwords zebra") == []


def test_diacritics_and_case_do_not_matter(samples: PackManager, store: Store) -> None:
    assert [h.lesson_id for h in search(store, "PÁSSWORDS STRÔNG")] == ["passwords-and-accounts"]


def test_no_hits_is_an_empty_list(samples: PackManager, store: Store) -> None:
    assert search(store, "xylophonezzz") == []
    assert search(store, "") == []
    assert search(store, "   \t ") == []
    assert search(store, "?!…") == []  # no letters or digits at all


@pytest.mark.parametrize("text", [
    '"', '""', '"password', 'pass"word', "NEAR(password strong)", "NEAR(", "password NEAR/2 strong", "*",
    "password*", "**", "(((", ")", "(password OR", "password AND", "AND", "OR", "NOT password", "^password",
    "title:password", "body : x", "{title body}: password", "-password", "+password", "'", "password'; DROP TABLE x;--",
    "\x00", "a\x00b", "\x02\x03", "🔒 password", "[password]", "password)" * 50, "x " * 500,
])
def test_hostile_fts_syntax_is_searched_as_plain_words(samples: PackManager, store: Store, text: str) -> None:
    hits = search(store, text)
    assert isinstance(hits, list)
    for hit in hits:
        assert hit.snippet.count("<b>") == hit.snippet.count("</b>")


def test_operators_are_words_not_syntax(samples: PackManager, store: Store) -> None:
    assert search(store, "password OR zebra") == []  # OR is a word to find, not "either"
    assert search(store, "password*") == search(store, "password")


def test_the_query_quotes_every_word_and_prefixes_the_last() -> None:
    assert fts_query('strong pass"word') == '"strong" "pass""word"*'
    assert fts_query("NEAR(a b)") == '"NEAR(a" "b)"*'
    assert fts_query("* ( ) ^") == ""
    assert fts_query("a\x00b") == '"a" "b"*'  # a NUL would end an FTS5 string early
    assert len(fts_query("word " * 100).split()) == 12


def test_snippets_escape_lesson_text_and_only_the_marks_become_bold(manager: PackManager, store: Store,
                                                                    tmp_path: Path, trusted_key) -> None:
    src = minimal_source(tmp_path / "src")
    (src / "lessons" / "01.md").write_text(
        "# Tags\n\nWrite `<script>alert('zebra')</script>` & <b>zebra</b> never runs.\n", encoding="utf-8")
    manager.install(build_pack(src, trusted_key, tmp_path / "tags.mcpack").path)
    [hit] = search(store, "zebra")
    assert "<script" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    assert hit.snippet.count("<b>zebra</b>") == 2
    assert hit.snippet.replace("<b>", "").replace("</b>", "").count("<") == 0


def test_marks_become_balanced_bold_even_when_unbalanced() -> None:
    assert marked_html("a \x02b\x03 <c>") == "a <b>b</b> &lt;c&gt;"
    assert marked_html("\x02open") == "<b>open</b>"
    assert marked_html("stray\x03 \x02\x02x\x03") == "stray <b>x</b>"


def test_a_removed_pack_is_no_longer_found(samples: PackManager, store: Store) -> None:
    samples.remove(DL)
    assert all(h.pack_id != DL for h in search(store, "password"))


def test_the_limit_caps_the_hits(samples: PackManager, store: Store) -> None:
    assert len(search(store, "the", limit=3)) == 3
    assert len(search(store, "the", limit=0)) == 1


def test_a_missing_index_is_reported_not_crashed(samples: PackManager, store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("DROP TABLE lesson_search")
    with pytest.raises(SearchError, match="cannot be searched") as info:
        search(store, "password")
    assert info.value.hint
