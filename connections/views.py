"""The connections page (staff): the list with each one's last delivery, the add and change
forms per kind, delete, and Test, which starts a ``notify`` job that the page follows live."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from connections.forms import ConnectionForm
from connections.kinds import KIND_FIELDS, secrets_set
from connections.models import Connection
from connections.selectors import connection_get, connection_list
from connections.services import connection_create, connection_delete, connection_update
from jobs.deliveries import connection_test_submit
from jobs.models import Job
from mvidarr.page_errors import told


def _require_staff(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can see and change the connections.")


def _connection_or_404(connection_id: int) -> Connection:
    connection = connection_get(connection_id=connection_id)
    if connection is None:
        raise Http404("There is no such connection.")
    return connection


@login_required
def connection_list_page(request):
    _require_staff(request)
    connections = list(connection_list())
    tested = {}
    job_id = request.GET.get("job", "")
    if job_id.isdigit():
        job = Job.objects.filter(pk=int(job_id), kind="notify").first()
        if job is not None:
            tested[(job.options or {}).get("connection")] = job
    for connection in connections:
        connection.test_job = tested.get(connection.pk)
        connection.secrets = secrets_set(connection.kind, connection.settings or {})
    context = {
        "connections": connections,
        "kinds": Connection.Kind.choices,
        "rendered_at": timezone.now(),
    }
    return render(request, "connections/connection_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def connection_add_page(request):
    _require_staff(request)
    kind = request.GET.get("kind", "")
    if kind not in KIND_FIELDS:
        return render(
            request, "connections/connection_kinds.html", {"kinds": Connection.Kind.choices}
        )
    form = ConnectionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        with told(request, form=form) as outcome:
            connection = connection_create(kind=kind, **form.service_data())
        if outcome.ok:
            messages.success(request, f"Added the connection “{connection.name}”.")
            return redirect("connection-list")
    return _form_page(request, form, connection=None)


@login_required
@require_http_methods(["GET", "POST"])
def connection_edit_page(request, connection_id: int):
    _require_staff(request)
    connection = _connection_or_404(connection_id)
    form = ConnectionForm(request.POST or None, kind=connection.kind, connection=connection)
    if request.method == "POST" and form.is_valid():
        with told(request, form=form) as outcome:
            connection_update(connection=connection, data=form.service_data())
        if outcome.ok:
            messages.success(request, f"Saved the connection “{connection.name}”.")
            return redirect("connection-list")
    return _form_page(request, form, connection=_connection_or_404(connection_id))


def _form_page(request, form: ConnectionForm, *, connection: Connection | None):
    # Reached after a POST only when the form or the service refused it (the reason is on
    # the field, or in the messages).
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "connection": connection,
        "kind_label": Connection.Kind(form.kind).label,
    }
    return render(request, "connections/connection_form.html", context, status=status)


@login_required
@require_POST
def connection_delete_view(request, connection_id: int):
    _require_staff(request)
    connection = _connection_or_404(connection_id)
    connection_delete(connection=connection)
    messages.success(request, f"Deleted the connection “{connection.name}”.")
    return redirect("connection-list")


@login_required
@require_POST
def connection_test_view(request, connection_id: int):
    """Start the Test; the list shows the job and follows it live."""
    _require_staff(request)
    connection = _connection_or_404(connection_id)
    with told(request) as outcome:
        job = connection_test_submit(connection=connection, user=request.user)
    if not outcome.ok:
        return redirect("connection-list")
    return redirect(f"{reverse('connection-list')}?job={job.pk}#connection-{connection.pk}")
