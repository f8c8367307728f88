"""Finding the org files that might include a file: its candidate roots.

An included file (a fragment) has no `icmap:` header and cannot be checked on its own. When a
user names one (a pre-commit hook passes just the file that changed), icmap looks for the org
files that include it. This module finds the candidates; `icmap.api.find_including_roots`
loads them and keeps those whose includes reach the fragment. The rule and its bounds are in
docs/ci.md.
"""

from __future__ import annotations

import os
import re

from icmap.loader.files import work_tree_root

#: Outside a git work tree, the search goes at most this many folders above the fragment's.
LEVELS_ABOVE = 3
#: At most this many org files are tried as roots, nearest first.
MOST_CANDIDATES = 50
# Only the start of a file is read to see whether it is an org file: the header comes first
# in every example, and a large file need not be read twice.
_HEAD_BYTES = 64 * 1024
_HEADER = re.compile(r"^[\"']?icmap[\"']?[ \t]*:", re.MULTILINE)


def has_header(path: str) -> bool:
    """True when the file starts an org (has a top-level `icmap:` key), not a fragment.

    Only its first 64 KiB are read; a file that cannot be read has no header.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return _HEADER.search(head.decode("utf-8", errors="replace")) is not None


def search_folders(path: str) -> list[str]:
    """The folders searched for the roots of the file at `path`, nearest first.

    Its own folder and each one above it, up to the root of the git work tree holding it;
    outside a work tree, at most `LEVELS_ABOVE` folders above its own.
    """
    folder = os.path.dirname(os.path.abspath(path))
    top = work_tree_root(folder)
    folders = [folder]
    while folder != top and (top is not None or len(folders) <= LEVELS_ABOVE):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folders.append(parent)
        folder = parent
    return folders


def candidate_roots(path: str) -> list[str]:
    """Org files that might include the file at `path`: nearest first, at most `MOST_CANDIDATES`.

    The `*.yaml` and `*.yml` files (not hidden) directly in each folder of `search_folders`
    that have an `icmap:` header, other than the file itself. Named relative to the working
    directory when `path` is relative, as the user would type them.
    """
    own = os.path.realpath(path)
    found: list[str] = []
    for folder in search_folders(path):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                continue
            candidate = os.path.join(folder, name)
            if os.path.realpath(candidate) == own or not os.path.isfile(candidate):
                continue
            if has_header(candidate):
                found.append(candidate if os.path.isabs(path) else os.path.relpath(candidate))
                if len(found) == MOST_CANDIDATES:
                    return found
    return found
