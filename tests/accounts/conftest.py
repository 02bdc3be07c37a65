"""The API tests' clients (``client_for``, ``api``) and fresh throttles, for the accounts."""

from tests.api.conftest import api, client_for, fresh_throttles  # noqa: F401
