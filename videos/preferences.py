"""The library's settings (preferences app): how files are named, which sidecars are written.

The defaults reproduce the layout from before these settings existed,
``<Artist>/<Title> [<source id>].<ext>`` (videos.library.naming), so upgrading renames
nothing.
"""

from __future__ import annotations

from preferences.registry import SettingSpec
from preferences.validators import boolean, text

# A placeholder: the naming templates' real check (known tokens only, a 400 for the others)
# belongs to videos.library's naming templates and replaces this.
naming_template = text(max_length=500)

SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        key="naming.artist_folder",
        label="Artist folder name",
        default="{artist}",
        validate=naming_template,
        env="MVIDARR_NAMING_ARTIST_FOLDER",
        help="The template of an artist's folder inside the library.",
    ),
    SettingSpec(
        key="naming.file",
        label="Video file name",
        default="{title} [{source_id}]",
        validate=naming_template,
        env="MVIDARR_NAMING_FILE",
        help="The template of a video's file name, without its extension.",
    ),
    SettingSpec(
        key="sidecars.nfo",
        label="Write an NFO file beside each video",
        default=True,
        validate=boolean,
        env="MVIDARR_SIDECARS_NFO",
    ),
    SettingSpec(
        key="sidecars.thumb",
        label="Write a -thumb.jpg beside each video",
        default=True,
        validate=boolean,
        env="MVIDARR_SIDECARS_THUMB",
    ),
    SettingSpec(
        key="sidecars.artist",
        label="Write artist.nfo and folder.jpg in each artist's folder",
        default=True,
        validate=boolean,
        env="MVIDARR_SIDECARS_ARTIST",
    ),
    SettingSpec(
        key="sidecars.tags",
        label="Embed tags in mp4, m4a and mkv files",
        default=False,
        validate=boolean,
        env="MVIDARR_SIDECARS_TAGS",
    ),
)
