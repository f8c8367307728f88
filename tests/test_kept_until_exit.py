"""`kept_until_exit`: the command line keeps big objects until it exits instead of freeing
them one by one; a library caller gets its memory back as usual."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from icmap.cli.lifetime import keep, kept_until_exit
from icmap.loader import load_org

RETAIL = str(Path(__file__).parent.parent / "examples" / "retail" / "retail.yaml")


class _Big:
    """Something with a weak reference, to see whether it was freed."""


def test_keep_holds_objects_inside_the_block_and_nothing_outside_it() -> None:
    with kept_until_exit() as kept:
        inside = _Big()
        keep(inside)
    outside = _Big()
    keep(outside)  # no block: does nothing
    inside_ref, outside_ref = weakref.ref(inside), weakref.ref(outside)
    del inside, outside
    gc.collect()
    assert inside_ref() is not None and kept == [inside_ref()]
    assert outside_ref() is None


def test_a_load_given_keep_keeps_every_file_tree_and_the_loader_knows_nothing_of_it() -> None:
    with kept_until_exit() as kept:
        result = load_org(RETAIL, on_tree=keep)
        assert result.org is not None
        # The retail org is six files: the main one and five included departments.
        assert len(kept) == len(result.files) == 6
    load_org(RETAIL, on_tree=keep)
    assert len(kept) == 6  # the block is over: nothing more is kept
    import icmap.loader

    assert not hasattr(icmap.loader, "keep")


def test_nested_blocks_keep_into_the_innermost() -> None:
    with kept_until_exit() as outer:
        with kept_until_exit() as inner:
            keep("a")
        keep("b")
    assert (outer, inner) == (["b"], ["a"])


def test_checking_many_files_keeps_only_the_last_files_tree(tmp_path: Path) -> None:
    from icmap.cli.check import _check_all

    paths = []
    for n in range(3):
        path = tmp_path / f"org{n}.yaml"
        path.write_text(
            f"icmap: 1\norganization: Org {n}\nexternal_customers:\n  - id: c\n",
            encoding="utf-8",
        )
        paths.append(str(path))
    with kept_until_exit() as kept:
        results = _check_all(paths)
    assert [r.path for r in results] == paths
    # The last file's YAML tree and its result; the first two files' were freed.
    from icmap.yamlsource import Node

    trees = [k for k in kept if isinstance(k, Node)]
    assert len(trees) == 1
    assert results[-1] in kept and results[0] not in kept
