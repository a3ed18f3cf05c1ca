"""Telling person names, placeholders and unit names apart (rules over ``lexicon/`` word lists).

Every function reads simplified text (see :mod:`civicnlp.extractors.script`); callers slice
the original text at the same offsets.
"""

from __future__ import annotations

from functools import cache

import regex

from civicnlp.lexicon import load_lines

__all__ = [
    "PLACEHOLDER",
    "is_person_name",
    "is_placeholder",
    "looks_like_unit",
    "strip_title",
    "surname_len",
    "titles",
    "unit_suffixes",
]

# an anonymized name: xxx, XXX, ×××, 某某, 张某, 王XX, ＸＸ
PLACEHOLDER = regex.compile(r"(?:[xXｘＸ×╳＊*○〇]{2,5}|某某|[\p{Han}](?:某某?|[xXｘＸ×]{1,3}))(?![\p{Han}a-zA-Z])")
_PLACEHOLDER_ONLY = regex.compile(r"^(?:[xXｘＸ×╳＊*○〇]{2,5}|某某|\p{Han}(?:某某?|[xXｘＸ×]{1,3}))$")
_PLACEHOLDER_CHAR = regex.compile(r"[xXｘＸ×╳＊*○〇]{2}|某")
# characters that do not occur after the surname in a personal name (unit, title and function words)
_NOT_IN_NAME = set(
    "办局委区市县镇乡街部厅处科所站队组会院司府室省级副总务的与及在对是了等各有关要们这那其门位业作导单员"
    "记任书席领社团联岗点同营管执法和为把将被从就也都并或而但又即让使由于以之所其此该每第"
)
_HAN = regex.compile(r"^\p{Han}+$")
_HAN_FIRST = regex.compile(r"^\p{Han}")


@cache
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = load_lines("surnames.txt")
    single = frozenset(w for w in words if len(w) == 1)
    compound = frozenset(w for w in words if len(w) == 2)
    return single, compound


@cache
def _not_names() -> frozenset[str]:
    return frozenset(load_lines("not_names.txt"))


@cache
def titles() -> tuple[str, ...]:
    """Titles, longest first."""
    return tuple(sorted(set(load_lines("titles.txt")), key=len, reverse=True))


@cache
def unit_suffixes() -> tuple[str, ...]:
    """Unit name endings, longest first."""
    return tuple(sorted(set(load_lines("unit_suffixes.txt")), key=len, reverse=True))


def surname_len(name: str) -> int:
    """Length of the surname that ``name`` starts with (2 for 欧阳 …), 0 when none."""
    single, compound = _surnames()
    if name[:2] in compound:
        return 2
    return 1 if name[:1] in single else 0


def is_placeholder(name: str) -> bool:
    """Whether ``name`` is anonymized (xxx, ×××, 某某, 张某, 王XX)."""
    return bool(_PLACEHOLDER_CHAR.search(name)) and len(name) <= 6


def is_person_name(name: str, *, placeholder_ok: bool = True) -> bool:
    """Whether ``name`` (simplified) reads as a personal name: a surname and one or two more
    characters that are not unit or function words, or a placeholder."""
    if placeholder_ok and _PLACEHOLDER_ONLY.match(name):
        # xxx / 某某 stand alone; 张某 / 王XX need a surname before the mask
        if name.startswith("某") or not _HAN_FIRST.match(name):
            return True
        return bool(surname_len(name))
    if not _HAN.match(name) or name[:2] in _not_names():
        return False
    s = surname_len(name)
    if not s or not (s + 1 <= len(name) <= s + 2):
        return False
    return not any(ch in _NOT_IN_NAME for ch in name[s:])


def looks_like_unit(name: str) -> bool:
    """Whether ``name`` (simplified) reads as the name of a unit or a collective of units."""
    name = name.strip()
    if len(name) < 2:
        return False
    if name.startswith(("各", "有关", "相关", "全体")):
        return True
    return name.endswith(unit_suffixes())


def strip_title(name: str) -> tuple[str, str | None, int]:
    """Split a title off a name cell: ``副镇长王明`` / ``王明副镇长`` → (``王明``, ``副镇长``, offset
    of the name in the input)."""
    for t in titles():
        if name.startswith(t) and is_person_name(name[len(t) :]):
            return name[len(t) :], t, len(t)
        if name.endswith(t) and is_person_name(name[: -len(t)]):
            return name[: -len(t)], t, 0
    return name, None, 0
