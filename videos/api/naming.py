"""``/api/settings/naming``: the naming templates (read by everyone signed in, changed by
staff), their preview on a sample video, and ``/api/library/rename``: which files a rename
would move (staff) and the rename itself (a ``library_rename`` job).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services.rename import library_rename_submit
from mvidarr.pagination import ListApi
from videos.api.serializers import errors
from videos.library.rename import rename_preview
from videos.library.templates import PRESETS, TOKENS, NamingTemplate
from videos.naming import (
    naming_preview,
    naming_sources,
    naming_template,
    naming_template_check,
    naming_template_set,
)


class StaffMayChangeNaming(BasePermission):
    message = "Only staff can change the naming templates."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


def _template_field(name: str, help_text: str, *, required: bool = True):
    return serializers.CharField(
        required=required,
        allow_blank=True,
        trim_whitespace=False,
        max_length=1000,  # the templates' own check says more (255) in a sentence
        help_text=help_text,
    )


ARTIST_FOLDER_HELP = (
    "The artist folder's template, e.g. {artist}; / nests folders; empty: no folder."
)
FILE_HELP = "The file name's template without the extension, e.g. {title} [{source_id}]."


class NamingInputSerializer(serializers.Serializer):
    artist_folder = _template_field("artist_folder", ARTIST_FOLDER_HELP)
    file = _template_field("file", FILE_HELP)

    class Meta:
        ref_name = "NamingInput"


class NamingPreviewQuerySerializer(serializers.Serializer):
    artist_folder = _template_field("artist_folder", ARTIST_FOLDER_HELP, required=False)
    file = _template_field("file", FILE_HELP, required=False)

    class Meta:
        ref_name = "NamingPreviewQuery"


class PresetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    artist_folder = serializers.CharField(source="template.artist_folder")
    file = serializers.CharField(source="template.file")
    help = serializers.CharField()

    class Meta:
        ref_name = "NamingPreset"


class TokenSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Written {name} in a template.")
    help = serializers.CharField()

    class Meta:
        ref_name = "NamingToken"


class SourcesSerializer(serializers.Serializer):
    artist_folder = serializers.CharField()
    file = serializers.CharField()

    class Meta:
        ref_name = "NamingSources"


class SampleVideoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()

    class Meta:
        ref_name = "NamingSampleVideo"


class NamingPreviewSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="Where the sample's file goes, inside the library.")
    warning = serializers.CharField(
        help_text="Why a media server would mishandle that name (Jellyfin's versions); "
        "empty when none."
    )
    video = SampleVideoSerializer(
        allow_null=True, help_text="The sample: the newest file's video; null: an example."
    )

    class Meta:
        ref_name = "NamingPreview"


class NamingOutputSerializer(serializers.Serializer):
    artist_folder = serializers.CharField()
    file = serializers.CharField()
    sources = SourcesSerializer(
        help_text='Where each comes from: "default", "settings" or "environment (MVIDARR_…)" '
        "(then it can only be changed there)."
    )
    preview = NamingPreviewSerializer()
    presets = PresetSerializer(many=True)
    tokens = TokenSerializer(many=True)

    class Meta:
        ref_name = "Naming"


class RenameItemSerializer(serializers.Serializer):
    video = SampleVideoSerializer(help_text="The video whose file would be renamed.")
    current = serializers.CharField(help_text="Its path now, inside the library.")
    new = serializers.CharField(help_text="Its path after the rename.")

    class Meta:
        ref_name = "RenameItem"


def naming_representation() -> dict:
    template = naming_template()
    return {
        "artist_folder": template.artist_folder,
        "file": template.file,
        "sources": naming_sources(),
        "preview": preview_representation(template),
        "presets": PresetSerializer(PRESETS, many=True).data,
        "tokens": [{"name": name, "help": text} for name, text in TOKENS.items()],
    }


def preview_representation(template: NamingTemplate) -> dict:
    preview = naming_preview(template)
    video = preview.video
    return {
        "path": preview.path,
        "warning": preview.warning,
        "video": {"id": video.pk, "title": video.title} if video is not None else None,
    }


def template_from_query(query) -> NamingTemplate:
    """The templates a query names (each one it leaves out: the one in force); a 400 with
    the sentence for one that is refused."""
    serializer = NamingPreviewQuerySerializer(data=query)
    serializer.is_valid(raise_exception=True)
    current = naming_template()
    data = serializer.validated_data
    try:
        return naming_template_check(
            artist_folder=data.get("artist_folder", current.artist_folder),
            file=data.get("file", current.file),
        )
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None


class NamingSettingsApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeNaming]

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return NamingInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["settings"],
        summary="The naming templates",
        description="The templates new downloads are named by, where each comes from, a "
        "preview on the newest file, the presets and the tokens.",
        responses={200: NamingOutputSerializer, **errors()},
    )
    def get(self, request):
        return Response(naming_representation())

    @extend_schema(
        tags=["settings"],
        summary="Change the naming templates (staff)",
        description="Both templates are checked before either is stored; an unknown token or "
        "a stray brace is a 400 with a sentence. New downloads follow at once; files already "
        "in the library keep their names until a rename (POST /api/library/rename).",
        request=NamingInputSerializer,
        responses={200: NamingOutputSerializer, **errors(400, 403)},
    )
    def put(self, request):
        serializer = NamingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            naming_template_set(
                artist_folder=data["artist_folder"], file=data["file"], user=request.user
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(naming_representation())


class NamingPreviewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["settings"],
        summary="Preview naming templates on a sample video",
        description="Where the newest file of the library (or an example) would go under "
        "these templates, and Jellyfin's versions warning when the name starts with its "
        "folder's. A template left out is the one in force.",
        parameters=[NamingPreviewQuerySerializer],
        responses={200: NamingPreviewSerializer, **errors(400)},
    )
    def get(self, request):
        return Response(preview_representation(template_from_query(request.query_params)))


class LibraryRenameApi(ListApi):
    permission_classes = [IsAuthenticated, IsAdminUser]

    @extend_schema(
        tags=["settings"],
        summary="Files a rename would move (staff)",
        description="Every file whose path differs from what the templates give it, with its "
        "new path (numbered, as Title (2), when another file holds the name). The templates "
        "in force unless the query names others.",
        parameters=[NamingPreviewQuerySerializer],
        responses={200: RenameItemSerializer(many=True), **errors(400, 403)},
    )
    def get(self, request):
        items = rename_preview(template_from_query(request.query_params))
        return self.paginated(items, _rename_items)

    @extend_schema(
        tags=["settings"],
        summary="Rename the library's files to the templates (staff)",
        description="202 with the library_rename job, which moves each file with its "
        "sidecars (all or none), records a renamed history event per video, and leaves a "
        "file it cannot move under its old name; 409 while a rename is queued or running.",
        request=None,
        responses={202: JobSerializer, **errors(403, 409)},
    )
    def post(self, request):
        job = library_rename_submit(template=naming_template(), user=request.user)
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


def _rename_items(items) -> list[dict]:
    return [
        {
            "video": {"id": item.video_id, "title": item.title},
            "current": item.current,
            "new": item.new,
        }
        for item in items
    ]
