"""The library's settings (preferences app): how files are named, which sidecars are written.

The defaults reproduce the layout from before these settings existed,
``<Artist>/<Title> [<source id>].<ext>`` (videos.library.naming), so upgrading renames
nothing.
"""

from __future__ import annotations

from preferences.registry import SettingSpec
from preferences.validators import boolean
from videos.download_settings import SETTINGS as DOWNLOAD_SETTINGS
from videos.library.templates import (
    DEFAULT_TEMPLATE,
    check_artist_folder_template,
    check_file_template,
)
from videos.providers.settings import SETTINGS as PROVIDER_SETTINGS

SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        key="naming.artist_folder",
        label="Artist folder name",
        default=DEFAULT_TEMPLATE.artist_folder,
        validate=check_artist_folder_template,
        env="MVIDARR_NAMING_ARTIST_FOLDER",
        help="The template of an artist's folder inside the library (videos.library.templates"
        " lists the tokens); empty: every file in the library's top folder.",
    ),
    SettingSpec(
        key="naming.file",
        label="Video file name",
        default=DEFAULT_TEMPLATE.file,
        validate=check_file_template,
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
    *PROVIDER_SETTINGS,
    *DOWNLOAD_SETTINGS,
)
