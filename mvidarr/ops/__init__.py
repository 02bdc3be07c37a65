"""Operations: health and readiness, the staff monitoring page, metrics, logs, versions.

Nothing in the apps imports this package except :mod:`mvidarr.ops.logs` (stdlib only), which
the job runner uses to put the job and video ids on every log line a job writes.
"""
