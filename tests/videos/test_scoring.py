"""Scoring a finder's candidates: realistic search results, the official video on top."""

from __future__ import annotations

from videos.scoring import Candidate, Wanted, official_channel, rank, score, title_likeness

ARMY = Wanted(artist="Björk", title="Army of Me", duration=233)

# What a search for "Björk Army of Me" lists, in the site's order (not the best first).
SEARCH = [
    Candidate("https://v.test/lyrics", "Björk - Army of Me (Lyrics)", "Lyric Vault", 233),
    Candidate("https://v.test/live", "Björk - Army of Me (Live at Glastonbury 2007)", "björk", 290),
    Candidate("https://v.test/official", "Björk - Army of Me (Official Music Video)", "björk", 234),
    Candidate("https://v.test/cover", "Army of Me - Björk cover | Jane Doe", "Jane Doe Music", 240),
    Candidate(
        "https://v.test/reaction",
        "FIRST TIME HEARING Björk - Army of Me | REACTION",
        "ReactCity",
        900,
    ),
    Candidate("https://v.test/other", "Björk - Hyperballad (Official Music Video)", "björk", 261),
]


def by_url(results):
    return {item.candidate.url.rsplit("/", 1)[1]: item for item in results}


def test_the_official_video_ranks_first_and_alone_above_the_threshold():
    ranked = rank(SEARCH, ARMY)
    assert ranked[0].candidate.url == "https://v.test/official"
    assert ranked[0].score >= 0.9
    assert all(item.score < 0.7 for item in ranked[1:])


def test_the_lyric_live_cover_and_reaction_versions_each_say_what_they_are():
    scores = by_url(rank(SEARCH, ARMY))
    expectations = {
        "lyrics": "a lyric video",
        "live": "a live version",
        "cover": "a cover by someone else",
        "reaction": "a reaction video",
    }
    for name, words in expectations.items():
        assert scores[name].score < 0.5, name
        assert any(words in reason for reason in scores[name].reasons), name


def test_another_song_of_the_artist_is_not_taken_for_it():
    other = by_url(rank(SEARCH, ARMY))["other"]
    assert other.score < 0.5
    assert other.reasons[0] == "The title is not “Army of Me” (0 % alike)."


def test_a_wanted_title_that_says_live_prefers_the_live_version():
    live_wanted = Wanted(artist="Björk", title="Army of Me (Live)")
    ranked = rank(SEARCH, live_wanted)
    assert ranked[0].candidate.url == "https://v.test/live"
    official = by_url(ranked)["official"]
    assert official.score < 0.7
    assert "The wanted title is a live version; this title does not say so." in official.reasons
    assert not any("looks like a live version" in reason for reason in ranked[0].reasons)


def test_official_channels_are_the_artists_own_vevo_and_topic_and_count_as_a_bonus():
    assert official_channel(ARMY, "björk") == "“björk” is the artist's own channel."
    assert official_channel(ARMY, "BjorkVEVO") == "“BjorkVEVO” is the artist's VEVO channel."
    assert "YouTube's own channel" in official_channel(ARMY, "Björk - Topic")
    assert official_channel(ARMY, "Björk Fan Club") == ""
    assert official_channel(ARMY, "Lyric Vault") == ""
    plain = Candidate("https://v.test/a", "Army of Me", "", None)
    topic = Candidate("https://v.test/b", "Army of Me", "Björk - Topic", None)
    fan = Candidate("https://v.test/c", "Army of Me", "Björk Fan Club", None)
    assert score(topic, ARMY).score > score(fan, ARMY).score > score(plain, ARMY).score


def test_a_length_far_from_the_known_length_costs_and_a_close_one_is_said():
    close = score(Candidate("https://v.test/a", "Björk - Army of Me", "x", 236), ARMY)
    far = score(Candidate("https://v.test/b", "Björk - Army of Me", "x", 600), ARMY)
    unknown = score(Candidate("https://v.test/c", "Björk - Army of Me", "x", None), ARMY)
    assert close.score > unknown.score > far.score
    assert "Its length (3:56) matches the known length (3:53)." in close.reasons
    assert "It is 6:07 longer than the known length (3:53)." in far.reasons
    assert not any("length" in reason for reason in unknown.reasons)


def test_title_likeness_ignores_case_accents_the_artist_and_noise_words():
    assert title_likeness(ARMY, Candidate("u", "BJORK — ARMY OF ME [HD] (Official Video)")) == 1
    assert title_likeness(ARMY, Candidate("u", "Hyperballad")) == 0
    assert 0.5 < title_likeness(ARMY, Candidate("u", "Army of Me (Glastonbury 2007)")) < 1


def test_every_reason_is_a_sentence_and_scores_stay_between_zero_and_one():
    for wanted in (ARMY, Wanted(artist="Björk", title="Army of Me (Live)")):
        for item in rank(SEARCH, wanted):
            assert 0 <= item.score <= 1
            assert item.reasons
            assert all(
                (reason[0].isupper() or reason[0] == "“") and reason.endswith(".")
                for reason in item.reasons
            )


def test_a_url_listed_twice_is_ranked_once_and_ties_keep_the_finders_order():
    twice = [SEARCH[2], SEARCH[2], Candidate("https://v.test/same", SEARCH[2].title, "björk", 234)]
    ranked = rank(twice, ARMY)
    assert [item.candidate.url for item in ranked] == [
        "https://v.test/official",
        "https://v.test/same",
    ]
    assert ranked[0].as_dict() == {
        "url": "https://v.test/official",
        "title": "Björk - Army of Me (Official Music Video)",
        "channel": "björk",
        "duration": 234,
        "score": ranked[0].score,
        "reasons": ranked[0].reasons,
    }
