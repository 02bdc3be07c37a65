"""``/api/history/``: what happened to the library (added, grabbed, downloaded, failed,
deleted, ignored, indexed), newest first, for everyone signed in."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from jobs.models import HistoryEvent, Job
from jobs.selectors import history_list
from mvidarr.api_docs import MAX_ID, documented_errors, error_responses
from mvidarr.pagination import ListApi

_ERRORS = error_responses()


class HistoryArtistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "HistoryArtist"


class HistoryEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.ChoiceField(choices=HistoryEvent.Event.choices)
    created_at = serializers.DateTimeField()
    video = serializers.IntegerField(
        source="video_id", allow_null=True, help_text="Null once the video is deleted."
    )
    title = serializers.CharField(help_text="The video's title when it happened.")
    artist = HistoryArtistSerializer(allow_null=True)
    source = serializers.IntegerField(source="source_id", allow_null=True)
    job = serializers.IntegerField(source="job_id", allow_null=True)
    user = serializers.CharField(
        source="user.username", allow_null=True, default=None, help_text="Who, when a person."
    )
    origin = serializers.ChoiceField(
        choices=Job.Origin.choices, help_text="A person, the scheduler or MVidarr itself."
    )
    data = serializers.DictField(
        help_text="The particulars: the quality of a download, the reason of a failure or an "
        "ignore, the counts of an index."
    )

    class Meta:
        ref_name = "HistoryEvent"


class HistoryFilterSerializer(serializers.Serializer):
    video = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    artist = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    source = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    event = serializers.ChoiceField(
        choices=HistoryEvent.Event.choices,
        required=False,
        error_messages={
            "invalid_choice": "Unknown event “{input}”; choose one of "
            f"{', '.join(HistoryEvent.Event.values)}."
        },
    )

    class Meta:
        ref_name = "HistoryFilter"


class HistoryListApi(ListApi):
    @extend_schema(
        tags=["history"],
        summary="The library's history",
        description="Newest first; filter by video, artist, source (ids) and event.",
        parameters=[HistoryFilterSerializer],
        responses={200: HistoryEventSerializer(many=True), **documented_errors(_ERRORS, 400, 404)},
    )
    def get(self, request):
        filters = HistoryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(history_list(**filters.validated_data), HistoryEventSerializer)
