import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

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
    assert video.height == 360
    assert video.file_path.startswith("Portishead/Roads [")
    assert (library_root / video.file_path).is_file()
    assert "100.0 %" in output and video.file_path in output


def test_the_download_command_reports_a_failure_as_an_error(worker, admin_account, media_server):
    with pytest.raises(CommandError, match=r"failed: .*404"):
        call_command("download", media_server.url("404/none.mp4"))


def test_the_download_command_refuses_a_url_that_is_not_http(admin_account):
    with pytest.raises(CommandError, match="is not a web address that starts with http://"):
        call_command("download", "file:///etc/passwd", "--no-wait")
    assert not Video.objects.exists()
