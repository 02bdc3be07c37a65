"""``/api/ignored/``: the ignore list — videos never downloaded nor added again. Everyone
signed in reads it; staff add to it (a video of the library, kept as ``ignored``, or a URL)
and remove from it (which un-ignores)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.services import ignore_add, ignore_remove_and_refresh
from mvidarr.api_docs import MAX_ID
from mvidarr.pagination import ListApi
from videos.api.serializers import SourceUrlField, errors
from videos.models import IgnoredEntry
from videos.selectors import ignored_get, ignored_list, video_get


class StaffMayChangeTheIgnoreList(BasePermission):
    message = "Only staff can add to or remove from the ignore list."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


class IgnoredArtistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "IgnoredArtist"


class IgnoredOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    extractor = serializers.CharField()
    source_id = serializers.CharField(help_text="With the extractor, the key; else the URL.")
    url = serializers.CharField()
    title = serializers.CharField()
    artist = IgnoredArtistSerializer(allow_null=True)
    video = serializers.IntegerField(
        source="video_id",
        allow_null=True,
        help_text="The video kept in the library with status ignored; null when it was "
        "deleted or never added.",
    )
    reason = serializers.CharField()
    user = serializers.CharField(source="user.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "IgnoredEntry"


class IgnoredInputSerializer(serializers.Serializer):
    video = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A video of the library."
    )
    url = SourceUrlField(
        max_length=2000,
        required=False,
        help_text="A video's address (the library's video with it, if there is one).",
    )
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "IgnoredInput"

    def validate(self, data: dict) -> dict:
        if ("video" in data) == ("url" in data):
            raise serializers.ValidationError("Give either a video (its id) or a URL.")
        return data


class IgnoredListApi(ListApi):
    permission_classes = [IsAuthenticated, StaffMayChangeTheIgnoreList]

    class FilterSerializer(serializers.Serializer):
        artist = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_ID, help_text="An artist id."
        )
        search = serializers.CharField(
            required=False, allow_blank=True, max_length=200, help_text="Part of the title or URL."
        )

        class Meta:
            ref_name = "IgnoredFilter"

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return IgnoredInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["ignore list"],
        summary="List the ignore list",
        parameters=[FilterSerializer],
        responses={200: IgnoredOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = ignored_list(artist_id=data.get("artist"), search=data.get("search", ""))
        return self.paginated(queryset, IgnoredOutputSerializer)

    @extend_schema(
        tags=["ignore list"],
        summary="Ignore a video or a URL (staff)",
        description="A video of the library stays, with status `ignored`; a URL that is not "
        "in the library gets an entry of its own. Ignoring again answers the same entry "
        "(200). Refused (409) while a download of the video waits or runs.",
        request=IgnoredInputSerializer,
        responses={
            201: IgnoredOutputSerializer,
            200: IgnoredOutputSerializer,
            **errors(400, 403, 409),
        },
    )
    def post(self, request):
        serializer = IgnoredInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        video = None
        if "video" in data:
            video = video_get(video_id=data["video"])
            if video is None:
                raise ValidationError({"video": [f"There is no video #{data['video']}."]})
        entry, created = ignore_add(
            user=request.user, video=video, url=data.get("url"), reason=data["reason"]
        )
        return Response(
            IgnoredOutputSerializer(ignored_get(entry_id=entry.pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class IgnoredDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeTheIgnoreList]

    @extend_schema(
        tags=["ignore list"],
        summary="Get an ignore-list entry",
        responses={200: IgnoredOutputSerializer, **errors(404)},
    )
    def get(self, request, entry_id: int):
        return Response(IgnoredOutputSerializer(entry_or_404(entry_id)).data)

    @extend_schema(
        tags=["ignore list"],
        summary="Remove an entry from the ignore list (staff)",
        description="The video it kept gets its status back (wanted, downloaded …) and may be "
        "downloaded again.",
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request, entry_id: int):
        ignore_remove_and_refresh(entry=entry_or_404(entry_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


def entry_or_404(entry_id: int) -> IgnoredEntry:
    entry = ignored_get(entry_id=entry_id)
    if entry is None:
        raise NotFound(f"There is no ignore-list entry #{entry_id}.")
    return entry
