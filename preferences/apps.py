from django.apps import AppConfig


class PreferencesConfig(AppConfig):
    name = "preferences"
    verbose_name = "Settings"
    default_auto_field = "django.db.models.BigAutoField"
