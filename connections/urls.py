from django.urls import path

from connections import views

urlpatterns = [
    path("connections/", views.connection_list_page, name="connection-list"),
    path("connections/add/", views.connection_add_page, name="connection-add"),
    path("connections/<int:connection_id>/", views.connection_edit_page, name="connection-edit"),
    path(
        "connections/<int:connection_id>/delete/",
        views.connection_delete_view,
        name="connection-delete",
    ),
    path(
        "connections/<int:connection_id>/test/",
        views.connection_test_view,
        name="connection-test",
    ),
]
