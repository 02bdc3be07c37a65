#!/usr/bin/env python
"""Django's command-line utility for MVidarr."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvidarr.settings")
    from django.core.management import execute_from_command_line

    from mvidarr.config import ConfigError, log_format
    from mvidarr.ops.logs import json_lines_for_process

    try:
        if log_format() == "json":
            # Every line a container prints is one JSON object, the text commands print too.
            command = sys.argv[1] if len(sys.argv) > 1 else "help"
            json_lines_for_process(f"manage.{command}")
        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        # A bad setting is a person's mistake: say what it is, without a traceback.
        print(f"mvidarr: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
