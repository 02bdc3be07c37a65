"""WebSocket routes of every app."""

from jobs.routing import websocket_urlpatterns as jobs_websocket_urlpatterns

websocket_urlpatterns: list = [*jobs_websocket_urlpatterns]
