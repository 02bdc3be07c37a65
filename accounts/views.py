"""The Account page (every user: their password and API keys) and the Users pages (staff:
add a user with a one-time password, staff or not, deactivate, reactivate, reset).

A key or a one-time password is shown once, in the answer to the POST that made it (never
through a redirect, so it is stored nowhere)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import ApiKeyForm, PasswordChangeForm, UserCreateForm
from accounts.keys import api_key_create, api_key_revoke
from accounts.selectors import (
    api_key_get,
    api_key_list,
    password_change_required,
    user_get,
    user_list,
)
from mvidarr import logins
from mvidarr.page_errors import told


def _require_staff(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can see and change users.")


def _user_or_404(user_id: int):
    user = user_get(user_id=user_id)
    if user is None:
        raise Http404("There is no such user.")
    return user


# --- the account page -------------------------------------------------------------------------
@login_required
def account_page(request, *, key_form=None, new_key=None, status=200):
    context = {
        "keys": list(api_key_list(user=request.user)),
        "key_form": key_form or ApiKeyForm(),
        "new_key": new_key,
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_POST
def account_key_create_view(request):
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        with told(request, form=form) as outcome:
            api_key, key = api_key_create(user=request.user, name=form.cleaned_data["name"])
        if outcome.ok:
            shown = {"id": api_key.pk, "name": api_key.name, "key": key}
            return account_page(request, key_form=ApiKeyForm(), new_key=shown, status=201)
    return account_page(request, key_form=form, status=400)


@login_required
@require_POST
def account_key_revoke_view(request, key_id: int):
    """Revoke one of one's own keys, or (staff) anyone's; back to where the button was."""
    api_key = api_key_get(key_id=key_id, by=request.user)
    if api_key is None:
        raise Http404("There is no such API key.")
    api_key_revoke(api_key=api_key, by=request.user)
    messages.success(request, f"Revoked the API key “{api_key.name}” ({api_key.prefix}…).")
    if api_key.user_id != request.user.pk:
        return redirect("user-detail", user_id=api_key.user_id)
    return redirect("account")


@login_required
@require_http_methods(["GET", "POST"])
def account_password_page(request):
    one_time = password_change_required(request.user)
    form = PasswordChangeForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    # A wrong current password counts as a failed login (mvidarr.logins), as in the API.
    address, username = logins.client_address(request), request.user.get_username()
    if request.method == "POST" and form.is_valid():
        try:
            logins.check_login_allowed(address=address, username=username)
        except logins.LoginThrottled as exc:
            form.add_error(None, exc.message)
            return _password_page(request, form, one_time=one_time, status=429)
        with told(request, form=form) as outcome:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        if outcome.error is not None and outcome.error.field == "old_password":
            logins.record_login_failure(address=address, username=username)
        if outcome.ok:
            update_session_auth_hash(request, request.user)  # this browser stays signed in
            messages.success(
                request,
                "Your password is changed. Your API keys were revoked and other browsers "
                "and tokens must log in again.",
            )
            return redirect("account")
    return _password_page(request, form, one_time=one_time, status=status)


def _password_page(request, form, *, one_time: bool, status: int):
    context = {"form": form, "one_time": one_time}
    return render(request, "accounts/password.html", context, status=status)


# --- the users pages (staff) ------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def user_list_page(request):
    _require_staff(request)
    form = UserCreateForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with told(request, form=form) as outcome:
                user, password = services.user_create(
                    username=form.cleaned_data["username"],
                    is_staff=form.cleaned_data["is_staff"],
                    by=request.user,
                )
            if outcome.ok:
                created = {"user": user, "password": password}
                form, status = UserCreateForm(), 201
    context = {"users": list(user_list()), "form": form, "created": created}
    return render(request, "accounts/user_list.html", context, status=status)


@login_required
def user_detail_page(request, user_id: int, *, new_password=None, status=200):
    _require_staff(request)
    account = _user_or_404(user_id)
    context = {
        "account": account,
        "keys": list(api_key_list(user=account)),
        "one_time": password_change_required(account),
        "new_password": new_password,
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
@require_POST
def user_staff_view(request, user_id: int):
    _require_staff(request)
    account = _user_or_404(user_id)
    is_staff = request.POST.get("is_staff") == "true"
    with told(request) as outcome:
        services.user_set_staff(user=account, is_staff=is_staff, by=request.user)
    if outcome.ok:
        what = "is now staff" if is_staff else "is no longer staff"
        messages.success(request, f"{account.username} {what}.")
    return redirect("user-detail", user_id=account.pk)


@login_required
@require_POST
def user_active_view(request, user_id: int):
    _require_staff(request)
    account = _user_or_404(user_id)
    is_active = request.POST.get("is_active") == "true"
    with told(request) as outcome:
        services.user_set_active(user=account, is_active=is_active, by=request.user)
    if outcome.ok:
        if is_active:
            messages.success(request, f"{account.username} can log in again.")
        else:
            messages.success(
                request,
                f"Deactivated {account.username}: they cannot log in, and their API keys "
                "were revoked.",
            )
    return redirect("user-detail", user_id=account.pk)


@login_required
@require_POST
def user_password_reset_view(request, user_id: int):
    _require_staff(request)
    account = _user_or_404(user_id)
    with told(request) as outcome:
        password = services.user_password_reset(user=account, by=request.user)
    if not outcome.ok:
        return redirect("user-detail", user_id=account.pk)
    return user_detail_page(request, user_id=account.pk, new_password=password)
