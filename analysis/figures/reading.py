"""How to read each figure, in two plain sentences for a reader new to the methods.

The captions (:attr:`FigureSpec.caption`) say exactly what a figure shows, for a paper.
These notes say how to look at it: where the eye should go first and what a difference
means. The report prints them under each figure and the notebooks under each figure cell
(:func:`analysis.figures.describe`); the words in them are defined in docs/glossary.md.
"""

from __future__ import annotations

HOW_TO_READ = {
    "corpus_overview": (
        "Start here: an outlet with far fewer words or articles than the others gives every "
        "later figure less to go on. On the right, compare how much of each outlet is its own "
        "narrative and how much is quotes or posts: tone and words later mix these."
    ),
    "frame_salience": (
        "Each row is a frame; compare the outlets' dots along the row. A dot further right "
        "means the outlet uses that frame's words more often per 1,000 words; where the "
        "intervals overlap a lot, the difference may be chance, and an open dot has no "
        "interval at all (too few articles to tell)."
    ),
    "frame_profile": (
        "Read down a column to see which frames an outlet leans on, and across a row to see "
        "which outlet uses a frame most (darkest). Shading is relative within each row and "
        "has no uncertainty: check the salience figure before calling a difference real."
    ),
    "frame_top_terms": (
        "Each panel shows the words that made a frame count. If one word (or a name) makes "
        "up most of a bar, the frame's score rests on that word: read it in context before "
        "calling it framing."
    ),
    "distinctive_terms": (
        "Each panel lists the words one group uses more than all the others, longest bar "
        "first. A filled bar passed the test (a larger share of the group's articles uses "
        "the word, q < 0.05); a hollow bar is only a candidate to read in context, and a "
        "note on top says when no word passed."
    ),
    "fightin_words": (
        "Each dot is a word: further right, more frequent; further up, more typical of the "
        "first group; further down, of the second. Look at the labelled words far from the "
        "zero line, then check whether they are coloured (passed the test) or grey (did not)."
    ),
    "tfidf_heatmap": (
        "A dark cell is a word that one group uses a lot and few other groups use at all. "
        "TF-IDF only describes; it does not say whether a difference is more than chance."
    ),
    "tone_by_voice": (
        "Compare each outlet's marker for its own narrative with its marker for quotes: an "
        "outlet can write calmly while quoting angry voices, or the reverse. Left of zero "
        "is negative, right is positive. Under each outlet: the articles and sentences behind "
        "it; n beside a marker: an estimate resting on very few sentences."
    ),
    "tone_along_article": (
        "Follow each outlet's line from the first sentence (left) to the last (right): a "
        "start much darker or brighter than the rest is a choice of what the reader meets "
        "first. The legend says about how many sentences each point averages: lines built on "
        "a handful of sentences per point jump around by chance."
    ),
    "actor_tone_heatmap": (
        "Each cell is the average tone of the sentences that mention an actor; orange is "
        "negative, purple positive, grey not mentioned at all. Cells resting on fewer than 5 "
        "sentences are faded and hatched: one sentence can make a cell dark."
    ),
    "who_speaks": (
        "Each bar splits an outlet's quoted words among kinds of speaker. Compare the "
        "bars: who gets the most words in each outlet is a choice of whose view the reader "
        "hears; 'unknown' means no speaker was found."
    ),
    "scare_quotes": (
        "A dark cell is a word the outlet often puts in quotation marks without saying who "
        "said it, a way of holding a word at a distance. The label says how many of its uses "
        "were quoted that way out of all its uses; read them in context before concluding."
    ),
    "quote_tone": (
        "Dots are the tone of what each kind of speaker is quoted saying; the grey bar is "
        "the outlet's own narrative. A dot far from the bar means the outlet lets that "
        "speaker sound much harsher (or kinder) than it sounds itself; n beside a dot warns "
        "that it rests on only a few quotes."
    ),
    "group_measures": (
        "Each panel is one measure, with one marker per group of outlets. Compare the "
        "groups within a panel; the intervals resample outlets, so with few outlets in a "
        "group they are wide or missing."
    ),
    "measures_vs_coders": (
        "Left: each dot is how far a measure agrees with people who read the same texts "
        "(1 is perfect), the grey bar how far those people agree with each other; a dot far "
        "short of its bar misses what people see. Right: dots off the diagonal are outlets "
        "the dictionary makes look more (above) or less (below) concerned with a frame."
    ),
    "learned_prevalence": (
        "Each row is an outlet, each panel a frame. Read the dots: the share of the outlet's "
        "texts with the frame once the classifier's mistakes are allowed for. Where a cross "
        "sits far from its dot, simply counting the classifier's answers would mislead; "
        "where a triangle does, the word list sees the frame differently from the coders."
    ),
    "learning_curve": (
        "Left: the thick line rises as the classifier is trained on more coded articles; "
        "if it is still rising at the right, coding more articles would help, and if it is "
        "above the dashed line the classifier beats the word list. Right: dots near the "
        "diagonal mean a predicted probability of 0.7 is right about 7 times in 10."
    ),
    "topic_outlets": (
        "Read across a row to see which outlets give a topic most of their words (darkest), "
        "and read the topic's words and articles before calling it a frame. A line inside a "
        "cell is the interval and a dot marks an outlet that differs from the rest; without "
        "them (fewer than 50 articles) a difference may be one article's."
    ),
    "topic_k": (
        "Look first at the middle panel: only a k whose stability reaches 0.6 can be chosen, "
        "and among them the one highest in the left panel wins (dashed line). Where the grey "
        "dots spread widely or the curves are flat, the choice is fragile: fit the "
        "neighbouring k too and read both."
    ),
    "topic_network": (
        "Topics close together and joined by thick lines fill the same documents; a colour "
        "is a community, a candidate frame. Name a community only after reading its topics' "
        "words and articles: it may be an event or an outlet's style rather than a frame."
    ),
    "topic_communities": (
        "Each panel is one community of topics; compare the outlets' dots along it. With a "
        "single community every share is 1 and the figure says nothing; an outlet without a "
        "line has too few articles for an interval."
    ),
    "story_differences": (
        "In each panel compare a unit's square (all its articles) with its circle (only the "
        "stories it shares with others): if the circle stays away from zero, the difference "
        "is in how it covers the same events; if it moves to zero, it came from which "
        "stories it chose."
    ),
    "stories_covered": (
        "Read across a row to see which of the big stories an outlet covered (filled) and "
        "missed (empty). On the right, its share of the major stories of its time: an "
        "outlet far left of the others may be framing by leaving stories out."
    ),
    "measures_over_time": (
        "Follow each line from left to right: it is the smoothed mean, and the faint points "
        "are each period's own mean, which jump around when a period has few articles. "
        "Where lines move apart or together near a dashed event, look at the articles of "
        "those weeks before calling it a change of framing."
    ),
}
"""Figure name -> how to read it, in plain words."""
