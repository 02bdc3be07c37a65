"""Health, readiness, the monitoring page, metrics and versions. No logic of their own."""

from __future__ import annotations

import hmac
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from drf_spectacular.utils import extend_schema
from prometheus_client import CONTENT_TYPE_LATEST
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from mvidarr.ops import metrics
from mvidarr.ops.health import readiness
from mvidarr.ops.monitoring import ops_snapshot
from mvidarr.ops.version import app_version, ytdlp_version


@never_cache
@require_safe
def healthz(request):
    """The process answers. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """``{"status": "ok"|"fail"}``, 503 when a dependency the app cannot work without is down.

    Each check's detail (paths, the database kind, worker counts) is for staff or the
    metrics token only: it maps the installation for anyone who asks.
    """
    result = readiness()
    status = 200 if result["status"] == "ok" else 503
    if not (_bearer_token_ok(request) or request.user.is_staff):
        result = {"status": result["status"]}
    return JsonResponse(result, status=status)


def staff_required(view):
    """Anonymous visitors go to the login page; signed-in users who are not staff get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            return HttpResponse("The monitoring page is for staff only.", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_GET
@staff_required
def ops_page(request):
    return render(
        request,
        "ops/page.html",
        {"snapshot": ops_snapshot(), "poll_ms": settings.OPS_POLL_SECONDS * 1000},
    )


@never_cache
@require_GET
@staff_required
def ops_status(request):
    return JsonResponse(ops_snapshot())


def _bearer_token_ok(request) -> bool:
    expected = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus text format, for staff (session) or ``Authorization: Bearer METRICS_TOKEN``."""
    if not (_bearer_token_ok(request) or request.user.is_staff):
        if request.user.is_authenticated:
            return HttpResponse("Metrics are for staff or the metrics token.", status=403)
        response = HttpResponse(
            "Sign in as staff, or send Authorization: Bearer <METRICS_TOKEN>.", status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)


class VersionApi(APIView):
    """``GET /api/version/``: ``{"mvidarr": "0.1.0", "yt_dlp": "2026.10.26"}``."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        mvidarr = serializers.CharField(help_text="MVidarr's version.")
        yt_dlp = serializers.CharField(help_text="The installed yt-dlp's version.")

    @extend_schema(operation_id="version", responses=OutputSerializer, tags=["system"])
    def get(self, request):
        data = {"mvidarr": app_version(), "yt_dlp": ytdlp_version()}
        return Response(self.OutputSerializer(data).data)
