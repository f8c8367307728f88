"""Making text a user wrote safe to print: in a terminal or log, on a report line, in Markdown.

Every writer that prints a path, a message or a name goes through one of these, so a file
name with a newline cannot forge a line (`::error …`), an escape sequence cannot recolour a
terminal, a bidirectional control cannot reorder what a reviewer reads (Trojan Source), and
a name cannot become a link or HTML in a Markdown report.
"""

from __future__ import annotations

import re

#: Unicode's explicit bidirectional controls: embeddings and overrides (U+202A–U+202E),
#: isolates (U+2066–U+2069), and the marks (U+200E, U+200F, U+061C).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

_BIDI_CLASS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# C0 controls (newline, CR, ESC…), DEL, C1 controls (NEL…), and the Unicode line and
# paragraph separators, which some terminals and viewers also break lines at.
_CONTROL_CLASS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_UNSAFE = re.compile(f"[{_CONTROL_CLASS}{_BIDI_CLASS}]")
_CONTROL = re.compile(f"[{_CONTROL_CLASS}]")
_BIDI = re.compile(f"[{_BIDI_CLASS}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LEGACY_COMMAND = "##["
_LINE_COMMAND = re.compile(r"(^|\s)::")

# Characters that start Markdown syntax inline (emphasis, code, links, HTML, tables,
# strikethrough, math, entities, @mentions); all are ASCII punctuation, which CommonMark
# lets us escape with a backslash. `:` too: `https\://x` is no autolink (GFM's extended
# autolinks start at `scheme:`), nor are `mailto:` and `xmpp:`.
_ACTIVE = re.compile(r"([\\`*_{}\[\]<>|~!#&$@:])")
# GFM links `www.` without a scheme; an escaped dot is not one.
_WWW = re.compile(r"(?i)(www)\.")
# What may come just before the `@` of an address GFM would link.
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9.+_-]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """Text to print on one line of a terminal or a log (a path, a message).

    Control characters, line separators and bidirectional controls are written as visible
    escapes (`\\n`, `\\x1b`, `\\u202e`), and so is the `[` of `##[` (see
    `no_log_command`); everything else stays as it is.
    """
    if _UNSAFE.search(text) is None:  # the common case, kept cheap
        return no_log_command(text)
    return no_log_command(_UNSAFE.sub(_visible, text))


def no_log_command(text: str) -> str:
    """Text in which a CI log sees no command. GitHub Actions obeys the legacy `##[error]…`
    form *anywhere* in a line, so its `[` is written `\\x5b`; and `::error …` at the start
    of a line even after spaces, so a `::` that begins the text or follows a space (where a
    wrapped line may begin) has its first `:` written `\\x3a`."""
    if _LEGACY_COMMAND in text:
        text = text.replace(_LEGACY_COMMAND, "##\\x5b")
    if "::" in text:
        text = _LINE_COMMAND.sub(r"\1\\x3a:", text)
    return text


def shown_path(path: str) -> str:
    """A file name to print at the start of a line: `shown`, and a relative name that
    would begin the line with `::` (a GitHub workflow command, even after spaces) as
    `./::…`, the same file."""
    return shown("./" + path if path.lstrip().startswith("::") else path)


def shown_line(text: str) -> str:
    """A message on one line of a terminal or log: its line breaks as spaces (a YAML error
    spans lines), any other control character as `shown` writes it."""
    return shown(" ".join(text.splitlines()))


def one_line(text: str) -> str:
    """User text for one line of a report: control characters and line separators as
    spaces, bidirectional controls removed, no space at either end, no CI log command."""
    return no_log_command(_one_line(text))


def _one_line(text: str) -> str:
    if _UNSAFE.search(text) is None:
        return text.strip()
    return _CONTROL.sub(" ", _BIDI.sub("", text)).strip()


def _markdown_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "@" and _EMAIL_LOCAL.match(match.string, max(match.start() - 1, 0)):
        # GFM links `name@host.tld` after parsing, on the merged text, so escaping `@` is
        # not enough: an empty HTML comment before it splits the text, and shows nothing.
        return "<!-- -->\\@"
    return "\\" + char


def markdown_inline(text: str) -> str:
    """User text as literal Markdown on one line: no syntax, no HTML, no autolink."""
    # `#` and `[` are escaped there already, so no `##[` is left for a CI log either.
    return _WWW.sub(r"\1\\.", _ACTIVE.sub(_markdown_escape, _one_line(text)))
