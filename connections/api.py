"""``/api/connections/``: webhooks, Apprise and media servers (staff only).

Secrets are write-only: a connection's ``settings`` never hold them on the way out,
``secrets_set`` names those that have a value, and a change that leaves one out (or sends
null) keeps it. ``POST /api/connections/<id>/test`` answers 202 with the ``notify`` job that
sends the ``Test`` event: no request waits on the network.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from connections.events import EVENT_TYPES
from connections.kinds import secrets_set, settings_shown
from connections.models import Connection
from connections.selectors import connection_get, connection_list
from connections.services import connection_create, connection_delete, connection_update
from jobs.deliveries import connection_test_submit
from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from mvidarr.api_docs import documented_errors, error_responses
from mvidarr.pagination import ListApi

_ERRORS = error_responses(_404="There is no such connection.")
TAGS = ["connections"]


def errors(*codes: int):
    return documented_errors(_ERRORS, *codes)


class StaffOnly(BasePermission):
    message = "Only staff can see and change the connections."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_staff)


class ConnectionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Connection.Kind.choices)
    name = serializers.CharField()
    settings = serializers.SerializerMethodField(
        help_text="The kind's settings, secrets left out (see secrets_set)."
    )
    secrets_set = serializers.SerializerMethodField(
        help_text="The secret settings that have a value (never shown)."
    )
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES))
    enabled = serializers.BooleanField()
    last_outcome = serializers.ChoiceField(
        choices=Connection.Outcome.choices, help_text="Of the last delivery; empty: none yet."
    )
    last_event = serializers.CharField(help_text="The eventType of the last delivery.")
    last_message = serializers.CharField(help_text="What happened, or why it failed.")
    last_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Connection"

    def get_settings(self, connection: Connection) -> dict:
        return settings_shown(connection.kind, connection.settings or {})

    def get_secrets_set(self, connection: Connection) -> list[str]:
        return secrets_set(connection.kind, connection.settings or {})


# Kinds, settings and events are checked by the service (connections.kinds): a 400 on the
# field with a sentence.
class ConnectionInputSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=16, help_text=f"One of {', '.join(Connection.Kind.values)}."
    )
    name = serializers.CharField(
        max_length=100, error_messages={"blank": "Give the connection a name."}
    )
    settings = serializers.DictField(
        required=False,
        default=dict,
        help_text="webhook: url, secret; apprise: urls; jellyfin/emby: url, api_key, mode "
        "(updated|full), path_from, path_to; plex: url, token, section_id, path_from, "
        "path_to; kodi: url, username, password, path_from, path_to.",
    )
    events = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        default=list,
        help_text=f"eventType names: {', '.join(EVENT_TYPES)} (media servers: Download, "
        "Rename, VideoDelete).",
    )
    enabled = serializers.BooleanField(required=False, default=True)

    class Meta:
        ref_name = "ConnectionInput"


class ConnectionListApi(ListApi):
    permission_classes = [IsAuthenticated, StaffOnly]

    def get_serializer(self, *args, **kwargs):
        return ConnectionInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="List connections (staff)",
        responses={200: ConnectionOutputSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(connection_list(), ConnectionOutputSerializer)

    @extend_schema(
        tags=TAGS,
        summary="Add a connection (staff)",
        request=ConnectionInputSerializer,
        responses={201: ConnectionOutputSerializer, **errors(400, 403)},
    )
    def post(self, request):
        serializer = ConnectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        connection = connection_create(**serializer.validated_data)
        return Response(ConnectionOutputSerializer(connection).data, status=status.HTTP_201_CREATED)


class ConnectionDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]

    def get_serializer(self, *args, **kwargs):
        return ConnectionInputSerializer(*args, partial=True, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Get a connection (staff)",
        responses={200: ConnectionOutputSerializer, **errors(403, 404)},
    )
    def get(self, request, connection_id: int):
        return Response(ConnectionOutputSerializer(connection_or_404(connection_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Change a connection (staff)",
        description="Settings are merged with the stored ones: a secret left out or null "
        "keeps its value, an empty one clears it. The kind cannot change.",
        request=ConnectionInputSerializer(partial=True),
        responses={200: ConnectionOutputSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request, connection_id: int):
        connection = connection_or_404(connection_id)
        serializer = ConnectionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        connection = connection_update(connection=connection, data=dict(serializer.validated_data))
        return Response(ConnectionOutputSerializer(connection).data)

    @extend_schema(
        tags=TAGS,
        summary="Delete a connection (staff)",
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request, connection_id: int):
        connection_delete(connection=connection_or_404(connection_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConnectionTestApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]

    @extend_schema(
        tags=TAGS,
        summary="Send a Test event (staff)",
        description="202 with the notify job that sends it (follow it on /api/jobs/<id>/ or "
        "the WebSocket); the connection's last_outcome says how it went. A media server is "
        "asked something harmless that needs its token.",
        request=None,
        responses={
            202: OpenApiResponse(JobSerializer, "The job sending the Test event."),
            **errors(400, 403, 404),
        },
    )
    def post(self, request, connection_id: int):
        job = connection_test_submit(connection=connection_or_404(connection_id), user=request.user)
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


def connection_or_404(connection_id: int) -> Connection:
    connection = connection_get(connection_id=connection_id)
    if connection is None:
        raise NotFound(f"There is no connection #{connection_id}.")
    return connection
