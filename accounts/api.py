"""``/api/auth/keys/`` (every user's own API keys; staff anyone's), ``/api/auth/password/``
(one's own password) and ``/api/users/`` (staff: add, make staff, deactivate, reset).

A key (``key``) and a one-time password (``password``) are in the answer that made them,
and nowhere else ever.
"""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, NotFound, Throttled, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.keys import api_key_create, api_key_revoke
from accounts.selectors import api_key_get, api_key_list, password_change_required, user_get
from accounts.selectors import user_list as users_all
from mvidarr import logins
from mvidarr.api_docs import (
    DETAIL_SCHEMA,
    MAX_ID,
    RETRY_AFTER,
    documented_errors,
    error_responses,
)
from mvidarr.errors import Invalid, PermissionDenied
from mvidarr.pagination import ListApi

_KEY_ERRORS = error_responses(
    _401="Not authenticated (send a JWT, an API key or log in), or the key was revoked.",
    _403="Only staff may see another user's keys, or your one-time password must be changed first.",
    _404="There is no such API key (or it is another user's).",
)
_USER_ERRORS = error_responses(
    _401="Not authenticated (send a JWT, an API key or log in).",
    _403="Only staff may do this (and nobody deactivates or un-staffs themselves).",
    _404="There is no such user.",
)


class StaffOnly(BasePermission):
    message = "Only staff can see and change users."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_staff)


# --- API keys ---------------------------------------------------------------------------------
class ApiKeyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's first characters, to tell keys apart.")
    user = serializers.CharField(source="user.username")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="Noted at most once a minute."
    )

    class Meta:
        ref_name = "ApiKey"


class ApiKeyCreatedSerializer(ApiKeyOutputSerializer):
    key = serializers.CharField(
        help_text="The key, shown only in this answer: send it as `Authorization: Token <key>`."
    )

    class Meta:
        ref_name = "ApiKeyCreated"


class ApiKeyInputSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100,
        help_text="What will use the key, to tell your keys apart; unique among yours.",
        error_messages={"blank": "Give the key a name, such as the script that will use it."},
    )

    class Meta:
        ref_name = "ApiKeyInput"


class ApiKeyListApi(ListApi):
    class FilterSerializer(serializers.Serializer):
        user = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_ID,
            help_text="Staff: that user's keys instead of your own.",
        )

        class Meta:
            ref_name = "ApiKeyFilter"

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return ApiKeyInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["auth"],
        summary="List your API keys",
        description="The keys themselves are never shown again; `prefix` tells them apart.",
        parameters=[FilterSerializer],
        responses={
            200: ApiKeyOutputSerializer(many=True),
            **documented_errors(_KEY_ERRORS, 400, 403),
        },
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        owner = request.user
        if "user" in filters.validated_data:
            if not request.user.is_staff:
                raise PermissionDenied("Only staff can see another user's API keys.")
            owner = user_get(user_id=filters.validated_data["user"])
            if owner is None:
                raise ValidationError({"user": ["There is no such user."]})
        return self.paginated(
            api_key_list(user=owner).select_related("user"), ApiKeyOutputSerializer
        )

    @extend_schema(
        tags=["auth"],
        summary="Create an API key",
        description="Answers the key once (`key`); send it as `Authorization: Token <key>`. "
        "Changing your password or being deactivated revokes every key.",
        request=ApiKeyInputSerializer,
        responses={201: ApiKeyCreatedSerializer, **documented_errors(_KEY_ERRORS, 400, 403)},
    )
    def post(self, request):
        serializer = ApiKeyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, key = api_key_create(user=request.user, name=serializer.validated_data["name"])
        api_key.key = key
        return Response(ApiKeyCreatedSerializer(api_key).data, status=status.HTTP_201_CREATED)


class ApiKeyDetailApi(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Revoke an API key",
        description="Your own key, or (staff) anyone's. A revoked key is answered 401.",
        responses={204: None, **documented_errors(_KEY_ERRORS, 403, 404)},
    )
    def delete(self, request, key_id: int):
        api_key = api_key_get(key_id=key_id, by=request.user)
        if api_key is None:
            raise NotFound("There is no such API key.")
        api_key_revoke(api_key=api_key, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- one's own password -----------------------------------------------------------------------
class PasswordChangeInputSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=4096, trim_whitespace=False)
    new_password = serializers.CharField(max_length=4096, trim_whitespace=False)

    class Meta:
        ref_name = "PasswordChangeInput"


class PasswordChangeApi(APIView):
    allowed_before_password_change = True  # accounts.authentication: the way out of it
    # A wrong current password counts as a failed login (mvidarr.logins): a stolen session
    # or token is no way to guess the password.

    @extend_schema(
        tags=["auth"],
        summary="Change your password",
        description="Also the first thing to do with a one-time password (everything else "
        "answers 403 until then). Revokes your API keys; tokens issued before are refused: "
        "get new ones from /api/auth/token/.",
        request=PasswordChangeInputSerializer,
        parameters=[RETRY_AFTER],
        responses={
            200: OpenApiResponse(DETAIL_SCHEMA, "Changed."),
            **documented_errors(_USER_ERRORS, 400, 429),
        },
    )
    def post(self, request):
        serializer = PasswordChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = logins.client_address(request)
        username = request.user.get_username()
        try:
            logins.check_login_allowed(address=address, username=username)
        except logins.LoginThrottled as exc:
            throttled = Throttled(wait=exc.wait)
            throttled.detail = ErrorDetail(exc.message, code="throttled")
            raise throttled from None
        try:
            services.password_change(user=request.user, **serializer.validated_data)
        except Invalid as exc:
            if exc.field == "old_password":
                logins.record_login_failure(address=address, username=username)
            raise
        if request.session.get("_auth_user_id") is not None:  # a browser stays signed in
            update_session_auth_hash(request, request.user)
        return Response(
            {
                "detail": "Your password is changed; your API keys were revoked, and tokens "
                "issued before now are refused."
            }
        )


# --- users (staff) ----------------------------------------------------------------------------
class UserOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_staff = serializers.BooleanField()
    is_superuser = serializers.BooleanField()
    is_active = serializers.BooleanField()
    must_change_password = serializers.SerializerMethodField(
        help_text="The user still has the one-time password staff gave them."
    )
    last_login = serializers.DateTimeField(allow_null=True)
    date_joined = serializers.DateTimeField()

    class Meta:
        ref_name = "User"

    def get_must_change_password(self, user) -> bool:
        return password_change_required(user)


class UserCreatedSerializer(UserOutputSerializer):
    password = serializers.CharField(
        help_text="The one-time password, shown only in this answer; the user changes it "
        "at the first login."
    )

    class Meta:
        ref_name = "UserCreated"


class UserInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    is_staff = serializers.BooleanField(required=False, default=False)

    class Meta:
        ref_name = "UserInput"


class UserChangeSerializer(serializers.Serializer):
    is_staff = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(
        required=False, help_text="false deactivates the user and revokes their API keys."
    )

    class Meta:
        ref_name = "UserChange"


class UserListApi(ListApi):
    permission_classes = [IsAuthenticated, StaffOnly]

    def get_serializer(self, *args, **kwargs):
        return UserInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["users"],
        summary="List users (staff)",
        responses={200: UserOutputSerializer(many=True), **documented_errors(_USER_ERRORS, 403)},
    )
    def get(self, request):
        return self.paginated(users_all(), UserOutputSerializer)

    @extend_schema(
        tags=["users"],
        summary="Add a user (staff)",
        description="Answers a one-time password once (`password`); the user must change it "
        "before anything else.",
        request=UserInputSerializer,
        responses={201: UserCreatedSerializer, **documented_errors(_USER_ERRORS, 400, 403)},
    )
    def post(self, request):
        serializer = UserInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, password = services.user_create(by=request.user, **serializer.validated_data)
        data = {**UserOutputSerializer(user).data, "password": password}
        return Response(data, status=status.HTTP_201_CREATED)


class UserDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]

    def get_serializer(self, *args, **kwargs):
        return UserChangeSerializer(*args, **kwargs)

    @extend_schema(
        tags=["users"],
        summary="Get a user (staff)",
        responses={200: UserOutputSerializer, **documented_errors(_USER_ERRORS, 403, 404)},
    )
    def get(self, request, user_id: int):
        return Response(UserOutputSerializer(_user_or_404(user_id)).data)

    @extend_schema(
        tags=["users"],
        summary="Make a user staff or not, deactivate or reactivate them (staff)",
        request=UserChangeSerializer,
        responses={200: UserOutputSerializer, **documented_errors(_USER_ERRORS, 400, 403, 404)},
    )
    def patch(self, request, user_id: int):
        user = _user_or_404(user_id)
        serializer = UserChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():  # both or neither
            if "is_staff" in data:
                services.user_set_staff(user=user, is_staff=data["is_staff"], by=request.user)
            if "is_active" in data:
                services.user_set_active(user=user, is_active=data["is_active"], by=request.user)
        return Response(UserOutputSerializer(user).data)


class UserPasswordResetApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]

    @extend_schema(
        tags=["users"],
        summary="Give a user a new one-time password (staff)",
        description="Revokes their API keys; answers the password once.",
        request=None,
        responses={200: UserCreatedSerializer, **documented_errors(_USER_ERRORS, 403, 404)},
    )
    def post(self, request, user_id: int):
        user = _user_or_404(user_id)
        password = services.user_password_reset(user=user, by=request.user)
        return Response({**UserOutputSerializer(user).data, "password": password})


def _user_or_404(user_id: int):
    user = user_get(user_id=user_id)
    if user is None:
        raise NotFound("There is no such user.")
    return user
