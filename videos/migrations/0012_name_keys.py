"""Artists and videos get a stored name key (``videos.name_keys``) that every "same artist /
same title" lookup compares, whatever the database.

The old rule, a unique ``LOWER(name)``, folded ASCII only on SQLite, so "Björk" and "BJÖRK"
could both be stored there (and "Straße" and "STRASSE" on PostgreSQL). Such artists now have
the same key; the key is unique, so the later of them (by id) is renamed "BJÖRK (#12)" — its
videos, folder and settings untouched — for a person to merge or rename. Going back drops
the keys and restores the old constraint; renamed artists keep their new name.
"""

import hashlib
import unicodedata

from django.db import migrations, models

import videos.keyfields

# A copy of videos.name_keys as it was when this migration was written.
KEY_LENGTH = 255


def name_key(text):
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text or "").casefold())
    key = " ".join(folded.split())
    if len(key) > KEY_LENGTH:
        key = f"{key[: KEY_LENGTH - 65]}#{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def fill_keys(apps, schema_editor):
    Artist, Video = apps.get_model("videos", "Artist"), apps.get_model("videos", "Video")
    taken, artists = set(), []
    for artist in Artist.objects.order_by("pk").only("pk", "name").iterator():
        key = name_key(artist.name)
        if key in taken:
            suffix = f" (#{artist.pk})"
            artist.name = f"{artist.name[: 255 - len(suffix)]}{suffix}"
            key = name_key(artist.name)
        taken.add(key)
        artist.name_key = key
        artists.append(artist)
    Artist.objects.bulk_update(artists, ["name", "name_key"], batch_size=500)
    videos = []
    for video in Video.objects.only("pk", "title").iterator():
        video.title_key = name_key(video.title)
        videos.append(video)
        if len(videos) == 500:
            Video.objects.bulk_update(videos, ["title_key"])
            videos = []
    Video.objects.bulk_update(videos, ["title_key"])


class Migration(migrations.Migration):
    dependencies = [("videos", "0011_artist_image_url")]

    operations = [
        migrations.RemoveConstraint(model_name="artist", name="artist_name_unique_ci"),
        migrations.AddField(
            model_name="artist",
            name="name_key",
            field=videos.keyfields.NameKeyField(source="name"),
        ),
        migrations.AddField(
            model_name="video",
            name="title_key",
            field=videos.keyfields.NameKeyField(source="title"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="video",
            index=models.Index(fields=["artist", "title_key"], name="video_artist_title_key"),
        ),
        migrations.AddConstraint(
            model_name="artist",
            constraint=models.UniqueConstraint(fields=["name_key"], name="artist_name_key_unique"),
        ),
    ]
