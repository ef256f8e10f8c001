"""Roadmap fixtures: a current roadmap with one area, an outcome, an output and an indicator."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400
HTML_BYTES = b"<!DOCTYPE html><html><head><script>alert(1)</script></head><body></body></html>"


def pdf_file(name="report.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def roadmap(db):
    return factories.RoadmapFactory(name="Roadmap 2020-2023", is_current=True)


@pytest.fixture
def area(roadmap):
    return factories.AreaFactory(roadmap=roadmap, number=1, title="Basic psychosocial support")


@pytest.fixture
def output(area):
    return factories.OutputFactory(area=area, code="1.1", title="Courses are mapped")


@pytest.fixture
def outcome(area):
    return factories.OutcomeFactory(area=area, code="1.A", title="People get basic support")


@pytest.fixture
def indicator(area):
    return factories.IndicatorFactory(area=area, code="PFA", name="Provide PFA")


@pytest.fixture
def indicator_value(indicator):
    return factories.IndicatorValueFactory(indicator=indicator, year=2021, value=79)


@pytest.fixture
def update(output, admin_user):
    return factories.ProgressUpdateFactory(
        subject=output, author=admin_user, status="on_track", percent_complete=40
    )
