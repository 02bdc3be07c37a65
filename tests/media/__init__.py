"""Test media toolkit: tiny clips made with ffmpeg, a local HTTP server that misbehaves on demand.

- ``clips.make_clips(dest)`` makes progressive MP4s, an audio-only M4A and HLS masters once.
- ``server.MediaServer(root)`` serves them on 127.0.0.1 with failure modes chosen by URL prefix.
- ``conftest_plugin`` offers the session fixtures ``media_clips`` and ``media_server``.
"""
