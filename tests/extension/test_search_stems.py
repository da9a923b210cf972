"""Each edition's search index stems a word once per build (site/search_fr.py, StemsOnce):
Sphinx memoises its stems page by page only, and its Snowball stemmer is pure Python."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from snowballstemmer.basestemmer import BaseStemmer


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_word_on_many_pages_is_stemmed_once(make_app, project: Path, monkeypatch, language: str) -> None:
    for page in ("index.md", "article/one.md", "article/two.md"):
        with (project / page).open("a", encoding="utf-8") as text:
            text.write("\nthe turbines spin, turbines hum\n")
    stemmed: Counter[str] = Counter()
    stem_word = BaseStemmer.stemWord

    def counted(self: BaseStemmer, word: str) -> str:
        stemmed[word] += 1
        return stem_word(self, word)

    monkeypatch.setattr(BaseStemmer, "stemWord", counted)
    app = make_app("html", srcdir=project, freshenv=True, confoverrides={"language": language})
    app.build()
    assert stemmed["turbines"] == 1 and stemmed["hum"] == 1
