"""A stored name key (``videos.name_keys``) that follows the name it is made from.

The key is derived data, not a rule: it is computed whenever the row is written, whoever
writes it — ``create``, ``save()``, ``bulk_create`` (through the field's ``pre_save``) and
``save(update_fields=[…name…])`` (through :class:`KeyedModel`, which adds the key to the
fields saved). ``QuerySet.update(name=…)`` bypasses both: nothing in MVidarr does that to a
name or title, and nothing should.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from videos.name_keys import KEY_LENGTH, name_key


class NameKeyField(models.CharField):
    """``name_key(<source field>)``, written with the row."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", KEY_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list, dict]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for option, value in (("max_length", KEY_LENGTH), ("editable", False), ("blank", True)):
            if kwargs.get(option) == value:
                del kwargs[option]
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = name_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class KeyedModel(models.Model):
    """A model with :class:`NameKeyField`\\ s: saving a name also saves its key."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            keys = [
                field.name
                for field in self._meta.concrete_fields
                if isinstance(field, NameKeyField) and field.source in names
            ]
            kwargs["update_fields"] = [*update_fields, *keys]
        super().save(*args, **kwargs)
