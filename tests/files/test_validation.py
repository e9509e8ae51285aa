"""Files are judged by their content: the real kinds pass, disguised and hostile ones do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from helhedsplan.files.validation import validate_upload
from tests.files import samples


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("referat.pdf", samples.pdf_bytes, "pdf"),
        ("referat.docx", samples.docx_bytes, "docx"),
        ("tal.xlsx", samples.xlsx_bytes, "xlsx"),
        ("diagram.png", lambda: samples.image_bytes("PNG"), "png"),
        ("foto.jpg", lambda: samples.image_bytes("JPEG"), "jpeg"),
    ],
)
def test_real_tiny_files_are_accepted_as_their_kind(name: str, make, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert validate_upload(samples.upload(name, make())) == kind


def test_kind_comes_from_content_not_name() -> None:
    assert validate_upload(samples.upload("referat.docx", samples.pdf_bytes())) == "pdf"


def test_executable_renamed_as_pdf_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_upload(samples.upload("referat.pdf", samples.executable_bytes()))
    assert exc.value.code == "file_type_not_allowed"
    assert "referat.pdf er ikke en tilladt filtype" in exc.value.messages[0]
    assert "PDF" in exc.value.messages[0]


def test_kind_outside_the_allowed_set_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_upload(samples.upload("tal.xlsx", samples.xlsx_bytes()), allowed={"pdf", "docx"})
    assert exc.value.code == "file_type_not_allowed"
    assert "PDF, Word (DOCX)" in exc.value.messages[0]


def test_plain_zip_is_not_a_docx() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")  # no [Content_Types].xml
    with pytest.raises(ValidationError) as exc:
        validate_upload(samples.upload("x.docx", out.getvalue()))
    assert exc.value.code == "file_type_not_allowed"


@pytest.mark.slow
def test_zip_bomb_as_docx_is_refused_without_unpacking() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_upload(samples.upload("referat.docx", samples.zip_bomb_docx_bytes()))
    assert exc.value.code == "zip_bomb"
    assert "150 MB" in exc.value.messages[0]


def test_hundred_megabyte_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "stor.pdf"
    with big.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    with big.open("rb") as fh:
        upload = UploadedFile(fh, name="stor.pdf", size=big.stat().st_size)
        with pytest.raises(ValidationError) as exc:
            validate_upload(upload)
    assert exc.value.code == "file_too_large"
    assert exc.value.messages[0] == (
        "Filen stor.pdf fylder 100 MB; højst 20 MB er tilladt. Intet er gemt."
    )


def test_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_upload(samples.upload("tom.pdf", b""))
    assert exc.value.code == "file_empty"


def test_unknown_kind_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="exe"):
        validate_upload(samples.upload("a.pdf", b"%PDF-"), allowed={"exe"})
