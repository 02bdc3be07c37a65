"""``GET /api/stats/``: the library in figures (:mod:`videos.stats`), for everyone signed in."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from mvidarr.api_docs import MAX_ID
from videos.api.serializers import errors
from videos.models import Artist
from videos.stats import library_stats


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="wanted, queued, downloading …")
    label = serializers.CharField(help_text="The status as the pages say it.")
    videos = serializers.IntegerField()

    class Meta:
        ref_name = "StatsStatus"


class QualityCountSerializer(serializers.Serializer):
    quality = serializers.CharField(
        help_text="2160p … 360p, audio (a file without a picture), or unknown (a height not known)."
    )
    files = serializers.IntegerField()
    size = serializers.IntegerField(help_text="Bytes.")
    duration = serializers.FloatField(help_text="Seconds.")

    class Meta:
        ref_name = "StatsQuality"


class LibraryStatsSerializer(serializers.Serializer):
    videos = serializers.IntegerField(help_text="Videos, whatever their status.")
    artists = serializers.IntegerField()
    files = serializers.IntegerField(help_text="Videos with a file in the library.")
    size = serializers.IntegerField(help_text="The files' total size in bytes.")
    duration = serializers.FloatField(help_text="The files' total duration in seconds.")
    by_status = StatusCountSerializer(many=True, help_text="Every status, in the pages' order.")
    by_quality = QualityCountSerializer(
        many=True, help_text="The qualities that have files, best first."
    )

    class Meta:
        ref_name = "LibraryStats"


class StatsFilterSerializer(serializers.Serializer):
    artist = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="One artist's figures."
    )

    class Meta:
        ref_name = "StatsFilter"


class StatsApi(APIView):
    @extend_schema(
        tags=["videos"],
        summary="The library in figures",
        description="How many videos (by status), artists and files (by quality), and the "
        "files' total size and duration; of the whole library or of one `artist`.",
        parameters=[StatsFilterSerializer],
        responses={200: LibraryStatsSerializer, **errors(400, 404)},
    )
    def get(self, request):
        filters = StatsFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        artist_id = filters.validated_data.get("artist")
        if artist_id is not None and not Artist.objects.filter(pk=artist_id).exists():
            raise NotFound("There is no such artist.")
        return Response(LibraryStatsSerializer(asdict(library_stats(artist_id=artist_id))).data)
