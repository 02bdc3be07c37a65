"""``/api/profiles/``: quality profiles, read by everyone signed in, changed by staff."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from mvidarr.pagination import ListApi
from videos.api.serializers import errors
from videos.models import QualityProfile
from videos.profiles import profile_create, profile_delete, profile_update
from videos.quality import PROFILE_QUALITIES
from videos.selectors import profile_get, profile_list


class StaffMayChangeProfiles(BasePermission):
    message = "Only staff can add, change or delete quality profiles."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


class ProfileOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    qualities = serializers.ListField(
        child=serializers.ChoiceField(choices=PROFILE_QUALITIES), help_text="Best first."
    )
    cutoff = serializers.CharField(help_text="A file at or above it is good enough; empty: none.")
    upgrade_allowed = serializers.BooleanField()
    container = serializers.ChoiceField(choices=QualityProfile.Container.choices)
    format = serializers.CharField(help_text="A raw yt-dlp format string; overrides the rest.")
    is_default = serializers.BooleanField()
    artist_count = serializers.IntegerField(help_text="Artists that follow this profile.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "QualityProfile"


# The qualities, the cutoff, the format string and a taken name are checked by the service
# (videos.profiles: a 400 on the field, with the reason; yt-dlp's own for the format string).
class ProfileInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    qualities = serializers.ListField(
        child=serializers.CharField(max_length=16),
        help_text=f"Allowed qualities, best first: any of {', '.join(PROFILE_QUALITIES)} "
        "(audio alone makes an audio-only profile).",
    )
    cutoff = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    upgrade_allowed = serializers.BooleanField(required=False, default=False)
    container = serializers.ChoiceField(
        choices=QualityProfile.Container.choices, required=False, default="any"
    )
    format = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="A raw yt-dlp format string (checked by yt-dlp); overrides qualities and "
        "container.",
    )
    is_default = serializers.BooleanField(
        required=False, default=False, help_text="The old default stops being one."
    )

    class Meta:
        ref_name = "QualityProfileInput"


class ProfileListApi(ListApi):
    permission_classes = [IsAuthenticated, StaffMayChangeProfiles]

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return ProfileInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["profiles"],
        summary="List quality profiles",
        responses={200: ProfileOutputSerializer(many=True), **errors(404)},
    )
    def get(self, request):
        return self.paginated(profile_list(), ProfileOutputSerializer)

    @extend_schema(
        tags=["profiles"],
        summary="Add a quality profile (staff)",
        request=ProfileInputSerializer,
        responses={201: ProfileOutputSerializer, **errors(400, 403)},
    )
    def post(self, request):
        serializer = ProfileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = profile_create(data=serializer.validated_data)
        return Response(
            ProfileOutputSerializer(profile_get(profile_id=profile.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ProfileDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeProfiles]

    def get_serializer(self, *args, **kwargs):
        return ProfileInputSerializer(*args, partial=True, **kwargs)

    @extend_schema(
        tags=["profiles"],
        summary="Get a quality profile",
        responses={200: ProfileOutputSerializer, **errors(404)},
    )
    def get(self, request, profile_id: int):
        return Response(ProfileOutputSerializer(profile_or_404(profile_id)).data)

    @extend_schema(
        tags=["profiles"],
        summary="Change a quality profile (staff)",
        description="Downloads already queued keep the plan they were submitted with.",
        request=ProfileInputSerializer(partial=True),
        responses={200: ProfileOutputSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request, profile_id: int):
        profile = profile_or_404(profile_id)
        serializer = ProfileInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile_update(profile=profile, data=serializer.validated_data)
        return Response(ProfileOutputSerializer(profile_get(profile_id=profile.pk)).data)

    @extend_schema(
        tags=["profiles"],
        summary="Delete a quality profile (staff)",
        description="Its artists follow the default profile from then on; the default "
        "profile itself cannot be deleted (409).",
        responses={204: None, **errors(403, 404, 409)},
    )
    def delete(self, request, profile_id: int):
        profile_delete(profile=profile_or_404(profile_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


def profile_or_404(profile_id: int) -> QualityProfile:
    profile = profile_get(profile_id=profile_id)
    if profile is None:
        raise NotFound(f"There is no quality profile #{profile_id}.")
    return profile
