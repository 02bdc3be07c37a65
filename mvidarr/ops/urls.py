from django.urls import path

from mvidarr.ops import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("ops/", views.ops_page, name="ops"),
    path("ops/status.json", views.ops_status, name="ops-status"),
    path("api/version/", views.VersionApi.as_view(), name="api-version"),
]
