"""Dramatiq middleware that gives every worker process its job monitor and publisher."""

import dramatiq


class JobsMiddleware(dramatiq.Middleware):
    pass
