"""The team commands: users, assign, checkout, merge; init on PostgreSQL; secrets and warnings."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from spanlab.cli import main
from spanlab.core.project import Project
from spanlab.core.resources import real_path, resource, sample_article_names

SAMPLES = [str(real_path(resource("samples", n))) for n in sample_article_names()]
SECRET = "Cli-s3cret-w0rd"


def _project(location: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["init", location]) == 0
    assert main(["import", location, *SAMPLES[:4]]) == 0
    capsys.readouterr()
    return location


def test_assign_checkout_and_merge_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(str(tmp_path / "team.spanlab"), capsys)
    assert main(["assign", project, "--annotators", "alice", "bob", "--per-document", "1"]) == 0
    out = capsys.readouterr().out
    assert "Assigned 4 document(s); 0 already assigned." in out
    assert "alice: 2 document(s)" in out and "bob: 2 document(s)" in out
    assert main(["assign", project, "--annotators", "carol", "--documents", "1", "2"]) == 0
    assert "Assigned 2 document(s)" in capsys.readouterr().out
    assert main(["assign", project]) == 0
    listing = capsys.readouterr().out
    assert "Assignments (4 document(s))" in listing and "carol" in listing

    package = tmp_path / "carol.spanlab"
    assert main(["checkout", project, "--annotator", "carol", "--out", str(package)]) == 0
    assert "Checked out 2 document(s) for carol" in capsys.readouterr().out
    with Project.open(package) as offline:
        carol = offline.annotator("carol")
        assert carol is not None
        from spanlab.core.commands import AddSpan, SetStatus
        from spanlab.core.model import DocumentStatus

        doc = offline.documents()[0]
        text = offline.document(doc.id).text
        start = text.index("Seoul")
        offline.execute(AddSpan(doc.id, carol.id, "LOCATION", start, start + 5))
        offline.execute(SetStatus(doc.id, carol.id, DocumentStatus.DONE))
    assert main(["merge", project, str(package)]) == 0
    out = capsys.readouterr().out
    assert "Merged 1 document(s) of carol; 1 unchanged; 0 conflict(s); 0 refused." in out
    assert main(["merge", project, str(package)]) == 0
    assert "Merged 0 document(s) of carol; 2 unchanged" in capsys.readouterr().out
    with Project.open(project) as merged:
        carol_id = merged.annotator("carol")
        assert carol_id is not None
        assert [s.text for s in merged.spans(1, carol_id.id)] == ["Seoul"]


def test_merge_exits_1_and_names_refused_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(str(tmp_path / "a.spanlab"), capsys)
    other = str(tmp_path / "b.spanlab")
    assert main(["init", other]) == 0
    assert main(["import", other, SAMPLES[6]]) == 0
    assert main(["assign", other, "--annotators", "dan", "--documents", "1"]) == 0
    package = str(tmp_path / "dan.spanlab")
    assert main(["checkout", other, "--annotator", "dan", "--out", package]) == 0
    capsys.readouterr()
    assert main(["merge", project, package]) == 1
    captured = capsys.readouterr()
    assert "1 refused" in captured.out
    assert "refused:" in captured.err and "no document with this text" in captured.err


def test_users_lists_and_adds_people(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(str(tmp_path / "p.spanlab"), capsys)
    assert main(["users", project, "--add", "erin", "--role", "curator"]) == 0
    out = capsys.readouterr().out
    assert "erin is a(n) curator." in out and "People" in out
    assert main(["users", project, "--add", "erin", "--login", "--no-password"]) == 1
    err = capsys.readouterr().err
    assert "row-level security needs a PostgreSQL project" in err
    assert main(["assign", project, "--per-document", "1"]) == 1
    assert "--annotators" in capsys.readouterr().err


def test_team_work_on_postgresql_from_the_command_line(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(pg_url, capsys)
    monkeypatch.setattr(sys, "stdin", io.StringIO("alice-pw-1\n"))
    assert main(["users", pg_url, "--add", "alice", "--login", "--password-stdin"]) == 0
    out = capsys.readouterr().out
    assert "alice (annotator) can log in as spanlab_alice." in out
    assert "alice-pw-1" not in out
    assert main(["assign", pg_url, "--annotators", "alice", "--documents", "1", "3"]) == 0
    package = str(tmp_path / "alice.spanlab")
    alice_url = make_url(pg_url).set(username="spanlab_alice").render_as_string(False)
    assert main(["checkout", alice_url, "--annotator", "alice", "--out", package]) == 0
    assert main(["merge", alice_url, package]) == 0  # her own layer: allowed for her login
    assert "Merged 0 document(s) of alice; 2 unchanged" in capsys.readouterr().out
    assert main(["users", pg_url, "--revoke-login", "alice"]) == 0
    assert "Revoked the login of alice" in capsys.readouterr().out


def test_passwords_in_urls_never_reach_the_terminal(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with_secret = make_url(pg_url).set(password=SECRET)
    good = with_secret.render_as_string(hide_password=False)
    bad = with_secret.set(database="no_such_db_here").render_as_string(hide_password=False)
    assert main(["init", good]) == 0
    capsys.readouterr()  # see test_init_does_not_echo_the_password below
    for argv in (
        ["stats", bad],
        ["users", bad],
        ["assign", bad, "--annotators", "x", "--documents", "1"],
        ["merge", bad, "nothing.spanlab"],
        ["users", good],
        ["assign", good],
    ):
        main(argv)
        captured = capsys.readouterr()
        assert SECRET not in captured.out + captured.err, argv


def test_init_does_not_echo_the_password(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", make_url(pg_url).set(password=SECRET).render_as_string(False)]) == 0
    assert SECRET not in capsys.readouterr().out


def test_unreachable_server_errors_hide_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql+psycopg://someone:{SECRET}@127.0.0.1:1/news"
    for command in ("stats", "users", "assign"):
        assert main([command, url]) == 1
        captured = capsys.readouterr()
        assert SECRET not in captured.out + captured.err
        assert captured.err.startswith("spanlab: error: 127.0.0.1:1/news:")


def test_cli_warns_on_stderr_about_a_project_on_a_network_drive(tmp_path: Path) -> None:
    project = tmp_path / "shared.spanlab"
    Project.create(project).close()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nnas:/team {tmp_path} nfs4 rw 0 0\n")
    script = (
        "import sys; from pathlib import Path; from spanlab.core.team import netfs; "
        f"netfs.MOUNTS_FILE = Path({str(mounts)!r}); from spanlab.cli import main; "
        f"sys.exit(main(['stats', {str(project)!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "network file system (nfs4" in result.stderr
    assert "Documents: 0" in result.stdout
