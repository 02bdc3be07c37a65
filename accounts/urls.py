from django.urls import path

from accounts import views

urlpatterns = [
    path("account/", views.account_page, name="account"),
    path("account/password/", views.account_password_page, name="account-password"),
    path("account/keys/", views.account_key_create_view, name="account-key-create"),
    path(
        "account/keys/<int:key_id>/revoke/",
        views.account_key_revoke_view,
        name="account-key-revoke",
    ),
    path("users/", views.user_list_page, name="user-list"),
    path("users/<int:user_id>/", views.user_detail_page, name="user-detail"),
    path("users/<int:user_id>/staff/", views.user_staff_view, name="user-staff"),
    path("users/<int:user_id>/active/", views.user_active_view, name="user-active"),
    path(
        "users/<int:user_id>/reset-password/",
        views.user_password_reset_view,
        name="user-password-reset",
    ),
]
