"""The pages' one way of telling a person that a service refused (the API's is
:mod:`mvidarr.api_errors`).

A page runs its service call inside :func:`told`: a refusal (:mod:`mvidarr.errors`) or
Redis being down becomes a sentence (next to the form's field it names, else a message at
the top of the next page), and the page looks at the outcome to choose where to go.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages

from mvidarr import errors
from mvidarr.redis_outage import QUEUE_DOWN, REDIS_DOWN


@dataclass
class Outcome:
    """What became of the service call: ``error`` when refused, ``queue_down`` when Redis was."""

    error: errors.ServiceError | None = None
    queue_down: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.queue_down


@contextmanager
def told(
    request, *, form: forms.Form | None = None, prefix: str = "", form_field: str | None = None
) -> Iterator[Outcome]:
    """Run the block; tell the person if a service refused it or Redis was down.

    The sentence goes on ``form``'s field when the error names one of its fields (or on
    ``form_field`` for any refusal but a permission's), otherwise into a message starting
    with ``prefix``. Anything else raised in the block goes up as usual.
    """
    outcome = Outcome()
    try:
        yield outcome
    except errors.ServiceError as exc:
        outcome.error = exc
        field = exc.field
        if form_field is not None and not isinstance(exc, errors.PermissionDenied):
            field = form_field
        if form is not None and field is not None and field in form.fields:
            form.add_error(field, exc.message)
        else:
            messages.error(request, f"{prefix}{exc.message}")
    except REDIS_DOWN:
        outcome.queue_down = True
        messages.error(request, QUEUE_DOWN)
