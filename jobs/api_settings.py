"""``/api/settings/`` (the general settings, staff) and ``/api/settings/cookies`` (upload or
remove the cookies file, staff; its content is never served back)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.services.settings import (
    cookies_remove,
    cookies_state,
    cookies_upload,
    general_setting_states,
    general_settings_set,
)
from mvidarr.api_docs import documented_errors, error_responses
from videos.selectors import profile_default

_ERRORS = error_responses(_403="Only staff can see and change the settings.")


def errors(*codes: int):
    return documented_errors(_ERRORS, *codes)


class GeneralSettingSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField()
    default = serializers.JSONField()
    help = serializers.CharField()
    source = serializers.CharField(help_text='"settings", "default" or "environment (VAR)".')
    read_only = serializers.BooleanField(
        help_text="Set in the environment: shown, but changed only there."
    )

    class Meta:
        ref_name = "GeneralSetting"


class CookiesSerializer(serializers.Serializer):
    is_set = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)
    source = serializers.CharField()
    read_only = serializers.BooleanField()

    class Meta:
        ref_name = "CookiesFile"


class DefaultProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class SettingsSerializer(serializers.Serializer):
    settings = GeneralSettingSerializer(many=True)
    cookies = CookiesSerializer(help_text="Whether a cookies file is set, never its content.")
    default_profile = DefaultProfileSerializer()

    class Meta:
        ref_name = "GeneralSettings"


def settings_representation() -> dict:
    cookies = cookies_state()
    profile = profile_default()
    return {
        "settings": [
            {
                "key": state.spec.key,
                "label": state.spec.label,
                "value": state.value,
                "default": state.spec.default,
                "help": state.spec.help,
                "source": state.source,
                "read_only": state.read_only,
            }
            for state in general_setting_states()
        ],
        "cookies": {
            "is_set": cookies.is_set,
            "updated_at": cookies.updated_at,
            "source": cookies.source,
            "read_only": cookies.read_only,
        },
        "default_profile": {"id": profile.pk, "name": profile.name},
    }


def _answer() -> Response:
    return Response(SettingsSerializer(settings_representation()).data)


class SettingsApi(APIView):
    permission_classes = [IsAuthenticated, IsAdminUser]

    @extend_schema(
        tags=["settings"],
        summary="The general settings (staff)",
        description="Downloads at once per worker and per site, the minimum free space, how "
        "long finished jobs are kept, the housekeeping schedule, the proxy, whether a cookies "
        "file is set (never its content) and the default quality profile. A setting its "
        "environment variable gives is `read_only`, with the variable in `source`.",
        responses={200: SettingsSerializer, **errors(403)},
    )
    def get(self, request):
        return _answer()

    @extend_schema(
        tags=["settings"],
        summary="Change the general settings (staff)",
        description='A JSON object of key → value ({"downloads.per_site": 1}, '
        '{"default_profile": 3}); all or nothing, each checked with a sentence on error. '
        "Applies without a restart: the next download claims its slots with the new limits. "
        "Answers as GET does.",
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses={200: SettingsSerializer, **errors(400, 403)},
    )
    def patch(self, request):
        general_settings_set(values=request.data, user=request.user)
        return _answer()


class CookiesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A Netscape cookies.txt, at most 512 KB.")

    class Meta:
        ref_name = "CookiesUpload"


class CookiesApi(APIView):
    permission_classes = [IsAuthenticated, IsAdminUser]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["settings"],
        summary="Upload the cookies file (staff)",
        description="multipart/form-data with `file`: a Netscape cookies.txt (at most 512 KB), "
        "given to yt-dlp from the next download. It is kept outside the library and never "
        "served back: the answer says only that one is set and since when.",
        request={"multipart/form-data": CookiesUploadSerializer},
        responses={200: CookiesSerializer, **errors(400, 403)},
    )
    def put(self, request):
        upload = CookiesUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        state = cookies_upload(content=upload.validated_data["file"].read(), user=request.user)
        return Response(CookiesSerializer(_cookies(state)).data)

    @extend_schema(
        tags=["settings"],
        summary="Remove the cookies file (staff)",
        description="Downloads go without cookies from the next one.",
        request=None,
        responses={200: CookiesSerializer, **errors(400, 403)},
    )
    def delete(self, request):
        return Response(CookiesSerializer(_cookies(cookies_remove(user=request.user))).data)


def _cookies(state) -> dict:
    return {
        "is_set": state.is_set,
        "updated_at": state.updated_at,
        "source": state.source,
        "read_only": state.read_only,
    }
