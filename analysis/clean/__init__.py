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

The rules live in modules by what they remove, in the order of the default pipeline:
:mod:`.characters` (line endings, spaces, accents), :mod:`.fields` (URLs, scraped fields),
:mod:`.lines` (whole lines of links and widgets), :mod:`.endings` (sign-offs, author bios),
:mod:`.paragraphs` (post signatures, lost paragraph breaks, stray brackets) and
:mod:`.whitespace` (the last rule); :mod:`.audited` makes a rule of a function, and
:mod:`.passes` applies them. Every name is imported here, so ``clean.clean_text`` and the
like work as they always did.
"""

from analysis.clean.audited import AuditedRule, Settles
from analysis.clean.characters import compose_characters, normalize_line_endings, normalize_spaces
from analysis.clean.endings import remove_trailing_author_bio, remove_trailing_sign_off
from analysis.clean.fields import (
    drop_repeated_field_after_separator,
    leading_date,
    remove_leading_date_field,
    remove_urls,
)
from analysis.clean.lines import remove_media_and_widget_lines, remove_read_more_lines
from analysis.clean.paragraphs import (
    SOCIAL_SIGNATURE,
    remove_stray_brackets,
    restore_lost_paragraph_breaks,
    separate_social_posts,
)
from analysis.clean.passes import (
    DEFAULT_RULES,
    MAX_PASSES,
    Change,
    clean_articles,
    clean_text,
    clean_text_audited,
)
from analysis.clean.whitespace import normalize_whitespace

__all__ = [
    "AuditedRule",
    "Change",
    "DEFAULT_RULES",
    "MAX_PASSES",
    "SOCIAL_SIGNATURE",
    "Settles",
    "clean_articles",
    "clean_text",
    "clean_text_audited",
    "compose_characters",
    "drop_repeated_field_after_separator",
    "leading_date",
    "normalize_line_endings",
    "normalize_spaces",
    "normalize_whitespace",
    "remove_leading_date_field",
    "remove_media_and_widget_lines",
    "remove_read_more_lines",
    "remove_stray_brackets",
    "remove_trailing_author_bio",
    "remove_trailing_sign_off",
    "remove_urls",
    "restore_lost_paragraph_breaks",
    "separate_social_posts",
]
