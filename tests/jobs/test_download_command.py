"""manage.py download: in-process for what it prints, as a process for Ctrl-C and start-up."""

import signal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from jobs.models import Job
from mvidarr.children import ROOT, Child
from tests.jobs.conftest import wait_for_job
from tests.processes import process_env
from tests.support import free_port, wait_until
from videos.models import Video


@pytest.fixture
def admin_account(transactional_db):
    return get_user_model().objects.create_superuser("admin", password="x" * 12)


def test_the_download_command_adds_the_video_and_follows_it_to_the_end(
    worker, admin_account, media_server, library_root, capsys
):
    url = media_server.url("hls/master.m3u8")
    call_command("download", url, "--quality", "360p", "--artist", "Portishead", "--title", "Roads")
    output = capsys.readouterr().out
    video = Video.objects.get(source_url=url)
    assert video.status == "downloaded"
    assert video.file.height == 360
    assert video.file.path.startswith("Portishead/Roads [")
    assert (library_root / video.file.path).is_file()
    assert "100.0 %" in output and video.file.path in output


def test_the_download_command_reports_a_failure_as_an_error(worker, admin_account, media_server):
    with pytest.raises(CommandError, match=r"failed: .*404"):
        call_command("download", media_server.url("404/none.mp4"))


def test_the_download_command_refuses_a_url_that_is_not_http(admin_account):
    with pytest.raises(CommandError, match="is not a web address that starts with http://"):
        call_command("download", "file:///etc/passwd", "--no-wait")
    assert not Video.objects.exists()


def test_the_bar_and_the_text_show_one_figure(worker, admin_account, media_server, capsys):
    call_command("download", media_server.url("slow/60000/clips/720p.mp4"))

    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert any("Downloading" in line for line in lines)
    assert [line for line in lines if line.count("%") != 1] == []


@pytest.fixture
def download_command(tmp_path: Path):
    """Start ``manage.py download`` as a process (as a person does); stopped after the test."""
    started: list[Child] = []

    def start(*args: str, **env: str) -> Child:
        command = [str(ROOT / "bin" / "mvidarr-python"), "manage.py", "download", *args]
        log = tmp_path / f"download-{len(started)}.log"
        started.append(Child(command, env=process_env(**env), log=log))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def test_an_unreachable_redis_is_one_sentence_and_no_job(admin_account, download_command):
    command = download_command(
        "http://127.0.0.1:9/clip.mp4", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"
    )

    assert command.popen.wait(60) != 0
    output = command.output().strip()
    assert output.startswith("CommandError: Cannot reach Redis at redis://127.0.0.1:")
    assert len(output.splitlines()) == 1
    assert not Video.objects.exists() and not Job.objects.exists()


def _interrupt_while_following(command: Child) -> int:
    # The first progress line: the command is in its follow loop.
    wait_until(lambda: "%" in command.output(), timeout=30, message="the command never followed")
    command.signal_group(signal.SIGINT)  # what a terminal's Ctrl-C sends
    return command.popen.wait(30)


def test_ctrl_c_stops_following_and_says_the_download_goes_on(
    worker, admin_account, media_server, download_command
):
    command = download_command(media_server.url("slow/20000/clips/720p.mp4"))

    assert _interrupt_while_following(command) == 130
    output = command.output()
    assert "Traceback" not in output
    job = Job.objects.get()
    assert f"job #{job.pk}; the download goes on in the background" in output
    assert f"manage.py download --cancel {job.pk}" in output
    assert wait_for_job(job).status == "completed"


def test_ctrl_c_with_cancel_on_interrupt_cancels_the_download(admin_account, download_command):
    command = download_command("http://127.0.0.1:9/clip.mp4", "--cancel-on-interrupt")

    assert _interrupt_while_following(command) == 130
    job = Job.objects.get()
    assert "Traceback" not in command.output()
    assert f"Job #{job.pk} cancelled" in command.output()
    assert job.status == "cancelled"


def test_cancel_cancels_a_job_by_its_id(admin_account, capsys):
    video = Video.objects.create(source_url="http://127.0.0.1:9/clip.mp4")
    call_command("download", "http://127.0.0.1:9/clip.mp4", "--no-wait")

    call_command("download", "--cancel", str(Job.objects.get(video=video).pk))

    assert Job.objects.get(video=video).status == "cancelled"
    assert "Cancelled job #" in capsys.readouterr().out
