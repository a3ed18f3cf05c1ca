"""What the document-type classifier sees of a text: a ``DocView`` and the analyzers over it.

Four blocks of features, each an analyzer that turns a ``DocView`` into a list of string
features (then TF-IDF weighted):

- ``chars``: character n-grams of the body (the first ``max_chars`` characters);
- ``words``: word n-grams from the civic tokenizer (jieba + the civic dictionary);
- ``title``: character n-grams of the title line, on their own;
- ``structure``: the document's structure as tokens — the title's 文种 word (the last one
  decides when a title holds several: ``工作总结报告`` → 报告) and its category, a sub-title
  line's 文种 word, ``关于……的报告`` at the start of a text that lost its line breaks, the
  addressee (``现将……报告如下``, ``汇报如下``, a 主送 line, 各位领导), the 落款 (an issuing
  unit and a date as the last lines), and phrase cues of each kind of document, by region
  (the opening, the closing lines, or anywhere).

The cue tables are data (``civicnlp/lexicon/doctype_cues.json``); a trained model keeps its
own copy in ``model.json`` so that it predicts the same way whatever the installed lexicon.
Every function here is deterministic and pure: the same text gives the same features at
training time (scikit-learn) and at prediction time (``civicnlp.classify.linear``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import regex

from civicnlp.extractors.title import find_title

__all__ = [
    "ANALYZERS",
    "CUES_NAME",
    "Cues",
    "DocView",
    "char_ngrams",
    "default_cues",
    "make_view",
    "structure_tokens",
]

CUES_NAME = "doctype_cues.json"
HEAD_CHARS = 400
TAIL_CHARS = 250
# 文种 categories that say nothing of the type: a 会议记录 or a 讲话 may be a plan in substance
NON_DECISIVE = ("other",)
_SENTENCE = regex.compile(r"[。！？!?；;，,：:]")
_SPACES = regex.compile(r"\s+")


class Cues:
    """The compiled cue tables (from the lexicon, or from a model card's copy)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = {k: v for k, v in spec.items() if not k.startswith("_")}
        wenzhong: dict[str, list[str]] = self.spec["wenzhong"]
        self.wenzhong = wenzhong
        self.word_category = {w: cat for cat, words in wenzhong.items() for w in words}
        words = sorted(self.word_category, key=len, reverse=True)
        self.wenzhong_re = regex.compile("|".join(regex.escape(w) for w in words))
        self.patterns = [(name, region, regex.compile(rx)) for name, region, rx in self.spec["patterns"]]
        self.head_title = regex.compile(self.spec["head_title"])
        self.title_noise = regex.compile(self.spec["title_noise"])
        pairs: str = self.spec["trad"]
        self.trad = str.maketrans({pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)})

    def last_wenzhong(self, line: str) -> str | None:
        """The 文种 word a line ends in — the last one when it holds several — or None."""
        best: tuple[int, int, str] | None = None
        for m in self.wenzhong_re.finditer(line, overlapped=True):
            key = (m.end(), len(m.group()), m.group())
            if best is None or key > best:
                best = key
        return best[2] if best else None


def default_cues() -> dict[str, Any]:
    """The cue tables of the installed lexicon (what a newly trained model copies)."""
    from civicnlp.lexicon import load_json

    spec: dict[str, Any] = load_json(CUES_NAME)
    return {k: v for k, v in spec.items() if not k.startswith("_")}


@dataclass(frozen=True)
class DocView:
    """A document as the classifier sees it (traditional characters mapped to simplified)."""

    body: str
    title: str
    words: str  # what the word block segments: the first ``word_chars`` characters
    subtitles: tuple[str, ...]
    head: str
    tail: str
    length: int


def _is_title_like(line: str) -> bool:
    return 0 < len(line) <= 30 and not _SENTENCE.search(line) and regex.search(r"\p{Han}", line) is not None


_LEAD = regex.compile(r"[^\s\u3000。，,；;：:！？!?]{2,50}")
_PART_MARK = regex.compile(
    r"^(?:第?\s*[0-9一二三四五六七八九十]{1,3}\s*篇|篇\s*[0-9一二三四五六七八九十]{1,3}|[0-9]{1,2}[、.．])$"
)
_CLAUSE_END = set("。，,；;：:！？!?")
_LEAD_TRAILING = 4  # characters a run-in title may carry after its 文种 word (``……工作总结一年来``)


def _lead_title(text: str, cues: Cues) -> str:
    """A title run into the first line (texts that lost their line breaks): the first run of the
    first line (split at spaces and punctuation; a leading part marker such as ``第1篇`` skipped)
    when it ends in a 文种 word, or carries at most a few characters after it. ``""`` when none."""
    first = text.lstrip(" \t\u3000\xa0\n").split("\n", 1)[0][:200]
    runs = [m.group() for m in _LEAD.finditer(first)][:2]
    if runs and _PART_MARK.match(runs[0]):
        runs = runs[1:]
    if not runs or (not first.startswith(runs[0]) and not _PART_MARK.match(first.split()[0] if first.split() else "")):
        return ""
    raw = runs[0]
    run = clean_title(raw, cues)
    word = cues.last_wenzhong(run)
    if not word:
        return ""
    trailing = len(run) - (run.rindex(word) + len(word))
    after = first[first.index(raw) + len(raw) : first.index(raw) + len(raw) + 1]
    if trailing == 0 and run == raw and after and after in _CLAUSE_END:
        return ""  # ``对照……方案，现将……``: a clause that ends in a 文种 word, not a title
    return run[: len(run) - trailing] if trailing <= _LEAD_TRAILING else ""


def make_view(text: str, title: str | None, cues: Cues, max_chars: int, word_chars: int | None = None) -> DocView:
    """The ``DocView`` of ``text``; ``title`` None means: find the title line in the text.

    The character block reads the first ``max_chars`` characters, the word block (jieba, the
    costliest feature) the first ``word_chars`` (default: ``max_chars``)."""
    text = text.translate(cues.trad)
    if title is not None:
        title = title.translate(cues.trad).strip()
    title = title if title is not None else find_title(text)[0] or _lead_title(text, cues)
    lines = [ln.strip(" \t\u3000\xa0") for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    rest = lines[1:] if title and lines and lines[0] == title else lines
    subtitles = tuple(ln for ln in rest[:2] if _is_title_like(ln) and cues.last_wenzhong(ln))
    body_start = text.find(title) + len(title) if title and title in text[: len(title) + 200] else 0
    head = text[body_start : body_start + HEAD_CHARS]
    tail = text[-TAIL_CHARS:].rstrip() if len(text) > HEAD_CHARS else text.rstrip()
    return DocView(
        body=text[:max_chars],
        title=title,
        words=text[: max_chars if word_chars is None else word_chars],
        subtitles=subtitles,
        head=head,
        tail=tail,
        length=len(text),
    )


def char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Character n-grams of ``text`` (whitespace runs collapsed to one space), n in [lo, hi]."""
    text = _SPACES.sub(" ", text)
    out: list[str] = []
    n_chars = len(text)
    for n in range(lo, hi + 1):
        out.extend(text if n == 1 else [text[i : i + n] for i in range(n_chars - n + 1)])
    return out


def word_ngrams(words: list[str], lo: int, hi: int) -> list[str]:
    """Word n-grams joined by a space, n in [lo, hi]."""
    out: list[str] = []
    for n in range(lo, hi + 1):
        if n == 1:
            out.extend(words)
        else:
            out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


def clean_title(title: str, cues: Cues) -> str:
    """The title without compilation noise (``篇一``, ``(通用5篇)``, a trailing year)."""
    cleaned = cues.title_noise.sub("", title).strip()
    return cleaned or title


def structure_tokens(view: DocView, cues: Cues) -> list[str]:
    """The structure of a document as tokens (see the module docstring)."""
    out: list[str] = []
    if view.title:
        title = clean_title(view.title, cues)
        word = cues.last_wenzhong(title)
        if word and cues.word_category[word] not in NON_DECISIVE:
            cat = cues.word_category[word]
            out += [f"twz={word}", f"twc={cat}"]
            if title.endswith(word):
                out.append(f"tend={cat}")
        else:
            out.append("twc=none")
    else:
        out.append("notitle")
    for sub in view.subtitles:
        word = cues.last_wenzhong(sub)
        if word and cues.word_category[word] not in NON_DECISIVE:
            out += [f"swz={word}", f"swc={cues.word_category[word]}"]
    m = cues.head_title.search(view.body[:200])
    if m and cues.word_category.get(m.group(1), "other") not in NON_DECISIVE:
        out.append(f"hwc={cues.word_category[m.group(1)]}")
    regions = {"head": view.head, "tail": view.tail, "all": view.body}
    for name, region, rx in cues.patterns:
        hits = sum(1 for _ in rx.finditer(regions[region]))
        if hits:
            out.append(f"cue={name}")
            if hits >= 3:
                out.append(f"cue={name}:3+")
            if hits >= 10:
                out.append(f"cue={name}:10+")
    # GOLD.md's rule as one token: the title's (or sub-title's) 文种 word decides; without one,
    # a text addressed to a superior, an inspection or a congress is a report
    # (a sub-title under a compilation's part title — ``……会议记录篇三`` / ``工作总结`` — comes first)
    decided = next(
        (t[4:] for prefix in ("swc=", "twc=", "hwc=") for t in out if t.startswith(prefix) and t[4:] != "none"), None
    )
    if decided is None:
        addressed = any(f"cue={name}" in out for name in _ADDRESSED)
        decided = "report" if addressed else "undecided"
    out.append(f"rule={decided}")
    out.append(f"len={min(int(math.log2(max(view.length, 1) / 100 + 1)), 8)}")
    lines = max(view.body.count("\n") + 1, 1)
    out.append(f"linelen={min(int(math.log2(len(view.body) / lines / 10 + 1)), 6)}")
    return out


# cues that address a superior, an inspection or a congress (a report, by GOLD.md)
_ADDRESSED = ("report_below", "zhusong", "addressee_leader", "unit_addressee", "disclosure", "congress", "report_close")

# analyzer kinds: name -> which text of the view and how to cut it (see ``analyze``)
ANALYZERS = ("chars", "words", "title", "structure")


def analyze(kind: str, view: DocView, cues: Cues, ngram: tuple[int, int]) -> list[str]:
    """The features of one block for one document."""
    if kind == "chars":
        return char_ngrams(view.body, ngram[0], ngram[1])
    if kind == "words":
        from civicnlp.tokenize import tokenize

        return word_ngrams(tokenize(view.words), ngram[0], ngram[1])
    if kind == "title":
        return char_ngrams(clean_title(view.title, cues), ngram[0], ngram[1]) if view.title else ["<none>"]
    if kind == "structure":
        return structure_tokens(view, cues)
    raise ValueError(f"unknown analyzer {kind!r}; expected one of {ANALYZERS}")


class Analyzer:
    """A picklable, parameterized analyzer: what scikit-learn's vectorizers call per document."""

    def __init__(self, kind: str, cues: Cues, ngram: tuple[int, int] = (1, 1)) -> None:
        self.kind = kind
        self.cues = cues
        self.ngram = ngram

    def __call__(self, view: DocView) -> list[str]:
        return analyze(self.kind, view, self.cues, self.ngram)
