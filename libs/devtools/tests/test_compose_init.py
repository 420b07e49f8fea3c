"""kafka-init's choices that need no broker: which departments get a principal, which topics it makes."""

from pathlib import Path

import pytest
from onematter_devtools._process import InfraError
from onematter_devtools.compose_init import _require_passwords, departments_in, stream_topics
from onematter_devtools.credentials import CredentialStore


def _store(folder: Path, *usernames: str) -> CredentialStore:
    folder.mkdir()
    for username in usernames:
        (folder / username).write_text("x" * 43 + "\n")
    return CredentialStore(folder)


def test_the_departments_are_the_department_password_files_of_the_folder(tmp_path: Path) -> None:
    store = _store(tmp_path / "kafka", "admin", "svc-acceptance", "dept-nhc", "dept-mps", "dept-city-water")
    assert departments_in(store) == ["city-water", "mps", "nhc"]


def test_a_missing_service_password_stops_it_naming_the_user_and_never_a_password(tmp_path: Path) -> None:
    store = _store(tmp_path / "kafka", "admin", "svc-matter-catalog", "svc-acceptance", "svc-material")
    with pytest.raises(InfraError, match="svc-notification") as refused:
        _require_passwords(store)
    assert "xxxx" not in str(refused.value)


def test_it_creates_the_five_stream_topics_and_no_task_topic() -> None:
    assert sorted(stream_topics()) == [
        "onematter.applications",
        "onematter.catalog",
        "onematter.hotline",
        "onematter.materials",
        "onematter.notifications",
    ]
