"""WebSocket routes of the jobs app."""

from django.urls import path

from jobs.consumers import JobsConsumer

websocket_urlpatterns = [
    path("ws/jobs/", JobsConsumer.as_asgi(), name="ws-jobs"),
]
