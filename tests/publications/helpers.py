"""Helpers for the publications' tests: real PDFs and images, the back office's forms
posted as a browser would, and what the database holds."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import Publication

from ..helpers.backoffice import csrf_token


def pdf_bytes(text: str = "A test report") -> bytes:
    """A small, real PDF (fpdf2's core font: no font files needed)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())


def image_bytes(size: tuple[int, int] = (600, 800), kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 94, 59)).save(out, format=kind)
    return out.getvalue()


def create(client, *, slug: str = "annual-report", call: int | None = None, **fields) -> object:
    """Post the new-publication form; returns the response."""
    url = "/organiser/publications/new"
    data = {
        "csrf_token": csrf_token(client, url),
        "slug": slug,
        "language": "en",
        "published_on": "2026-11-30",
        "petition_id": str(call) if call else "",
        "title": "Annual report",
        "summary_markdown": "What we did, **in short**.",
        **fields,
    }
    return client.post(url, data=data, content_type="multipart/form-data")


def texts_url(publication_id: int, language: str) -> str:
    return f"/organiser/publications/{publication_id}/languages/{language}"


def save_texts(
    client, publication_id: int, language: str, pdf: tuple[bytes, str, str] | None = None, **fields
):
    """Post a language's texts, with a PDF as (bytes, file name, declared type)."""
    url = texts_url(publication_id, language)
    data = {
        "csrf_token": csrf_token(client, url),
        "title": f"Title in {language}",
        "summary_markdown": f"Summary in {language}.",
        "cover_alt": "",
        **fields,
    }
    if pdf is not None:
        data["pdf"] = (io.BytesIO(pdf[0]), pdf[1], pdf[2])
    return client.post(url, data=data, content_type="multipart/form-data")


def publish(client, publication_id: int, value: str = "1"):
    url = f"/organiser/publications/{publication_id}"
    return client.post(
        f"{url}/publish", data={"csrf_token": csrf_token(client, url), "publish": value}
    )


def publication_id(app, slug: str = "annual-report") -> int:
    with app.app_context():
        return db.session.scalar(select(Publication.id).where(Publication.slug == slug))


def published_report(app, as_role, *, call: int | None = None, languages=("en", "fr")) -> int:
    """A published report with a PDF in each of ``languages``; returns its id."""
    editor = as_role("editor")
    assert create(editor, call=call).status_code == 303
    pid = publication_id(app)
    for language in languages:
        pdf = (pdf_bytes(f"Report in {language}"), f"report-{language}.pdf", "application/pdf")
        assert save_texts(editor, pid, language, pdf).status_code == 303
    assert publish(editor, pid).status_code == 303
    return pid
