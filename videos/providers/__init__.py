"""Metadata providers (IMVDb, MusicBrainz): one interface, :mod:`videos.providers.base`.

A provider is a small client module with its own errors marked transient or permanent (the
yt-dlp boundary's :class:`videos.ytdlp.TransientError` and :class:`PermanentError`, so the
job runners treat both alike), called from a job and never from a request (the IMVDb
search of the pages is the one exception: a person waits for it, and it is cached and
rate-limited like every call). Every call goes through :mod:`videos.providers.http`: cached
in Redis for every process, rate-limited per provider across processes
(:mod:`videos.providers.limiter`), with timeouts and a size cap.
"""
