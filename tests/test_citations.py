"""Every citation key used in the data's ``source:``/``sources:`` strings resolves in a references file.

What counts as a citation key in a source string (the convention of the bundled data):

- ``[Sn]``: a numbered key of ``data/economics/references.yaml`` (economics and prices);
- an author-year key, a capitalised word ending in two digits: ``Vogl18``, ``IEAGHG13``, ``Agora23``;
- a hyphenated key, ``Word-word`` (``PSM-tpp``, ``WS-coprod``, ``Pellet-web``), where it opens the string
  or a clause (after ``(``, ``;``, ``/``, ``,`` or ``via``) and is followed by ``:``, ``;``, ``,``, ``)``,
  `` (`` or `` /`` or ends the string - so "Cross-check: ..." after a full stop or "BF-BOF works" in
  prose are not taken for keys.

Single-word keys (``GSE``, ``Sydney``) cannot be told from prose and are not checked here.
Both references files are merged: a plant file may cite an economics key and the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "src" / "steelworks" / "data"
REFERENCE_FILES = (DATA / "references.yaml", DATA / "economics" / "references.yaml")

_LEAD = r"(?:^|[(;/,]\s*|\bvia\s+)"
_TRAIL = r"(?=\s*(?:[:;,)]|\s\(|\s/|$))"
KEY_PATTERNS = (
    re.compile(r"\[(S\d+)\]"),
    re.compile(r"\b([A-Z][A-Za-z]*\d{2})\b"),
    re.compile(_LEAD + r"([A-Z][A-Za-z]*(?:-[A-Za-z0-9]+)+)" + _TRAIL),
)


def reference_keys() -> set[str]:
    keys: set[str] = set()
    for path in REFERENCE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = data.get("references", data)
        for key, entry in entries.items():
            assert isinstance(entry, dict) and len(str(entry.get("citation", ""))) > 10, (
                f"{path.name}: {key} has no citation text"
            )
            keys.add(str(key))
    return keys


def source_strings(node: Any, in_source: bool = False) -> Iterator[str]:
    """Every string under a ``source`` or ``sources`` key (or ``*_source``), at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = in_source or key in ("source", "sources") or str(key).endswith("_source")
            yield from source_strings(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from source_strings(item, in_source)
    elif isinstance(node, str) and in_source:
        yield node


def cited_keys(text: str) -> set[str]:
    return {m.group(1) for pattern in KEY_PATTERNS for m in pattern.finditer(text)}


def data_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*.yaml") if p.name != "references.yaml")


def test_the_key_pattern_finds_the_keys_and_not_the_prose() -> None:
    assert cited_keys("Vogl18 / Agora23: 2 kg/t") == {"Vogl18", "Agora23"}
    assert cited_keys("estimate: 100-150 kg/t (WS-coprod: EAF co-products ~200 kg/t)") == {"WS-coprod"}
    assert cited_keys("PSM-tpp (3 x 55 MW); [S17], [S3][S4]") == {"PSM-tpp", "S17", "S3", "S4"}
    assert cited_keys("restore the BF-BOF works. Cross-check: Eastern-European norm") == set()


def test_every_cited_key_resolves_in_a_references_file() -> None:
    known = reference_keys()
    unresolved: dict[str, set[str]] = {}
    n_cited = 0
    for path in data_files():
        for text in source_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for key in cited_keys(text):
                n_cited += 1
                if key not in known:
                    unresolved.setdefault(key, set()).add(str(path.relative_to(DATA)))
    assert n_cited > 200  # the walk reaches the sources (the bundled data cite ~250 keys)
    assert not unresolved, (
        "citation keys used in source strings but not in data/references.yaml or "
        f"data/economics/references.yaml: { {k: sorted(v) for k, v in sorted(unresolved.items())} }"
    )
