"""Responsible units, lead officials and people.

Units and officials are the names in the document's responsibility notes
(:mod:`civicnlp.extractors.notes`, parsed once), de-duplicated by name with the first
mention's span. People are names joined to a title or a role (GOLD.md, "People"):

- name + title: ``叶展书记``, ``市委李建成书记``, ``xxx副书记``;
- title + name: ``乡长苏文赐同志``, ``省委书记XXX同志``, ``纪委副书记郑旭、``;
- label + colon + names: ``组长：王明、李强``, ``护林员负责人:赵国华``;
- name + 任/为/担任/兼任 + (办公室) role or title: ``周翔同志任主任``, ``由李明任组长``,
  ``王某某为办公室副主任``, ``分管领导张红梅为副组长`` (after a boundary, a title or a cue);
  role + 由 + name + 担任: ``组长由王明同志担任``.

A name is a surname (``lexicon/surnames.txt``: the 百家姓 with its compound surnames, less those
that are everyday function words) and one or two characters that are not unit or function
words, or a placeholder (xxx, ×××, 某某); place and unit words (高新区, 文明办) never pass. ``签发人：``
and ``联系人：`` name no people, and ``同志`` is not a title.
"""

from __future__ import annotations

import re
from functools import cache

import regex

from civicnlp.document import Official, Person, Unit
from civicnlp.extractors.context import Context
from civicnlp.extractors.names import is_person_name, is_placeholder, strip_title, titles
from civicnlp.extractors.notes import notes_of
from civicnlp.extractors.script import simplified
from civicnlp.lexicon import load_lines

__all__ = ["extract_officials", "extract_people", "extract_units", "find_people"]

# characters that, right after a title, make it part of a longer word (市长热线, 城市长效, 书记处)
_AFTER_TITLE_BAD = set("效期远久城沙江春度处科信热助单级制们办室会")
# characters before a name that end a unit or a function word (市委李建成书记, 由王明同志任组长)
_BEFORE_NAME_OK = set("委府局办部厅处科所站队组会院司镇乡村区县市省道由请和与及同是经向对将把让在叫")
_VERB_END = set("以在和与同请向对把将了即的")
_VERBS_BEFORE = ("贯彻", "学习", "落实", "深入", "认真", "遵照", "遵循", "按照", "根据", "传达", "聆听", "陪同")
_PLACEHOLDER_END = regex.compile(r"(?:[xXｘＸ×＊*○〇]{2,5}|某某)$")
_SURNAME_MASK = regex.compile(r"\p{Han}(?:某某?|[xXｘＸ×]{1,3})(?![xXｘＸ×])")
_PLACEHOLDER_START = regex.compile(r"^(?:[xXｘＸ×＊*○〇]{2,5}|某某)")
# what may stand between 任/为 and a role: 任办公室主任, 为领导小组办公室副主任
# the place a title belongs to, between 任 and the title: 任东关镇镇长, 任xx镇镇长
_PLACE = r"(?:\p{Han}|[xXｘＸ×]){1,4}?(?:镇|乡|街道|县|区|市)"
_ROLE_PREFIX = r"(?:领导小组|指挥部|工作专班)?(?:办公室)?"
_NOT_PEOPLE_LABELS = ("签发人", "联系人", "审核人", "记录人", "填表人", "经办人", "审批人", "申请人", "报送人")


# plain word alternations are compiled with ``re``, which scans them several times faster than
# ``regex`` (same matches: no syntax that the two read differently)
@cache
def _title_re() -> re.Pattern[str]:
    return re.compile("|".join(map(regex.escape, titles())))


@cache
def _roles() -> tuple[str, ...]:
    return tuple(sorted(set(load_lines("roles.txt")), key=len, reverse=True))


@cache
def _after_name() -> tuple[str, ...]:
    return tuple(sorted(set(load_lines("after_name.txt")), key=len, reverse=True))


@cache
def _label_re() -> re.Pattern[str]:
    words = sorted(set(titles()) | set(_roles()), key=len, reverse=True)
    alt = "|".join("[ \u3000]?".join(map(regex.escape, w)) for w in words)
    return re.compile(rf"(?:{alt})[ \u3000]*[：:][ \u3000]*")


@cache
def _assign_re() -> regex.Pattern[str]:
    roles = "|".join(map(regex.escape, sorted(set(_roles()) | set(titles()), key=len, reverse=True)))
    return regex.compile(rf"(?:同志)?(?:担任|任|为)(?:第一)?(?P<role>{roles})")


_LABEL_CUT = regex.compile(r"[ \u3000：:]")
_LABEL_END = regex.compile(r"[\n。；;（(]")
_LABEL_NAME = regex.compile(r"[^、，,\s]+")
_HAN_CHAR = regex.compile(r"\p{Han}")
# 任/为, which every assignment (``_assigned_re``) holds 2 to 8 characters after its start
_ASSIGN_VERB = re.compile("[任为]")
_ASSIGN_REACH = range(2, 9)
# the next name of a list that shares the title before the first: 副县长王明、李强
_LIST_NEXT = regex.compile(r"[、和及]")
_ORGAN_TITLES = frozenset({"书记", "副书记"})


@cache
def _role_by_re() -> regex.Pattern[str]:
    """role 由 name 担任: ``组长由王明同志担任``."""
    roles = "|".join(map(regex.escape, _roles()))
    ttl = _title_re().pattern
    return regex.compile(rf"(?P<role>{roles})由(?:{ttl})?(?P<name>\p{{Han}}{{2,3}}?|[xX×]{{2,5}})(?:同志)?担任")


@cache
def _assigned_re() -> regex.Pattern[str]:
    """name (同志) 任/为/担任 (办公室) role or title: ``周翔同志任主任``."""
    words = "|".join(map(regex.escape, sorted(set(_roles()) | set(titles()), key=len, reverse=True)))
    ttls = "|".join(map(regex.escape, titles()))
    return regex.compile(
        rf"(?P<name>\p{{Han}}[xXｘＸ×]{{1,3}}|\p{{Han}}{{2,3}}?|[xXｘＸ×]{{2,5}})(?P<tz>同志)?(?:(?:兼任|担任|任|为)|[,，](?:担任|任))(?:第一|常务)?"
        rf"(?:(?P<place>{_PLACE})(?=(?:{ttls})[,，。；;\s]))?(?P<pre>{_ROLE_PREFIX})(?P<role>{words})"
    )


def _assignments(shadow: str) -> list[regex.Match[str]]:
    """Every match of ``_assigned_re`` at every start, overlapping ones too, in start order.

    The same as ``finditer(shadow, overlapped=True)``, but tried only at the starts that a 任/为
    2 to 8 characters on allows (a name of 2–5, 同志, 兼/担 before the verb)."""
    starts = sorted({p - k for m in _ASSIGN_VERB.finditer(shadow) for p in (m.start(),) for k in _ASSIGN_REACH})
    pat = _assigned_re()
    out = []
    for st in starts:
        if st >= 0 and (m := pat.match(shadow, st)) is not None:
            out.append(m)
    return out


def _name_may_start(shadow: str, i: int) -> bool:
    """Whether a name may start at ``i``: after a boundary (see :func:`_boundary_before`), or
    right after a title or a lead-official cue (镇长李兵, 民政分管领导桑媛媛)."""
    return _boundary_before(shadow, i) or shadow.endswith(_name_openers(), 0, i)


@cache
def _name_openers() -> tuple[str, ...]:
    return tuple(sorted(set(titles()) | set(load_lines("official_cues.txt")), key=len, reverse=True))


def _boundary_before(shadow: str, i: int) -> bool:
    if i <= 0:
        return True
    ch = shadow[i - 1]
    return not _HAN_CHAR.match(ch) or ch in _BEFORE_NAME_OK


def _name_after(shadow: str, e: int) -> int | None:
    """End of a person name starting at ``e`` (placeholder, or 2–4 characters ending where a
    boundary or a word that follows names begins), or None."""
    m = _PLACEHOLDER_START.match(shadow[e : e + 6])
    if m:
        return e + m.end()
    m = _SURNAME_MASK.match(shadow, e)
    if m and is_person_name(m.group()):
        return m.end()  # 周某某, 王XX: the mask ends the name
    for n in (2, 3, 4):
        cand = shadow[e : e + n]
        if len(cand) < n or not is_person_name(cand, placeholder_ok=False):
            continue
        nxt = shadow[e + n : e + n + 1]
        if not nxt or not _HAN_CHAR.match(nxt) or shadow.startswith(_after_name(), e + n):
            return e + n
    return None


def _name_before(shadow: str, t: int) -> int | None:
    """Start of a person name that ends at ``t`` (just before a title), or None."""
    m = _PLACEHOLDER_END.search(shadow[max(0, t - 6) : t])
    if m:
        start = max(0, t - 6) + m.start()
        if start > 0 and is_person_name(shadow[start - 1 : t]):
            return start - 1  # 王某某书记
        return start
    for n in (3, 2, 4):
        s = t - n
        if s < 0:
            continue
        if is_person_name(shadow[s:t], placeholder_ok=False) and _boundary_before(shadow, s):
            return s
    # after a verb (学习贯彻习近平总书记): three characters that read as a name while their
    # last two do not
    s = t - 3
    if (
        s >= 1
        and (shadow[s - 1] in _VERB_END or shadow[max(0, s - 2) : s] in _VERBS_BEFORE)
        and is_person_name(shadow[s:t], placeholder_ok=False)
        and not is_person_name(shadow[s + 1 : t])
    ):
        return s
    return None


def _organ_before(shadow: str, t: int) -> str:
    """An organ's short name (``X委``, ``XX委``) that opens a title ending at ``t``, after a list
    comma or a line start (``……、农工委书记``), else ``""``."""
    for n in (3, 2):
        s = t - n
        if (
            s >= 0
            and shadow[t - 1] == "委"
            and _HAN_CHAR.match(shadow[s])
            and (s == 0 or shadow[s - 1] in "、，,\n 　")
        ):
            return shadow[s:t]
    return ""


def _surface(text: str, shadow: str, title: str, s: int, e: int) -> str:
    """``title`` as written in ``text``: found in the shadow span ``s:e`` (or near it), sliced
    from the original text at the same offsets (縣長 stays 縣長)."""
    i = shadow.find(title, max(0, s - 8), min(len(shadow), e + 8))
    return text[i : i + len(title)] if i >= 0 else title


def find_people(text: str, *, shadow: str | None = None) -> list[Person]:
    """Every person joined to a title or role in ``text`` (see the module docstring);
    ``shadow`` is ``simplified(text)`` when the caller has it."""
    if shadow is None:
        shadow = simplified(text)
    found: dict[tuple[int, int], Person] = {}

    def add(ns: int, ne: int, title: str | None, role: str | None, s: int, e: int) -> None:
        name = text[ns:ne]
        if title is not None:
            title = _surface(text, shadow, title, s, e)
        if (ns, ne) in found and role is not None and found[(ns, ne)].role is None:
            old = found[(ns, ne)]
            found[(ns, ne)] = Person(old.name, old.title, role, old.text, old.start, old.end, old.placeholder)
            return
        if any(a <= ns < b or ns <= a < ne for a, b in found):
            return
        after = _assign_re().match(shadow, e)
        if role is None and after:
            role = after.group("role")
        found[(ns, ne)] = Person(name, title, role, text[s:e], s, e, is_placeholder(shadow[ns:ne]))

    # label: names — 组长：王明、李强
    for m in _label_re().finditer(shadow):
        before = shadow[max(0, m.start() - 3) : m.start() + 3]
        if any(w in before for w in _NOT_PEOPLE_LABELS):
            continue
        label = _LABEL_CUT.sub("", m.group())
        pos = m.end()
        end = _LABEL_END.search(shadow, pos)
        stop = end.start() if end else len(shadow)
        for piece in _LABEL_NAME.finditer(shadow[pos:stop]):
            a, b = pos + piece.start(), pos + piece.end()
            bare, ttl, off = strip_title(shadow[a:b])
            if not is_person_name(bare):
                break
            is_role = label in _roles()
            add(a + off, a + off + len(bare), ttl or (None if is_role else label), label if is_role else None, a, b)
    # name + title, title + name
    for m in _title_re().finditer(shadow):
        t, e = m.start(), m.end()
        title = m.group()
        nxt = shadow[e : e + 1]
        if nxt in _AFTER_TITLE_BAD:
            continue
        s = _name_before(shadow, t)
        if s is not None:
            add(s, t, title, None, s, e)
        k = e
        while k < len(shadow) and shadow[k] in " \u3000":
            k += 1
        ne = _name_after(shadow, k)
        if ne is not None and _assign_re().match(shadow, k):
            ne = None  # 副镇长任主任: 任 opens an assignment, not a name
        if ne is not None and not shadow.startswith(("：", ":"), e):
            if title in _ORGAN_TITLES:
                title = _organ_before(shadow, t) + title  # 农工委书记: the organ belongs to the title
            add(k, ne, title, None, t, ne)
            # a title shared across a list: 副县长王明、李强任副组长
            while (nxt_m := _LIST_NEXT.match(shadow, ne)) is not None:
                a = nxt_m.end()
                b = _name_after(shadow, a)
                if b is None or _assign_re().match(shadow, a) or shadow.startswith(titles(), a):
                    break
                add(a, b, title, None, a, b)
                ne = b
    # name 任 role / role 由 name 担任
    for m in _role_by_re().finditer(shadow):
        if is_person_name(m.group("name")):
            add(m.start("name"), m.end("name"), None, m.group("role"), m.start(), m.end())
    # name (同志) 任/为/担任 (办公室) role or title: 周翔同志任主任, 由李明任组长, 王某为办公室副主任
    for m in _assignments(shadow):
        name = m.group("name")
        if not is_person_name(name) or not (m.group("tz") or _name_may_start(shadow, m.start())):
            continue
        if name.endswith(titles()) or name[-1] in "兼现亦均暂另":
            continue  # 董事长任组长, 李静兼任: a title, or a name with the verb's first character
        word, pre = m.group("role"), m.group("pre")
        if word in _roles() and not pre:
            add(m.start(), m.end("name"), None, word, m.start(), m.end())
        else:
            add(m.start(), m.end("name"), pre + word, None, m.start(), m.end())
    return sorted(found.values(), key=lambda p: p.start)


def extract_units(text: str, *, context: Context) -> list[Unit]:
    """Every responsible unit named in a note of ``text``, de-duplicated by name."""
    seen: set[str] = set()
    out: list[Unit] = []
    for m in notes_of(context).mentions:
        if m.kind == "unit" and m.name not in seen:
            seen.add(m.name)
            out.append(Unit(m.name, text[m.start : m.end], m.start, m.end))
    return out


def extract_officials(text: str, *, context: Context) -> list[Official]:
    """Every lead official named in a note of ``text``, de-duplicated by name."""
    seen: set[str] = set()
    out: list[Official] = []
    for m in notes_of(context).mentions:
        if m.kind == "official" and m.name not in seen:
            seen.add(m.name)
            out.append(Official(m.name, m.placeholder, text[m.start : m.end], m.start, m.end))
    return out


def extract_people(text: str, *, context: Context) -> list[Person]:
    """Named persons joined to a title or role, de-duplicated by name and title."""
    seen: set[tuple[str, str | None]] = set()
    out: list[Person] = []
    for p in find_people(text, shadow=context.shadow() if text is context.text else None):
        key = (p.name, p.title)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
