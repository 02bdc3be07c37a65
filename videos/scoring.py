"""Scoring a source finder's candidates against the video wanted: pure functions, no I/O.

A candidate's score (0 to 1) adds up what a person would look at:

- the title: how much of the wanted title it has, and how little else (the artist's name,
  "Official Video", "HD" and the like are not counted as else);
- the artist: the name in the title or the channel;
- the channel: the artist's own, a "…VEVO" channel or YouTube's "… - Topic" channel;
- the length, when the wanted video's length is known;
- what the title says it is: "live", "lyric", "cover", "reaction", "remix", "karaoke"
  (and their kin) cost a lot, unless the wanted title says it too; a wanted title that says
  "live" and a candidate that does not cost a little.

Each part that counted is said in ``reasons``, as sentences a person reads next to the score.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Words in a title that say what kind of video it is, by the word a person would use.
KINDS: dict[str, tuple[str, ...]] = {
    "live": ("live", "concert", "tour", "festival", "unplugged", "session", "sessions"),
    "lyric": ("lyric", "lyrics", "letra", "paroles"),
    "cover": ("cover", "covers", "covered", "tribute"),
    "reaction": ("reaction", "reacts", "reacting", "react", "reacción"),
    "remix": ("remix", "remixed", "rmx", "bootleg", "edit", "mashup", "nightcore", "sped"),
    "karaoke": ("karaoke", "instrumental", "backing"),
}
# What the kinds are called in a sentence.
KIND_SENTENCES = {
    "live": "a live version",
    "lyric": "a lyric video",
    "cover": "a cover by someone else",
    "reaction": "a reaction video",
    "remix": "a remix or edit",
    "karaoke": "a karaoke or instrumental version",
}
# Words that say nothing about which video it is ("Official Music Video", "[HD]", "4K").
NOISE = frozenset(
    [
        "official",
        "music",
        "video",
        "videoclip",
        "clip",
        "hd",
        "hq",
        "4k",
        "1080p",
        "720p",
        "remastered",
        "remaster",
        "version",
        "mv",
        "audio",
        "visualizer",
        "full",
        "ft",
        "feat",
        "featuring",
        "with",
    ]
)

TITLE_WEIGHT = 0.6
ARTIST_WEIGHT = 0.25
OFFICIAL_BONUS = 0.15
LENGTH_BONUS = 0.05
KIND_PENALTY = 0.35
MISSING_KIND_PENALTY = 0.35
LENGTH_PENALTY = 0.25
# Within this many seconds (or this share of the length) a length matches.
LENGTH_CLOSE_SECONDS = 10.0
LENGTH_CLOSE_SHARE = 0.05
LENGTH_FAR_SECONDS = 30.0
# A source a catalogue (IMVDb) names for this very video scores the most whatever its title.
VOUCHED_BONUS = 1.0


@dataclass(frozen=True)
class Wanted:
    """The video a source is looked for: artist and title as a person gave them."""

    artist: str
    title: str
    duration: float | None = None  # seconds, when known
    imvdb_id: str = ""  # the video's IMVDb id, when known: IMVDb names its sources


@dataclass(frozen=True)
class Candidate:
    """What a source finder found: a link and what the site says of it."""

    url: str
    title: str
    channel: str = ""
    duration: float | None = None  # seconds, when the site says
    # A catalogue that names this as the video's own source ("IMVDb"): taken before others.
    vouched_by: str = ""


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float  # 0 to 1, two decimals
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """What is stored and what the API answers: ``{url, title, channel, duration,
        score, reasons}``."""
        return {
            "url": self.candidate.url,
            "title": self.candidate.title,
            "channel": self.candidate.channel,
            "duration": self.candidate.duration,
            "score": self.score,
            "reasons": list(self.reasons),
        }


def words(text: str) -> list[str]:
    """``text`` as comparable words: case and accents folded, "&" as "and", no punctuation."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = folded.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return re.findall(r"[^\W_]+", folded)


def squashed(text: str) -> str:
    """``text`` without spaces or punctuation ("Björk" → "bjork", "BjörkVEVO" → "bjorkvevo")."""
    return "".join(words(text))


def kinds_in(text_words: list[str]) -> set[str]:
    """The kinds (``KINDS``) whose words appear in ``text_words``."""
    present = set(text_words)
    return {kind for kind, markers in KINDS.items() if present.intersection(markers)}


def clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def title_likeness(wanted: Wanted, candidate: Candidate) -> float:
    """0 to 1: how much of the wanted title the candidate's title has (recall) and how much
    of the candidate's title is the wanted one (precision), as their harmonic mean.

    The artist's words and noise words ("Official", "HD") in the candidate's title are not
    held against it.
    """
    wanted_words = [word for word in words(wanted.title) if word not in NOISE]
    if not wanted_words:
        wanted_words = words(wanted.title)
    if not wanted_words:
        return 0.0
    artist_words = set(words(wanted.artist)) - set(wanted_words)
    candidate_words = [
        word
        for word in words(candidate.title)
        if word not in artist_words and (word not in NOISE or word in wanted_words)
    ]
    if not candidate_words:
        return 0.0
    remaining = list(candidate_words)
    found = 0
    for word in wanted_words:
        if word in remaining:
            remaining.remove(word)
            found += 1
    if not found:
        return 0.0
    recall = found / len(wanted_words)
    precision = found / len(candidate_words)
    return 2 * recall * precision / (recall + precision)


def _artist_in(wanted: Wanted, text: str) -> bool:
    artist = squashed(wanted.artist)
    return bool(artist) and artist in squashed(text)


def official_channel(wanted: Wanted, channel: str) -> str:
    """Why ``channel`` is the artist's official one, as a sentence; "" when it is not.

    The artist's own channel has the artist's name and nothing else ("Björk", "björk
    official"); "BjörkVEVO" and YouTube's "Björk - Topic" are official too.
    """
    artist = squashed(wanted.artist)
    name = squashed(channel)
    if not artist or not name:
        return ""
    channel_words = words(channel)
    if channel_words[-1:] == ["topic"] and squashed(" ".join(channel_words[:-1])) == artist:
        return f"“{channel}” is YouTube's own channel of the artist's releases."
    if name == f"{artist}vevo":
        return f"“{channel}” is the artist's VEVO channel."
    if name in (artist, f"{artist}official", f"official{artist}", f"{artist}music"):
        return f"“{channel}” is the artist's own channel."
    return ""


def score(candidate: Candidate, wanted: Wanted) -> Scored:
    """Score one candidate (see the module's description); reasons in the order they count."""
    reasons: list[str] = []
    total = 0.0
    if candidate.vouched_by:
        total += VOUCHED_BONUS
        reasons.append(f"{candidate.vouched_by} names this as the video's own source.")

    likeness = title_likeness(wanted, candidate)
    total += TITLE_WEIGHT * likeness
    if likeness >= 0.99:
        reasons.append(f"The title matches “{wanted.title}”.")
    elif likeness >= 0.5:
        reasons.append(f"The title is close to “{wanted.title}” ({likeness * 100:.0f} % alike).")
    else:
        reasons.append(f"The title is not “{wanted.title}” ({likeness * 100:.0f} % alike).")

    official = official_channel(wanted, candidate.channel)
    if _artist_in(wanted, candidate.title):
        total += ARTIST_WEIGHT
        reasons.append(f"The title names the artist, {wanted.artist}.")
    elif _artist_in(wanted, candidate.channel):
        total += ARTIST_WEIGHT
        reasons.append(f"The channel names the artist, {wanted.artist}.")
    else:
        reasons.append(f"Neither the title nor the channel names the artist, {wanted.artist}.")
    if official:
        total += OFFICIAL_BONUS
        reasons.append(official)

    wanted_kinds = kinds_in(words(wanted.title))
    candidate_kinds = kinds_in(words(candidate.title))
    for kind in sorted(candidate_kinds - wanted_kinds):
        total -= KIND_PENALTY
        reasons.append(f"It looks like {KIND_SENTENCES[kind]}, which the wanted title is not.")
    for kind in sorted(wanted_kinds - candidate_kinds):
        total -= MISSING_KIND_PENALTY
        reasons.append(f"The wanted title is {KIND_SENTENCES[kind]}; this title does not say so.")

    total += _length(wanted, candidate, reasons)
    return Scored(candidate=candidate, score=round(min(1.0, max(0.0, total)), 2), reasons=reasons)


def _length(wanted: Wanted, candidate: Candidate, reasons: list[str]) -> float:
    if not wanted.duration or not candidate.duration:
        return 0.0
    difference = candidate.duration - wanted.duration
    gap = abs(difference)
    if gap <= max(LENGTH_CLOSE_SECONDS, LENGTH_CLOSE_SHARE * wanted.duration):
        reasons.append(
            f"Its length ({clock(candidate.duration)}) matches the known length "
            f"({clock(wanted.duration)})."
        )
        return LENGTH_BONUS
    if gap <= LENGTH_FAR_SECONDS:
        return 0.0
    longer = "longer" if difference > 0 else "shorter"
    reasons.append(f"It is {clock(gap)} {longer} than the known length ({clock(wanted.duration)}).")
    return -LENGTH_PENALTY


def rank(candidates: list[Candidate], wanted: Wanted) -> list[Scored]:
    """Every candidate scored, best first (on a tie, one a catalogue vouches for first, then
    the finder's order); a URL found twice is kept once."""
    seen: set[str] = set()
    unique = []
    for candidate in candidates:
        if candidate.url not in seen:
            seen.add(candidate.url)
            unique.append(candidate)
    scored = [score(candidate, wanted) for candidate in unique]
    return sorted(scored, key=lambda item: (-item.score, not item.candidate.vouched_by))
