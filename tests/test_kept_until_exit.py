"""`kept_until_exit`: the command line keeps what loads leave behind instead of freeing it."""

from __future__ import annotations

from pathlib import Path

from icmap.loader import kept_until_exit, load_org

RETAIL = str(Path(__file__).parent.parent / "examples" / "retail" / "retail.yaml")


def test_loads_inside_the_block_keep_their_trees_and_outside_do_not() -> None:
    with kept_until_exit() as kept:
        result = load_org(RETAIL)
        assert result.org is not None
        assert len(kept) == 1
        # The retail org is six files: the main one and five included departments.
        assert len(kept[0].trees) == len(result.files) == 6
    load_org(RETAIL)
    assert len(kept) == 1  # the block is over: nothing more is kept


def test_nested_blocks_keep_into_the_innermost() -> None:
    with kept_until_exit() as outer:
        with kept_until_exit() as inner:
            load_org(RETAIL)
        load_org(RETAIL)
    assert (len(outer), len(inner)) == (1, 1)
