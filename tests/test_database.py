import sqlite3
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from jobs.models import Job
from videos.models import Artist, Video

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="checks the SQLite connection options"
)


@sqlite_only
@pytest.mark.django_db
def test_sqlite_connections_use_wal_and_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_transactions_take_the_write_lock_when_they_begin():
    # With deferred transactions two threads can both read, then deadlock upgrading to a
    # write ("database is locked"). IMMEDIATE takes the lock at BEGIN, so another writer
    # is refused while this transaction is open even though it has written nothing yet.
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.1)
    try:
        with transaction.atomic():
            Video.objects.count()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
    finally:
        other.close()


@pytest.mark.django_db
def test_a_video_cannot_have_two_active_download_jobs():
    video = Video.objects.create(source_url="https://example.com/v")
    Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=video)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(
            kind=Job.Kind.VIDEO_DOWNLOAD,
            video=video,
            status=Job.Status.PROCESSING,
        )


@pytest.mark.django_db
def test_a_bulk_child_counts_as_an_active_download_of_its_video():
    video = Video.objects.create(source_url="https://example.com/v")
    bulk = Job.objects.create(kind=Job.Kind.BULK_VIDEO_DOWNLOAD)
    Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=video, parent=bulk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=video)


@pytest.mark.django_db
def test_finished_jobs_and_probes_do_not_block_a_new_download():
    video = Video.objects.create(source_url="https://example.com/v")
    for status in Job.FINISHED_STATUSES:
        Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=video, status=status)
    Job.objects.create(kind=Job.Kind.METADATA_PROBE, video=video)
    Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=video)
    assert video.jobs.count() == 5


@pytest.mark.django_db
def test_artist_names_are_unique_regardless_of_case():
    Artist.objects.create(name="Daft Punk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Artist.objects.create(name="daft punk")


@pytest.mark.django_db
def test_a_source_id_is_unique_per_extractor_but_blank_ids_repeat():
    Video.objects.create(source_url="https://a/1", extractor="youtube", source_id="abc")
    Video.objects.create(source_url="https://a/2", extractor="vimeo", source_id="abc")
    Video.objects.create(source_url="https://a/3")
    Video.objects.create(source_url="https://a/4")
    with pytest.raises(IntegrityError), transaction.atomic():
        Video.objects.create(source_url="https://a/5", extractor="youtube", source_id="abc")


@pytest.mark.django_db
def test_job_progress_stays_between_0_and_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=Job.Kind.METADATA_PROBE, progress=101)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="checks the PostgreSQL connection pool"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_more_threads_than_the_pool_holds_wait_for_a_connection_instead_of_failing():
    # Each web request runs in a thread of its own; a burst of them used to open a
    # connection each and fail past the server's max_connections ("too many clients").
    pool_size = connection.settings_dict["OPTIONS"]["pool"]["max_size"]
    threads = pool_size * 3
    seen: list[int] = []
    errors: list[Exception] = []

    def request_like() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.1)")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                )
                seen.append(cursor.fetchone()[0])
        except Exception as exc:  # reported below, with the others
            errors.append(exc)
        finally:
            connection.close()  # back to the pool, as at the end of a request

    workers = [threading.Thread(target=request_like) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert errors == []
    assert len(seen) == threads
    # This test's own connection (the main thread's) is the one beyond the pool.
    assert max(seen) <= pool_size + 1
