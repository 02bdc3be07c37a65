"""``/api/artists/``: list, add, change and delete artists, and list an artist's videos."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services import artist_edit, artist_merge
from mvidarr.pagination import KeysFirst, ListApi
from videos.api.serializers import (
    ArtistOutputSerializer,
    VideoFilterSerializer,
    VideoOutputSerializer,
    errors,
    video_filters,
)
from videos.metadata_rules import validate_provider_ids
from videos.models import Artist, QualityProfile
from videos.selectors import artist_get, artist_list, video_list
from videos.services import artist_create, artist_delete


class StaffMayChangeArtists(BasePermission):
    """Reading artists is for everyone signed in; adding, renaming and deleting is for staff.

    An artist's name is the folder of every file of its videos, whoever added them: a rename
    moves other users' files on their next download.
    """

    message = "Only staff can add, rename or delete artists."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


# A name another artist has is refused by the service (ArtistNameTaken: a 400 on "name").
class ArtistInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    sort_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Made from the name if empty."
    )
    monitored = serializers.BooleanField(required=False, default=False)
    monitor_new = serializers.ChoiceField(
        choices=Artist.MonitorNew.choices,
        required=False,
        help_text="What to download of newly found videos while monitored: all, none, or only "
        "those published after monitoring started (new).",
    )
    quality_profile = serializers.PrimaryKeyRelatedField(
        queryset=QualityProfile.objects.all(),
        required=False,
        allow_null=True,
        help_text="A quality profile's id; null: the default profile.",
        error_messages={"does_not_exist": "There is no quality profile #{pk_value}."},
    )
    provider_ids = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        validators=[validate_provider_ids],
        help_text='Ids at outside catalogues: {"musicbrainz": a UUID, "imvdb": digits}.',
    )

    class Meta:
        ref_name = "ArtistInput"


class ArtistListApi(ListApi):
    permission_classes = [IsAuthenticated, StaffMayChangeArtists]

    class FilterSerializer(serializers.Serializer):
        search = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return ArtistInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["artists"],
        summary="List artists",
        parameters=[FilterSerializer],
        responses={200: ArtistOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = artist_list(search=filters.validated_data.get("search", ""))
        return self.paginated(queryset, ArtistOutputSerializer)

    @extend_schema(
        tags=["artists"],
        summary="Add an artist (staff)",
        request=ArtistInputSerializer,
        responses={201: ArtistOutputSerializer, **errors(400, 403)},
    )
    def post(self, request):
        serializer = ArtistInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        artist = artist_create(**serializer.validated_data)
        return Response(
            ArtistOutputSerializer(artist_get(artist_id=artist.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ArtistUpdatedOutputSerializer(ArtistOutputSerializer):
    files_job = JobSerializer(
        allow_null=True,
        help_text="After a rename: the library_rename job that moves the artist's files to "
        "their new names and writes their sidecars again; null when the name did not change "
        "or no video of the artist has a file.",
    )

    class Meta:
        ref_name = "ArtistUpdated"


class ArtistDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeArtists]

    def get_serializer(self, *args, **kwargs):
        return ArtistInputSerializer(*args, partial=True, **kwargs)

    @extend_schema(
        tags=["artists"],
        summary="Get an artist",
        responses={200: ArtistOutputSerializer, **errors(404)},
    )
    def get(self, request, artist_id: int):
        return Response(ArtistOutputSerializer(artist_or_404(artist_id)).data)

    @extend_schema(
        tags=["artists"],
        summary="Change an artist (staff)",
        description="A new `name` renames the artist's files too: a library_rename job, "
        "returned as `files_job`, moves each of its videos' files to the name the naming "
        "templates give it (artist.nfo and folder.jpg follow the folder) and writes their "
        "sidecars again.",
        request=ArtistInputSerializer(partial=True),
        responses={200: ArtistUpdatedOutputSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request, artist_id: int):
        artist = artist_or_404(artist_id)
        serializer = ArtistInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        _, job = artist_edit(artist=artist, user=request.user, data=serializer.validated_data)
        body = ArtistOutputSerializer(artist_get(artist_id=artist.pk)).data
        return Response({**body, "files_job": job_representation(job) if job else None})

    @extend_schema(
        tags=["artists"],
        summary="Delete an artist (staff)",
        description="Its videos stay in the library, without an artist.",
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request, artist_id: int):
        artist_delete(artist=artist_or_404(artist_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffMayMergeArtists(BasePermission):
    message = "Only staff can merge artists."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_staff)


class ArtistMergeApi(APIView):
    """Merge one artist into another: two spellings of one artist become one."""

    permission_classes = [IsAuthenticated, StaffMayMergeArtists]

    class InputSerializer(serializers.Serializer):
        into = serializers.PrimaryKeyRelatedField(
            queryset=Artist.objects.all(),
            help_text="The id of the artist kept (its name stays); the artist of the address "
            "is deleted once its videos, sources, ignore-list entries and history are moved.",
            error_messages={"does_not_exist": "There is no artist #{pk_value}."},
        )

        class Meta:
            ref_name = "ArtistMergeInput"

    class OutputSerializer(ArtistUpdatedOutputSerializer):
        moved = serializers.DictField(
            child=serializers.IntegerField(),
            help_text="How many videos, sources and ignore-list entries moved to the artist kept.",
        )

        class Meta:
            ref_name = "ArtistMerged"

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["artists"],
        summary="Merge an artist into another (staff)",
        description="The artist of the address is merged into `into`: its videos, sources, "
        "ignore-list entries and history move there, `into` keeps its name and takes the "
        "catalogue ids, picture, quality profile and monitoring it lacked, and the artist is "
        "deleted. When a moved video has a file, a library_rename job (`files_job`) moves the "
        "files to the names the templates give them and writes their sidecars again.",
        request=InputSerializer,
        responses={200: OutputSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, artist_id: int):
        artist = artist_or_404(artist_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        into, job, merged = artist_merge(
            artist=artist, into=serializer.validated_data["into"], user=request.user
        )
        body = ArtistOutputSerializer(artist_get(artist_id=into.pk)).data
        moved = {"videos": merged.videos, "sources": merged.sources, "ignored": merged.ignored}
        return Response(
            {**body, "files_job": job_representation(job) if job else None, "moved": moved}
        )


class ArtistVideosApi(ListApi):
    @extend_schema(
        tags=["artists"],
        summary="List an artist's videos",
        parameters=[VideoFilterSerializer(partial=True)],
        responses={200: VideoOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request, artist_id: int):
        artist = artist_or_404(artist_id)
        filters = {**video_filters(request), "artist_id": artist.pk}
        return self.paginated(
            KeysFirst(video_list(**filters), rows=video_list()), VideoOutputSerializer
        )


def artist_or_404(artist_id: int) -> Artist:
    artist = artist_get(artist_id=artist_id)
    if artist is None:
        raise NotFound(f"There is no artist #{artist_id}.")
    return artist
