"""Where ``manage.py crontab`` (dramatiq-crontab) looks for scheduled actors: each installed
app's ``tasks`` module. The actor itself lives in ``mvidarr/actors.py``, where workers look."""

from mvidarr.actors import check_upgrades, housekeeping, index_due_sources

__all__ = ["check_upgrades", "housekeeping", "index_due_sources"]
