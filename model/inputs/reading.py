"""Reading a scenario file's text: strict, safe YAML whose every failure is one line naming the right line.

Planners type on Chinese keyboards: a key written with a full-width colon, ``revenue：``, is not a
key to YAML but part of a plain text, and the error it causes surfaces lines later. Before
parsing, :func:`fix_full_width_keys` turns such a colon into ``:`` where it is safe — only
after a key that starts a line, a list item or a flow entry, never inside quoted or block
text, nor in the text of ``name``, ``description``, ``note`` or ``source``. Keys are cleaned
after parsing (:func:`~model.inputs.units.normalise_key`); numbers are cleaned where they are
parsed (:mod:`.units`).
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

import yaml

from .errors import InputError
from .schema import MAX_FILE_BYTES
from .texts import TEXT_KEYS
from .units import normalise_key

MAX_KEY_FIX_PASSES = 50
MAX_DEPTH = 64  # lists and mappings nested deeper than this are no scenario or spec file
_KEY_HEAD = re.compile(r"[^\s:：#,\[\]{}'\"|>][^\n:：#,\[\]{}]*?[ \t]*：")
#: A key-like text with a full-width colon where a key may start: a line (after indentation and "- ") or a flow entry.
_MAYBE_KEY = re.compile(r"(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)" + _KEY_HEAD.pattern, re.MULTILINE)
_STRUCTURE = (yaml.KeyToken, yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.BlockEntryToken)


class StrictLoader(yaml.SafeLoader):
    """Safe YAML loading that also refuses duplicate keys (a typo must never pass silently) and cleans keys."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "keys must be plain text, not lists or mappings", key_node.start_mark)
        key = normalise_key(key) if isinstance(key, str) else key
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    return {normalise_key(k) if isinstance(k, str) else k: v for k, v in mapping.items()}


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class FastStrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """:class:`StrictLoader` on libyaml's parser (about 5× faster); a file it refuses is read again
    with :class:`StrictLoader`, whose messages name the slip."""


FastStrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _tokens(text: str) -> tuple[list, yaml.YAMLError | None]:
    """The tokens YAML reads from ``text``, up to its first error (returned too)."""
    tokens: list = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            tokens.append(token)
    except yaml.YAMLError as exc:
        return tokens, exc
    return tokens, None


def _in_key_position(text: str, start: int) -> bool:
    """True when a plain text at ``start`` begins a line (after indentation and ``- ``) or a flow entry."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if re.fullmatch(r"[ \t]*(?:-[ \t]+)*", before):
        return True
    return before.rstrip()[-1:] in ("{", ",")


def _is_prose_value(tokens: list, starts: list[int], start: int) -> bool:
    """True when the text at ``start`` is the value of a prose key (``description:`` then text on the next line).

    ``tokens`` are the file's tokens without the structural ones, ``starts`` their positions (sorted).
    """
    i = bisect.bisect_left(starts, start)
    return (i >= 2 and isinstance(tokens[i - 1], yaml.ValueToken) and isinstance(tokens[i - 2], yaml.ScalarToken)
            and tokens[i - 2].value in TEXT_KEYS)  # prose: a full-width colon in it is left alone


def fix_full_width_keys(text: str) -> str:
    """``text`` with the full-width colon after each key made ``:`` (``revenue：`` → ``revenue:``), where safe.

    A colon is fixed only in a plain (unquoted, non-block) text that starts a line, a list item or a
    flow entry and is not the value of a prose key; the rest of the file is untouched, so line
    numbers stay right.
    """
    for _ in range(MAX_KEY_FIX_PASSES):  # each pass reads on to the next error a fixed key had hidden
        if not _MAYBE_KEY.search(text):  # no key-like text ends in "：" (prose after "note:" does not)
            return text
        tokens, error = _tokens(text)
        plain = [t.start_mark.index for t in tokens if isinstance(t, yaml.ScalarToken) and t.plain]
        if getattr(error, "context", None) == "while scanning a simple key" and error.context_mark is not None:
            plain.append(error.context_mark.index)
        tokens = sorted((t for t in tokens if not isinstance(t, _STRUCTURE)), key=lambda t: t.start_mark.index)
        starts = [t.start_mark.index for t in tokens]
        colons = []
        for start in plain:
            head = _KEY_HEAD.match(text, start)
            if head and _in_key_position(text, start) and not _is_prose_value(tokens, starts, start):
                colons.append(head.end() - 1)
        if not colons:
            return text
        for at in sorted(set(colons), reverse=True):
            spaced = text[at + 1:at + 2] in ("", " ", "\t", "\r", "\n")
            text = text[:at] + (":" if spaced else ": ") + text[at + 1:]
    return text


def _where(mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


_OPENERS = {"while parsing a flow mapping": "the '{'", "while parsing a flow sequence": "the '['",
            "while scanning a quoted scalar": "the quote"}


def yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """What is wrong with the YAML, naming the line where the slip is (not where the parser gave up)."""
    problem = getattr(exc, "problem", None) or str(exc)
    mark, context, start = getattr(exc, "problem_mark", None), getattr(exc, "context", None), \
        getattr(exc, "context_mark", None)
    if context == "while scanning a simple key" and start is not None:
        return f"is not valid YAML: could not find the ':' after the key at {_where(start)}"
    if context in _OPENERS and start is not None and mark is not None and ("stream end" in problem
                                                                          or "end of stream" in problem):
        return f"is not valid YAML: {_OPENERS[context]} at {_where(start)} is never closed ({problem} at {_where(mark)})"
    if problem == "mapping values are not allowed here" and mark is not None:
        scalars = [t for t in _tokens(text)[0] if isinstance(t, yaml.ScalarToken) and t.plain]
        last = scalars[-1] if scalars else None
        if last is not None and last.start_mark.line < mark.line and last.end_mark.index <= mark.index:
            if _in_key_position(text, last.start_mark.index):
                return (f"is not valid YAML: could not find the ':' after the key at {_where(last.start_mark)} "
                        f"(its text runs on to line {mark.line + 1})")
            return (f"is not valid YAML: {problem} at {_where(mark)} (the text from {_where(last.start_mark)} "
                    "runs on to it: quote a text that holds ': ')")
    return f"is not valid YAML: {problem}" + (f" at {_where(mark)}" if mark else "")


def _nested_too_deeply(text: str) -> bool:
    """True when lists and mappings nest deeper than :data:`MAX_DEPTH` in ``text``, read from the parser's
    events (libyaml's parser keeps a stack; its composer recurses in C and would crash on such a file).
    A text that does not parse is left to the loaders, which say why."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=FastStrictLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return False
    return False


def read_yaml(path: Path, label: str, kind: str = "scenario file",
              sections: str = "name, description, users, revenue, …") -> dict:
    """The top-level mapping of one YAML file (a ``kind``: scenario file, spec file) with ``sections``;
    every failure as a one-line InputError."""
    def fail(problem: str, value: object = None, show: bool = False) -> InputError:
        return InputError(label, "(file)", problem, value, show=show)

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail(f"is a folder, not a {kind}") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"is too large for a {kind} ({len(data):,} bytes; limit {MAX_FILE_BYTES:,})")
    if b"\0" in data:
        raise fail("is a binary file, not YAML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("is not UTF-8 text") from None
    if not text.strip():
        raise fail("is empty")
    try:
        text = fix_full_width_keys(text)
        if _nested_too_deeply(text):
            raise fail(f"is nested too deeply to be a {kind}")
        try:
            content = yaml.load(text, Loader=FastStrictLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError:
            content = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - the same rules, precise messages
    except yaml.constructor.ConstructorError as exc:
        where = f" at line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        problem = exc.problem or "cannot be read"
        if "could not determine a constructor" in problem:
            tag = problem.split("tag ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            problem = f"YAML tags that build objects are not allowed: {tag}"
        raise fail(f"{problem}{where}") from None
    except RecursionError:
        raise fail(f"is nested too deeply to be a {kind}") from None
    except yaml.YAMLError as exc:
        raise fail(yaml_problem(exc, text)) from None
    if content is None:
        raise fail("is empty (only comments)")
    if not isinstance(content, dict):
        raise fail(f"must be a mapping of sections ({sections})", content, True)
    return content


__all__ = ["FastStrictLoader", "StrictLoader", "fix_full_width_keys", "yaml_problem", "read_yaml"]
