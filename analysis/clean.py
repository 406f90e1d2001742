"""News boilerplate and scraping artefacts, removed by small ``str -> str`` rules.

Each rule is a plain function from text to text, named by what it does, with an example
in its docstring. :data:`DEFAULT_RULES` composes them in order into one pipeline
(:func:`clean_text`). Rules are general patterns that recur across outlets and scrapers,
never edits keyed to one file.

Every rule that deletes text can also report what it deleted: ``rule.audited(text)``
returns ``(new_text, [removed, ...])``. :func:`clean_articles` uses that to build an
audit table (``article_id, rule, removed_text``) so a researcher can check the cleaning.

The rules run in passes until a pass changes nothing, since a rule can leave behind what an
earlier rule removes. Most texts would need a second, confirming pass that changes nothing;
instead, each rule records whether it is idempotent and which earlier rules its changes
cannot give new work (``.idempotent``, ``.settles``), and after the first pass only the rules
that might still have work are rerun on the result. When none changes it, a second pass would
not either; otherwise the passes run as usual.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence

import pandas as pd

from analysis import progress

AuditedRule = Callable[[str], tuple[str, list[str]]]


Settles = Callable[[str, str], Collection[Callable[[str], str]]]


def _rule(
    func: AuditedRule | None = None,
    *,
    idempotent: bool = False,
    settles: Collection[Callable[[str], str]] | Settles = (),
) -> Callable[[str], str] | Callable[[AuditedRule], Callable[[str], str]]:
    """Turn ``text -> (text, removed)`` into a ``str -> str`` rule keeping ``.audited``.

    Two more attributes record what is known about the rule, for :func:`clean_text` to
    skip the confirming pass: ``.idempotent`` (the rule leaves its own output unchanged)
    and ``.settles(before, after)``, the earlier rules that still leave a text unchanged
    after this rule turned ``before`` into ``after``, if they left ``before`` unchanged.
    ``settles`` is given as that function or as a fixed collection of rules.
    """

    def wrap(func: AuditedRule) -> Callable[[str], str]:
        @functools.wraps(func)
        def clean(text: str) -> str:
            return func(text)[0]

        kept = frozenset(() if callable(settles) else settles)
        clean.audited = func  # type: ignore[attr-defined]
        clean.idempotent = idempotent  # type: ignore[attr-defined]
        clean.settles = settles if callable(settles) else lambda before, after: kept  # type: ignore[attr-defined]
        return clean

    return wrap if func is None else wrap(func)


def _sub_audited(pattern: re.Pattern[str], repl: str, text: str) -> tuple[str, list[str]]:
    removed: list[str] = []

    def keep(match: re.Match[str]) -> str:
        if match.group(0).strip():
            removed.append(match.group(0).strip())
        return match.expand(repl)

    return pattern.sub(keep, text), removed


# ---------------------------------------------------------------------------------------------
# Rules, in the order of the default pipeline

_LINE_ENDINGS = re.compile(r"\r\n?")


@_rule(idempotent=True)
def normalize_line_endings(text: str) -> tuple[str, list[str]]:
    """Turn Windows (CRLF) and old Mac (CR) line endings into ``\\n``.

    >>> normalize_line_endings("one\\r\\ntwo\\rthree")
    'one\\ntwo\\nthree'
    """
    if "\r" not in text:
        return text, []
    return _LINE_ENDINGS.sub("\n", text), []


_OTHER_LINE_BREAKS = re.compile(r"[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_SPACE = re.compile(r"[^\S\n ]")  # \s is str.isspace(); a plain space needs no replacing
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BIDI_CONTROLS = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Marks that only steer the display direction of text; the overrides (U+202D, U+202E) can
make a text display differently from what it says, so each removal is recorded."""


@_rule(idempotent=True, settles=(normalize_line_endings,))
def normalize_spaces(text: str) -> tuple[str, list[str]]:
    """Make every line break ``\\n`` and every other white space a plain space, one for one,
    and drop invisible characters (zero-width spaces, soft hyphens, byte-order marks) and
    bidirectional controls (marks, embeddings, overrides, isolates), which only steer how
    text is displayed; each bidirectional control removed is reported, by its name.

    The line breaks are those of :meth:`str.splitlines` (vertical tab, form feed, file,
    group and record separators, NEL, U+2028, U+2029). Runs of spaces are kept (they are
    collapsed last, by :func:`normalize_whitespace`), so the rules in between see one kind
    of space and line break, and a second cleaning finds nothing more to do.

    >>> normalize_spaces("Advertisement\\u2028\\u00a0Read\\u200b more\\t")
    'Advertisement\\n Read more '
    """
    if not _needs_space_normalizing(text):
        return text, []
    removed = [unicodedata.name(c) for c in _BIDI_CONTROLS.findall(text)]
    text = _BIDI_CONTROLS.sub("", _OTHER_LINE_BREAKS.sub("\n", text))
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)), removed


_ODD_SPACE_OR_INVISIBLE = re.compile(
    r"[^\S\n ]|" + _INVISIBLE.pattern + "|" + _BIDI_CONTROLS.pattern
)


def _needs_space_normalizing(text: str) -> bool:
    """Whether ``text`` holds white space other than ``" "`` and ``"\\n"``, or an invisible
    character.

    Every such character is unprintable (:meth:`str.isprintable`), and that test is much
    faster than a regex scan, so only texts with some unprintable character are scanned.
    """
    if text.replace("\n", " ").isprintable():
        return False
    return _ODD_SPACE_OR_INVISIBLE.search(text) is not None


# Every later rule only deletes text or inserts plain spaces and line breaks (or composes
# characters), so none brings back what these two rules took out.
_LAYOUT_RULES = (normalize_line_endings, normalize_spaces)


@_rule(idempotent=True, settles=_LAYOUT_RULES)
def compose_characters(text: str) -> tuple[str, list[str]]:
    """Compose letters and their accents into one character where Unicode has one (NFC).

    Text written as ``e`` + combining acute accent (decomposed, common in text that passed
    through macOS or PDF extraction) becomes ``é``, so the word is one token and matches
    dictionaries and the VADER lexicon like its composed spelling.

    >>> compose_characters("caf\\u0065\\u0301") == "caf\\u00e9"
    True
    """
    return unicodedata.normalize("NFC", text), []


_URL = re.compile(r"(?:\bhttps?:(?://\S*)?|\bwww\.\S+|\bpic\.twitter\.com/\S+)(?:\s+\.(?=\s))?")


@_rule(settles=_LAYOUT_RULES)
def remove_urls(text: str) -> tuple[str, list[str]]:
    """Drop URLs and the stubs scraping leaves of them (``https:  .``).

    >>> remove_urls("Milo. https:  .   — Christina")
    'Milo.    — Christina'
    >>> remove_urls("see https://example.com/a?b=1 now")
    'see  now'
    """
    if "http" not in text and "www." not in text and "pic.twitter" not in text:
        return text, []
    return _sub_audited(_URL, "", text)


_LEADING_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\s+")


def leading_date(text: str) -> str | None:
    """The ``YYYY-MM-DD`` of a leading `` date YYYY-MM-DD `` field, or ``None``.

    >>> leading_date(" date 2017-07-07 Interior Minister said")
    '2017-07-07'
    """
    match = _LEADING_DATE.match(text)
    return match.group(1) if match else None


@_rule(settles=_LAYOUT_RULES)
def remove_leading_date_field(text: str) -> tuple[str, list[str]]:
    """Drop a scraped `` date YYYY-MM-DD `` field at the very start of the text.

    >>> remove_leading_date_field(" date 2017-07-07 Interior Minister said")
    'Interior Minister said'
    """
    return _sub_audited(_LEADING_DATE, "", text)


_FIELD_SEPARATOR = "|||"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@_rule(settles=_LAYOUT_RULES)
def drop_repeated_field_after_separator(text: str) -> tuple[str, list[str]]:
    """Drop a field joined on with ``|||`` when it repeats text already in the article.

    Scrapers often join page fields (body, standfirst, summary) with ``|||``. A field that
    repeats text found earlier is removed; one that is new is kept as its own paragraph.

    >>> drop_repeated_field_after_separator("Standfirst.\\n\\nBody text.|||Standfirst.")
    'Standfirst.\\n\\nBody text.'
    >>> drop_repeated_field_after_separator("Body text.|||A new summary.")
    'Body text.\\n\\nA new summary.'
    """
    if _FIELD_SEPARATOR not in text:
        return text, []
    fields = text.split(_FIELD_SEPARATOR)
    kept = [fields[0]]
    removed = []
    for field in fields[1:]:
        squashed = _squash(field)
        if not squashed:
            continue
        if squashed in _squash("\n".join(kept)):
            removed.append(field.strip())
        else:
            kept.append("\n\n" + field.strip())
    return "".join(kept).rstrip(), removed


def _line_patterns(line: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The pattern of a whole ``line`` (anchored with ``^`` at every line start), and the
    same line after a line break, found by a fast search for the break."""
    return re.compile("^" + line, re.MULTILINE), re.compile("\n" + line)


def _sub_lines_audited(
    patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str
) -> tuple[str, list[str]]:
    """:func:`_sub_audited` for line patterns, from the first line that matches (a regex
    anchored at every line start tries every position of the text, which is slow)."""
    at_line_start, after_break = patterns
    if at_line_start.match(text):
        start = 0
    elif first := after_break.search(text):
        start = first.start() + 1
    else:
        return text, []
    rest, removed = _sub_audited(at_line_start, "", text[start:])
    return text[:start] + rest, removed


_READ_MORE = _line_patterns(
    r"[ \t]*(?:READ MORE|Read more|Read More|RELATED|Related|SEE ALSO|See also|ALSO READ|"
    r"Also read|WATCH|Watch|MORE|Recommended)[ \t]*:[^\n]*\n?"
)


# Deleting whole lines, or the end of the text from a sentence end or line break on (and
# trimming what is left), brings no two characters together except a line break and what
# follows it, so these rules, which look within runs of characters, find nothing new.
_RUN_RULES = (
    *_LAYOUT_RULES,
    compose_characters,
    remove_urls,
    drop_repeated_field_after_separator,
)


@_rule(idempotent=True, settles=_RUN_RULES)
def remove_read_more_lines(text: str) -> tuple[str, list[str]]:
    """Drop whole lines that link to other stories (``READ MORE:``, ``Related:``, ...).

    >>> remove_read_more_lines("First.\\n\\nREAD MORE: Another story\\n\\nSecond.")
    'First.\\n\\n\\nSecond.'
    """
    return _sub_lines_audited(_READ_MORE, text)


_SIGN_OFF = re.compile(
    r"(?:(?<=[.!?\"”’])|(?<=\n))[ \t]*"
    r"(?:You can follow [^\n]{1,200}? on (?:Twitter|Facebook|Instagram|X)\b"
    r"|Follow (?:him|her|them|us|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) on (?:Twitter|X)\b"
    r"|(?:Email|Send) (?:your )?(?:news |story )?tips\b[^\n]{0,80}?@"
    r"|(?:Contact|Reach|Email) (?:him|her|them|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) at \S+@"
    r"|Copyright (?:©|\(c\))? ?\d{4}\b[^\n]{0,120}?(?:All rights reserved|reprint permission)"
    r")[^\n]*\s*\Z",
)


def _may_hold_sign_off(text: str) -> bool:
    """False when ``text`` has none of the words every sign-off holds ("follow", "@",
    "Copyright"), so the sign-off pattern need not be tried."""
    return "ollow " in text or "@" in text or "Copyright" in text


_MEDIA_LINE = _line_patterns(
    r"[ \t]*(?:(?:(?i:Enlarge this image|toggle caption|hide caption|show caption)"
    r"|Image copyright|Image caption|Media caption|Media playback is unsupported"
    r"|Photos?(?=:)|JUST WATCHED|MUST WATCH|(?i:Sign up for [^\n]{0,60}Newsletters?)"
    r"|Manage Newsletters)\b[^\n]*"
    r"|(?:(?:Advertisement|ADVERTISEMENT|(?i:Story continue[sd] below(?: advertisement)?))"
    r":?[ \t]*)+(?=\n|\Z))[ \t]*\n?"  # a bare "Advertisement" only when it fills its line
)


@_rule(idempotent=True, settles=(*_RUN_RULES, remove_read_more_lines))
def remove_media_and_widget_lines(text: str) -> tuple[str, list[str]]:
    """Drop whole lines left by embedded media and page widgets: photo captions and credits
    ("Enlarge this image toggle caption ...", "Image copyright ... Image caption ...", a
    photo gallery "Photos: ... Hide Caption 1 of 24 Photos: ..."), video teasers ("JUST
    WATCHED ... Replay"), "Advertisement" lines and newsletter prompts.

    >>> remove_media_and_widget_lines("Text.\\nAdvertisement\\nImage copyright AP\\nMore.")
    'Text.\\nMore.'
    """
    return _sub_lines_audited(_MEDIA_LINE, text)


# Such deletions also keep every other line's start, so they make no line that these
# rules remove.
_LINE_RULES = (*_RUN_RULES, remove_read_more_lines, remove_media_and_widget_lines)

_TAIL = 1000


@_rule(idempotent=True, settles=_LINE_RULES)
def remove_trailing_sign_off(text: str) -> tuple[str, list[str]]:
    """Drop a closing sign-off ("You can follow X on Twitter", "Email tips to ...").

    Only text from the sign-off's sentence to the end of the article is removed, and only
    when nothing but the sign-off follows on its line.

    >>> remove_trailing_sign_off("The end. You can follow Ann Lee on Twitter. Email tips to a@b.")
    'The end.'
    """
    removed: list[str] = []
    while True:  # until no sign-off is left, also before an author bio that closes the text
        end = _bios_start(text)
        head, tail = text[: max(end - _TAIL, 0)], text[max(end - _TAIL, 0) : end]
        if not _may_hold_sign_off(tail):
            return text, removed
        new, found = _sub_audited(_SIGN_OFF, "", tail)  # a sign-off closes the text: its end
        if not found:
            return text, removed
        removed.extend(found)
        text = (head + new).rstrip() + text[end:]


_BIO_ROLES = (
    "correspondent",
    "reporter",
    "writer",
    "editor",
    "journalist",
    "columnist",
    "contributor",
    "producer",
    "author",
    "fellow",
    "analyst",
    "photographer",
    "intern",
)
_BIO_ROLE = "(?:" + "|".join(_BIO_ROLES) + ")"
_AUTHOR_BIO = re.compile(
    r"\n\s*(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3} (?:is|was|has been) [^\n]{0,160}?\b"
    + _BIO_ROLE
    + r"\b[^\n]{0,200}|[^\n]{0,120}\b(?:tweets|is on Twitter) (?:at )?@\w+[^\n]{0,80})\s*\Z",
    re.IGNORECASE,
)


@_rule(idempotent=True, settles=_LINE_RULES)
def remove_trailing_author_bio(text: str) -> tuple[str, list[str]]:
    """Drop a short closing paragraph that introduces the author.

    The last paragraph is removed when it reads like a bio: "Name is a/an/the ...
    correspondent/reporter/editor ...", or it gives the author's social-media handle.

    >>> remove_trailing_author_bio("Story.\\n\\nAsad Hashim is our Correspondent. He tweets @ah.")
    'Story.'
    """
    removed: list[str] = []
    while match := _bio_at_end(text, len(text)):  # two authors, two bios
        removed.append(match.group(0).strip())
        text = text[: match.start()].rstrip()
    return text, removed


def _bio_at_end(text: str, end: int) -> re.Match[str] | None:
    """The author bio closing ``text[:end]``, if any."""
    start = max(end - _TAIL, 0)
    if not _may_hold_bio(text[start:end]):
        return None
    match = _AUTHOR_BIO.search(text, start, end)
    return match if match and len(match.group(0)) <= 400 else None


# the non-ASCII letters that re.IGNORECASE matches to ASCII ones, which str.lower() does not
_CASE_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _may_hold_bio(window: str) -> bool:
    """False when ``window`` cannot hold an author bio: it has no line break, or neither an
    ``@`` nor a role word (a substring test, much cheaper than the bio pattern)."""
    if "\n" not in window:
        return False
    if "@" in window or any(char in window for char in _CASE_FOLDS_TO_ASCII):
        return True
    lowered = window.lower()
    return any(role in lowered for role in _BIO_ROLES)


def _bios_start(text: str) -> int:
    """Where the author bios that close ``text`` start (``len(text)`` when there are none)."""
    end = len(text)
    while match := _bio_at_end(text, end):
        end = match.start()
    return end


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
SOCIAL_SIGNATURE = re.compile(
    r"(?:(?:[—–-]|&mdash;)\s*[^\n—–()]{0,80}?\(@\w{1,30}\)\s*(?:on\s+)?"
    + _MONTH
    + r"\.? \d{1,2},? \d{4}"
    r"|A post shared by [^\n()]{0,80}\(@[\w.]{1,30}\)\s+on\s+" + _MONTH + r"\.? \d{1,2},? \d{4}"
    r"(?: at \d{1,2}:\d{2}\s*[ap]m(?: [A-Z]{2,4})?)?)(?!\w)"  # never ends inside a word
)
"""The signature that closes an embedded post: ``— Name (@handle) March 25, 2017``."""

_SIGNATURE_TAIL = re.compile(r"[ \t]*,?[ \t]*(?=\S)")


@_rule(settles=_LAYOUT_RULES)
def separate_social_posts(text: str) -> tuple[str, list[str]]:
    """End a paragraph after each embedded social-media post's signature.

    Flattened embeds run on into the next post or into the prose; a paragraph break after
    ``— Name (@handle) Month D, YYYY`` puts each post in a paragraph of its own.

    >>> separate_social_posts("Hang him. — Ann (@ann) March 25, 2017,  Western users reacted.")
    'Hang him. — Ann (@ann) March 25, 2017\\n\\nWestern users reacted.'
    """
    if "(@" not in text:
        return text, []
    pieces, last = [], 0
    # each signature is matched in full first ("... at 3:42am PDT"), then followed or not:
    # one regex for both would cut a shorter signature short ("3:42am" + break + "PDT")
    for signature in SOCIAL_SIGNATURE.finditer(text):
        if tail := _SIGNATURE_TAIL.match(text, signature.end()):
            pieces += [text[last : signature.end()], "\n\n"]
            last = tail.end()
    return "".join([*pieces, text[last:]]), []


_LOST_PARAGRAPH = re.compile(r"(?<=[.!?…\"”’)])[ \t\u00a0]{2,}(?=[\"“‘(\[]?[A-Z0-9])")


@_rule(settles=_LAYOUT_RULES)
def restore_lost_paragraph_breaks(text: str) -> tuple[str, list[str]]:
    """Turn a double space after a sentence end into a paragraph break, in one-line texts.

    Applies only to a long text with no line breaks at all, where a scraper has replaced
    the paragraph breaks with spaces; elsewhere two spaces may just be typing habit.

    >>> restore_lost_paragraph_breaks("First paragraph ends.  Second starts here. " * 20)[:46]
    'First paragraph ends.\\n\\nSecond starts here. Fir'
    """
    if "\n" in text.strip() or len(text) < 500:
        return text, []
    return _LOST_PARAGRAPH.sub("\n\n", text), []


_BRACKETS = {"[": "]", "(": ")", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
_BRACKET = re.compile(r"[\[\](){}]")


@_rule(idempotent=True, settles=_LAYOUT_RULES)
def remove_stray_brackets(text: str) -> tuple[str, list[str]]:
    """Drop brackets that have no partner within their paragraph.

    >>> remove_stray_brackets("Said so. [Late last week, officials (in Islamabad) met.")
    'Said so. Late last week, officials (in Islamabad) met.'
    """
    stray: list[int] = []
    stack: list[tuple[str, int]] = []
    previous = 0
    for match in _BRACKET.finditer(text):
        position, char = match.start(), match.group()
        if stack and text.find("\n", previous, position) != -1:  # pairs within a paragraph
            stray.extend(p for _, p in stack)
            stack = []
        previous = position
        if char in _BRACKETS:
            stack.append((char, position))
        elif stack and stack[-1][0] == _CLOSERS[char]:
            stack.pop()
        else:
            stray.append(position)
    stray.extend(p for _, p in stack)
    if not stray:
        return text, []
    stray.sort()
    kept = [text[start + 1 : end] for start, end in zip([-1, *stray], [*stray, len(text)])]
    return "".join(kept), [text[i] for i in stray]


_MANY_NEWLINES = re.compile(r"\n{3,}")


_AFTER_WHITE_SPACE = frozenset({*_LAYOUT_RULES, remove_stray_brackets})
_AFTER_TRIMMING = _AFTER_WHITE_SPACE | {
    compose_characters,
    remove_urls,
    remove_leading_date_field,
    drop_repeated_field_after_separator,
    remove_read_more_lines,
    remove_media_and_widget_lines,
    restore_lost_paragraph_breaks,
}
_END_RULES = frozenset({remove_trailing_sign_off, remove_trailing_author_bio})


def _whitespace_settles(before: str, after: str) -> frozenset[Callable[[str], str]]:
    """The earlier rules that :func:`normalize_whitespace` cannot give new work.

    It changes white space only, and keeps every line that holds more than white space,
    so brackets pair up as before. When it only trimmed lines and dropped blank ones (no
    run of spaces inside a line collapsed, no invisible character dropped), no two
    characters became neighbours that were not and every line still starts and ends with
    the same words, so only the rules that measure back from the end of the text
    (sign-off, author bio) and the embedded-post signatures may find something new. Those
    measuring back find nothing new either when the text's last :data:`_TAIL` characters
    (and the one before them) are the same as before.
    """
    settled = _AFTER_WHITE_SPACE
    if after == before.strip() or ("  " not in before and not _needs_space_normalizing(before)):
        settled = _AFTER_TRIMMING
    if len(after) > _TAIL and after[-_TAIL - 1 :] == before[-_TAIL - 1 :]:
        settled |= _END_RULES
    return settled


@_rule(idempotent=True, settles=_whitespace_settles)
def normalize_whitespace(text: str) -> tuple[str, list[str]]:
    """Collapse runs of spaces (including no-break spaces), drop invisible characters, keep
    at most one blank line between paragraphs, and trim the ends.

    >>> normalize_whitespace("  Pakistan's\\u00a0 interior   minister\\n\\n\\n\\nsaid ")
    "Pakistan's interior minister\\n\\nsaid"
    """
    if _needs_space_normalizing(text):
        text = _SPACE.sub(" ", _INVISIBLE.sub("", text))
    while "  " in text:
        text = text.replace("  ", " ")
    # runs are single spaces now, so each line has at most one space at either end
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip(), []


DEFAULT_RULES: tuple[Callable[[str], str], ...] = (
    normalize_line_endings,
    normalize_spaces,
    compose_characters,
    remove_urls,
    remove_leading_date_field,
    drop_repeated_field_after_separator,
    remove_read_more_lines,
    remove_media_and_widget_lines,
    remove_trailing_sign_off,
    remove_trailing_author_bio,
    restore_lost_paragraph_breaks,
    separate_social_posts,
    remove_stray_brackets,
    normalize_whitespace,
)
"""The default cleaning pipeline, applied in this order."""


MAX_PASSES = 3
"""Cleaning repeats the rules while a pass still changes the text, at most this many times."""


def clean_text(text: str, rules: Sequence[Callable[[str], str]] = DEFAULT_RULES) -> str:
    """Apply ``rules`` in order to one text, and again until a pass changes nothing.

    A rule can leave behind what an earlier rule removes (deleting a stray bracket can make
    a line start with ``READ MORE:``), so the rules are repeated until the text stops
    changing (at most :data:`MAX_PASSES`). Cleaning a cleaned text therefore changes
    nothing. The confirming pass reruns only the rules that the first pass's changes may
    have given work (see the module docstring).

    >>> clean_text(" date 2017-07-07 READ\\u00a0MORE   is  fine.\\r\\nREAD MORE: x\\r\\n")
    'READ MORE is fine.'
    """
    return _clean(text, rules, None)


def clean_text_audited(
    text: str, rules: Sequence[Callable[[str], str]] = DEFAULT_RULES
) -> tuple[str, list[tuple[str, str]]]:
    """Clean as :func:`clean_text` does and list what each rule removed, in order, as
    ``(rule_name, removed_text)``."""
    removed: list[tuple[str, str]] = []
    return _clean(text, rules, removed), removed


Change = tuple[int, str, str]


def _clean(
    text: str, rules: Sequence[Callable[[str], str]], removed: list[tuple[str, str]] | None
) -> str:
    """Clean ``text`` in passes; with ``removed``, append what each rule removed to it."""
    changes: list[Change] = []
    cleaned = _clean_pass(text, rules, removed, changes)
    if cleaned == text or _settled(cleaned, rules, changes):
        return cleaned
    for _ in range(MAX_PASSES - 1):
        text, cleaned = cleaned, _clean_pass(cleaned, rules, removed)
        if cleaned == text:
            break
    return cleaned


def _clean_pass(
    text: str,
    rules: Sequence[Callable[[str], str]],
    removed: list[tuple[str, str]] | None,
    changes: list[Change] | None = None,
) -> str:
    """Apply each rule once; with ``changes``, record ``(index, before, after)`` for each
    rule that changed the text."""
    for index, rule in enumerate(rules):
        before = text
        text, pieces = _apply(rule, text, removed is not None)
        if pieces:
            removed.extend((rule.__name__, piece) for piece in pieces)  # type: ignore[union-attr]
        if changes is not None and text != before:
            changes.append((index, before, text))
    return text


def _apply(rule: Callable[[str], str], text: str, audit: bool) -> tuple[str, list[str]]:
    """``rule(text)``, and what the rule removed when ``audit`` is set and it can tell."""
    audited = getattr(rule, "audited", None) if audit else None
    return audited(text) if audited else (rule(text), [])


def _settled(text: str, rules: Sequence[Callable[[str], str]], changes: list[Change]) -> bool:
    """Whether a second pass of ``rules`` over ``text``, the result of a first pass that
    made ``changes``, would change nothing (and remove nothing).

    A rule that changed the text need not be rerun when it is idempotent, nor an earlier
    rule when every later change settles it; the others are rerun on ``text`` alone.
    """
    unsettled: set[int] = set()
    for index, before, after in changes:
        rule = rules[index]
        if not getattr(rule, "idempotent", False):
            unsettled.add(index)
        settles = getattr(rule, "settles", None)
        kept = settles(before, after) if settles else ()
        unsettled.update(position for position in range(index) if rules[position] not in kept)
    return all(_apply(rules[position], text, True) == (text, []) for position in sorted(unsettled))


def clean_articles(
    articles: pd.DataFrame, *, rules: Sequence[Callable[[str], str]] = DEFAULT_RULES
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean every article's text and record what was removed.

    Parameters
    ----------
    articles : DataFrame
        The articles table (``article_id``, ``text``, ``published``, ...), as returned by
        :func:`analysis.corpus.load_corpus`.
    rules : sequence of ``str -> str``
        The cleaning rules, applied in order (default :data:`DEFAULT_RULES`).

    Returns
    -------
    articles : DataFrame
        A copy with ``text_clean`` added. Where ``published`` is missing and the raw text
        starts with a `` date YYYY-MM-DD `` field, that date fills it; ``published_source``
        says where each date came from (``metadata``, ``text`` or missing).
    audit : DataFrame
        One row per removal: ``article_id``, ``rule``, ``removed_text``.
    """
    cleaned: list[str] = []
    audit_rows: list[tuple[str, str, str]] = []
    for article_id, text in progress.bar(
        zip(articles["article_id"], articles["text"]), total=len(articles), desc="clean"
    ):
        new_text, removed = clean_text_audited(text, rules)
        cleaned.append(new_text)
        audit_rows.extend((article_id, rule, piece) for rule, piece in removed)
    out = articles.copy()
    out["text_clean"] = cleaned
    if "published" in out:
        source = pd.Series(pd.NA, index=out.index, dtype="string")
        source[out["published"].notna()] = "metadata"
        text_dates = pd.to_datetime(out["text"].map(leading_date), format="%Y-%m-%d")
        fill = out["published"].isna() & text_dates.notna()
        out.loc[fill, "published"] = text_dates[fill]
        if "published_precision" in out:
            out.loc[fill, "published_precision"] = "day"
        source[fill] = "text"
        out["published_source"] = source
    audit = pd.DataFrame(audit_rows, columns=["article_id", "rule", "removed_text"])
    return out, audit
