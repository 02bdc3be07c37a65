import dramatiq
from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        # django_dramatiq builds the broker before models can be imported, so the jobs
        # middleware (which uses them) joins it here, once the app registry is ready.
        from jobs.middleware import JobsMiddleware

        broker = dramatiq.get_broker()
        if not any(isinstance(m, JobsMiddleware) for m in broker.middleware):
            broker.add_middleware(JobsMiddleware())
