"""``/api/library/import-scan`` and ``/api/library/import-apply``: a manual import (staff).

A scan reads a folder the server may read (the library, or one of ``MVIDARR_IMPORT_ROOTS``)
and lists each file with what it was matched to and what is wrong with it; nothing changes.
Applying the rows a person ticked makes each a video with its file.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.models import ImportRow
from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services.importing import import_apply_submit, import_scan_find, import_scan_submit
from mvidarr.api_docs import documented_errors, error_responses
from videos.library.import_paths import ImportMode, allowed_roots

_ERRORS = error_responses(
    _403="Only staff may import files.",
    _404="There is no import scan with this id.",
)


def errors(*codes: int):
    return documented_errors(_ERRORS, *codes)


class ImportRowSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    path = serializers.CharField()
    artist = serializers.CharField()
    title = serializers.CharField()
    matched_video = serializers.SerializerMethodField()
    source = serializers.CharField(help_text='What matched: "nfo", "name_id", "tags" or "name".')
    confidence = serializers.FloatField()
    problems = serializers.ListField(child=serializers.CharField())
    applied = serializers.BooleanField()
    outcome = serializers.CharField()

    class Meta:
        ref_name = "ImportRow"

    def get_matched_video(self, row: ImportRow) -> dict | None:
        video = row.matched_video
        if video is None:
            return None
        return {"id": video.pk, "title": video.title}


class ImportScanOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="The scan job's status.")
    job = JobSerializer()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    rows = ImportRowSerializer(many=True)


class RowsPagination(PageNumberPagination):
    page_size = 100


class ImportScanApi(APIView):
    permission_classes = [IsAuthenticated, IsAdminUser]

    class InputSerializer(serializers.Serializer):
        path = serializers.CharField(
            trim_whitespace=False, help_text="The full path of a folder the server can read."
        )
        mode = serializers.ChoiceField(
            choices=[mode.value for mode in ImportMode],
            error_messages={
                "invalid_choice": "“{input}” is not an import mode; use move, copy, hardlink "
                "or in_place."
            },
        )

        class Meta:
            ref_name = "ImportScanInput"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["import"],
        summary="Scan a folder for an import (staff)",
        description="202 with the import_scan job, which reads the folder and its subfolders "
        "(inside the library or one of MVIDARR_IMPORT_ROOTS, symlinks resolved and checked) "
        "and matches each file: an NFO's uniqueid, a [source id] in the name, the embedded "
        "tags, else 'Artist - Title' or Artist/Title. Nothing changes until rows are "
        "applied. `in_place` only for a folder inside the library.",
        request=InputSerializer,
        responses={202: JobSerializer, **errors(400, 403)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = import_scan_submit(path=data["path"], mode=data["mode"], user=request.user)
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


class ImportScanDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsAdminUser]

    @extend_schema(
        tags=["import"],
        summary="An import scan's rows (staff)",
        description="The scan job's status and the files found so far, 100 a page (?page=), "
        "each with the artist and title read, the matched video, what matched, a confidence "
        "from 0 to 1, its problems, and whether it was imported.",
        responses={200: ImportScanOutputSerializer, **errors(403, 404)},
    )
    def get(self, request, job_id: int):
        scan = import_scan_find(job_id)
        if scan is None:
            raise NotFound(f"There is no import scan #{job_id}.")
        rows = ImportRow.objects.filter(job=scan).select_related("matched_video")
        paginator = RowsPagination()
        page = paginator.paginate_queryset(rows.order_by("index"), request, view=self)
        return Response(
            {
                "status": scan.status,
                "job": job_representation(scan),
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "rows": ImportRowSerializer(page, many=True).data,
            }
        )


class ImportApplyApi(APIView):
    permission_classes = [IsAuthenticated, IsAdminUser]

    class InputSerializer(serializers.Serializer):
        scan = serializers.IntegerField(help_text="The import scan job's id.")
        rows = serializers.ListField(
            child=serializers.IntegerField(min_value=0),
            allow_empty=False,
            help_text="The indexes of the rows to import.",
        )

        class Meta:
            ref_name = "ImportApplyInput"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["import"],
        summary="Import rows of a scan (staff)",
        description="202 with the import_apply job: each row becomes a video with its file "
        "(moved, copied, hard-linked or left in place as the scan's mode says), named by the "
        "naming templates with its sidecars, and an `imported` history event. A row already "
        "imported, or whose video has a file by now, is skipped with the reason.",
        request=InputSerializer,
        responses={202: JobSerializer, **errors(400, 403)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = import_apply_submit(scan_id=data["scan"], rows=data["rows"], user=request.user)
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


def import_roots_representation() -> list[str]:
    """The folders an import may read, for the page."""
    return [str(root) for root in allowed_roots()]
