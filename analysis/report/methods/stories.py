"""The methods text's sections on stories (articles matched into stories, outlets compared
within them) and on measures over time."""

from __future__ import annotations

from collections.abc import Mapping

from analysis import stories
from analysis.report.methods.prose import Citations, code_span, counted


def _threshold(found: Mapping, cite: Citations) -> str:
    """How the threshold and window were chosen, and how well the default matched known
    stories."""
    check = stories.ROUNDUPS_CHECK
    measured = (
        "the earlier half of the AllSides headline roundups' events (each covered by a left, "
        "a centre and a right outlet), where, with a window of "
        f"{counted(stories.WINDOW_DAYS, 'day')}, it matched the later half's with pairwise "
        f"F1 {check['held_out_f1']:.2f} and all of them with F1 {check['all_f1']:.2f} "
        f"(adjusted Rand index {check['all_ari']:.2f}; Hubert & Arabie "
        f"1985{cite('hubert1985')})"
    )
    if found.get("threshold") == stories.THRESHOLD and found.get("window_days") == (
        stories.WINDOW_DAYS
    ):
        return f"The threshold is the default, chosen on {measured}. "
    return (
        "The threshold and window were set by the study; the default threshold, "
        f"{stories.THRESHOLD}, was chosen on {measured}. "
    )


def stories_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Stories`` section, or nothing when the run matched no stories."""
    found = manifest.get("parameters", {}).get("stories")
    if not found:
        return []
    if found.get("how") == "column":
        made = (
            f"Each article's story was read from the corpus column "
            f"{code_span(found.get('column'))}"
            + (
                f"; {counted(found['n_no_story'], 'article')} without a value there are in no story"
                if found.get("n_no_story")
                else ""
            )
            + ". "
        )
    else:
        made = (
            "Articles about the same event were matched into stories by their words, as in "
            f"topic detection and tracking (Allan 2002{cite('allan2002')}): each article's "
            f"title (counted twice) and the first {found.get('body_chars', 0):,} characters "
            "of its cleaned text, in the tokens of every other measure without stop words, "
            f"weighted by TF-IDF (sublinear term frequency; Salton & Buckley "
            f"1988{cite('salton1988')}) over the corpus; two articles at most "
            f"{counted(found.get('window_days', 0), 'day')} apart are similar when the cosine "
            f"of their weights reaches {found.get('threshold')}, and stories are the "
            "complete-linkage clusters of similar articles, so that every pair of a story's "
            "articles is similar (scikit-learn and SciPy"
            f"{cite('pedregosa2011')}{cite('virtanen2020')}). "
            + _threshold(found, cite)
            + (
                f"{counted(found['n_undated'], 'article')} without a date are in no story. "
                if found.get("n_undated")
                else ""
            )
        )
    n_stories = counted(found.get("n_stories", 0), "story", "stories")
    text = (
        made + f"{found.get('n_in_stories', 0):,} of the "
        f"{counted(found.get('n_articles', 0), 'article')} are in {n_stories}, "
        f"{found.get('n_shared_stories', 0):,} of them covered by more than one outlet and "
        f"{found.get('n_major_stories', 0):,} by {found.get('major_outlets')} or more (major "
        "stories). Each outlet's share of the major stories of its own time (between its "
        "first and last article) has a Wilson interval"
        f"{cite('wilson1927')}. "
    )
    text += (
        "Every per-article measure (tone, frame rates, voices and topic proportions when "
        "present) was compared between each outlet (and group) and all the others in three "
        "ways: pooled (the mean of its articles minus the mean of all other articles); "
        "within stories (over the stories it shares with another outlet, the mean of its "
        "articles' differences from the other outlets' mean on the same story: how it "
        "covers the stories it shares); and the difference's selection part (the pooled "
        "difference minus the within-story difference times the share of its articles in "
        "shared stories: what it owes to the mix of stories, its own against the others', "
        "that is which stories each covers and with how many articles), a decomposition in the "
        f"manner of Kitagawa (1955){cite('kitagawa1955')}. The three are ratios of sums over "
        "stories, and their 95% intervals treat stories as the units: the linearized "
        f"standard error over stories (Cochran 1977{cite('cochran1977')}) with Student's t, "
        f"reported from {found.get('min_stories')} stories (covered, or shared, by the "
        "outlet), where simulation showed them to cover 93-97%. Articles about one story are "
        "not independent, so these intervals are wider than the intervals resampling "
        "articles elsewhere in this report. The others are every other outlet (or group) "
        "together, so one outlet's framing also shows in the others' differences."
    )
    return ["## Stories", "", text, ""]


def timeline_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Over time`` section, or nothing without a timeline."""
    found = manifest.get("parameters", {}).get("timeline")
    if not found:
        return []
    period = found.get("period", "month")
    chosen = (
        " (chosen because the dates span at most six months)"
        if period == "week" and found.get("period_setting") == "auto"
        else " (chosen because the dates span more than six months)"
        if found.get("period_setting") == "auto"
        else ""
    )
    outlets = found.get("outlets") or []
    groups = [level for level in found.get("levels") or [] if level != "outlet"]
    unplaced = int(found.get("n_unplaced_drawn") or 0)
    text = (
        f"Every per-article measure was averaged by {period}{chosen}, from "
        f"{found.get('first_period')} to {found.get('last_period')}, for the "
        f"{counted(len(outlets), 'outlet')} with the most dated articles"
        + (f" and for each group of {code_span(groups[0])}" if groups else "")
        + ". A mean's interval is the studentized bootstrap resampling the period's "
        f"articles (from {found.get('min_articles')} articles)"
        + (
            f"; a group's interval resamples its outlets (from {found.get('min_outlets')} "
            "outlets in the period)"
            if groups
            else ""
        )
        + f" ({found.get('cells_with_interval', 0):,} of the "
        f"{found.get('cells', 0):,} period means had enough to have one). "
        + "The smoothed line is the mean over the articles of the period and the "
        f"{counted(found.get('smooth', 0), period)} on either side, with the same kind of interval "
        f"over those articles ({found.get('smoothed_with_band', 0):,} of "
        f"{found.get('smoothed', 0):,} smoothed values have one). "
        + (
            f"{counted(unplaced, 'article')} of the outlets drawn "
            f"{'are' if unplaced != 1 else 'is'} in no {period} (no date, a date less precise "
            f"than a {period}, or a date far from all the others) and not drawn. "
            if unplaced
            else ""
        )
        + (
            f"The {counted(found['n_events'], 'event')} of {code_span(found.get('events'))} "
            f"{'are' if found['n_events'] != 1 else 'is'} marked where "
            f"{'they' if found['n_events'] != 1 else 'it'} happened."
            if found.get("n_events")
            else ""
        )
    )
    return ["## Over time", "", text.strip(), ""]
