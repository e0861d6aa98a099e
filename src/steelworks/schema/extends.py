"""Files that extend other files by reference, and paths that resolve against the file naming them.

A user's works rarely needs its own copy of the bundled carriers or price deck: a file may say ::

    extends: steelworks:carriers.yaml        # the bundled file (src/steelworks/data/carriers.yaml)
    carriers:
      rebar: {name: Rebar, kind: material, unit: t, fe_frac: 0.98, c_frac: 0.002, source: "..."}
      scrap: {fe_frac: 0.94}                 # changes one field of a bundled carrier

and gets the bundled file with its own records merged in: mappings merge key by key (a record named
again changes only the fields it gives), anything else replaces. ``extends`` may name the bundled data
(``steelworks:<path under src/steelworks/data>``) or a file by a path relative to the extending file;
a chain of files may extend each other (a cycle is an error). The same works for plant files, scenarios,
price decks, option files and finance settings.

Paths inside a file (a scenario's ``plant:``, a plant's ``carriers_file:``, a scenario's economics
files) resolve against the file that names them, so a folder of files can be copied anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from steelworks.errors import InputError
from steelworks.schema.yamlio import LineMap, load_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUNDLED = "steelworks:"
EXTENDS = "extends"

#: fields that hold a file reference: (path in the document, bundled folder a bare name is looked up in)
PATH_FIELDS: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("scenario", "plant"), None),
    (("plant", "carriers_file"), None),
    (("scenario", "economics", "option"), "economics/options"),
    (("scenario", "economics", "prices"), "prices"),
    (("scenario", "economics", "finance"), "economics"),
)


def resolve_reference(ref: str, referrer: Path, *, field: str) -> Path:
    """The file a reference names: ``steelworks:<path>`` in the bundled data, else relative to ``referrer``."""
    if ref.startswith(BUNDLED):
        path = DATA_DIR / ref.removeprefix(BUNDLED)
    else:
        path = Path(ref) if Path(ref).is_absolute() else referrer.parent / ref
    if not path.is_file():
        raise InputError(
            f"'{ref}' names no file ({path})",
            file=str(referrer),
            location=field,
            allowed=f"a path relative to {referrer.name}, or '{BUNDLED}<file under the bundled data>'",
        )
    return path.resolve()


def _looks_like_file(value: str) -> bool:
    return value.startswith(BUNDLED) or value.endswith((".yaml", ".yml")) or "/" in value


def _anchor_paths(doc: dict[str, Any], file: Path) -> None:
    """Rewrite the file references of ``doc`` to absolute paths, resolved against ``file``."""
    for keys, _folder in PATH_FIELDS:
        node: Any = doc
        for key in keys[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(keys[-1]), str) and _looks_like_file(node[keys[-1]]):
            node[keys[-1]] = str(resolve_reference(node[keys[-1]], file, field=".".join(keys)))


def deep_merge(base: Any, over: Any) -> Any:
    """``over`` on top of ``base``: mappings merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = deep_merge(base[key], value) if key in base else value
        return out
    return over


def _own_anchor_nodes(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` in which the mappings that :func:`_anchor_paths` and ``extends`` change are its own
    (the top level and the parents of the file references); everything else is shared, not copied."""
    doc = dict(doc)
    for keys, _folder in PATH_FIELDS:
        node = doc
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                break
            node[key] = child = dict(child)
            node = child
    return doc


def load_layered(
    path: Path, _chain: tuple[Path, ...] = (), *, shared: bool = False
) -> tuple[Any, list[tuple[Path, LineMap]]]:
    """Read a file and the files it extends: (merged document, [(file, line map)] most specific first).

    With ``shared=True`` the document shares the parsed files' cached data instead of a deep copy: the
    caller must not change it in place (the scenario loader copies on write).
    """
    path = path.resolve()
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise InputError(f"files extend each other in a cycle: {cycle}", file=str(path), location=EXTENDS)
    doc, lines = load_yaml(path, shared=shared)
    if not isinstance(doc, dict):
        return doc, [(path, lines)]
    if shared:
        doc = _own_anchor_nodes(doc)
    _anchor_paths(doc, path)
    ref = doc.pop(EXTENDS, None)
    if ref is None:
        return doc, [(path, lines)]
    if not isinstance(ref, str):
        raise InputError(
            "'extends' must name one file", file=str(path), location=EXTENDS, allowed=f"{BUNDLED}carriers.yaml"
        )
    base_path = resolve_reference(ref, path, field=EXTENDS)
    base, layers = load_layered(base_path, (*_chain, path), shared=shared)
    return deep_merge(base, doc), [(path, lines), *layers]
