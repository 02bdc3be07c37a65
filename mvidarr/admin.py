"""The admin site, project-wide: django_dramatiq's "Tasks" list is left out. It lists only
what its AdminMiddleware records, which MVidarr does not install (jobs are ``Job`` rows,
under "Jobs"), so it was always empty."""

from django.contrib import admin
from django_dramatiq.models import Task

if admin.site.is_registered(Task):
    admin.site.unregister(Task)
