"""File › Export as spaCy: a folder of .spacy files per split that spaCy reads back whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spanlab.ui.app import SpanLabApp
from spanlab.ui.dialogs.export_dialog import ExportDialog

spacy = pytest.importorskip("spacy")


def test_dialog_exports_spacy_folders_that_spacy_and_its_config_read(
    qtbot: QtBot, sample_gui: SpanLabApp, tmp_path: Path
) -> None:
    from spacy.tokens import DocBin
    from spacy.training import Corpus

    out = tmp_path / "out-spacy"
    dialog = ExportDialog(sample_gui.session, sample_gui.window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_format("spacy")
    dialog.set_out_dir(out)
    dialog.annotator.setCurrentText("alice")
    dialog.all_documents.setCurrentIndex(1)  # all documents
    dialog.split.setChecked(True)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    report = dialog.report
    assert report is not None and report.ok, report.failed

    written = sorted(p.relative_to(out).as_posix() for p in report.files)
    assert "config.cfg" in written
    data = [name for name in written if name != "config.cfg"]
    assert data and all(name.endswith(".spacy") for name in data)
    assert {name.split("/")[0] for name in data} <= {"train", "dev", "test"}

    nlp = spacy.blank("en")
    by_file = {
        name: list(DocBin(store_user_data=True).from_disk(out / name).get_docs(nlp.vocab))
        for name in data
    }
    docs = [doc for found in by_file.values() for doc in found]
    assert len(docs) == report.documents == 8
    assert sum(len(doc.spans["sc"]) for doc in docs) == report.spans
    assert {doc.user_data["spanlab"]["annotator"] for doc in docs} == {"alice"}

    config = spacy.util.load_config(out / "config.cfg", interpolate=False)
    train = out / config["paths"]["train"]
    assert train.is_dir()
    in_train = [
        doc.text for name, found in by_file.items() if name.startswith("train/") for doc in found
    ]
    assert [example.reference.text for example in Corpus(train)(nlp)] == in_train
    assert f"{len(report.files)} file(s) written" in dialog.summary.toPlainText()
