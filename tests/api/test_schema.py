"""The OpenAPI schema validates, and a schema-driven fuzz (schemathesis) finds no 500."""

import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from api.api import api
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema()
OPERATIONS = [result.ok() for result in schemathesis.openapi.from_dict(SCHEMA).get_all_operations()]


def test_the_openapi_schema_validates():
    validate(SCHEMA)
    paths = set(SCHEMA["paths"])
    assert "/api/v1/areas" in paths
    assert "/api/v1/survey-rounds/{round_pk}/responses/{society_pk}" in paths
    assert SCHEMA["components"]["securitySchemes"]


def test_the_schema_and_docs_are_served_to_signed_in_people(client, world):
    client.force_login(world["reader"])
    schema = client.get(reverse("api:openapi-json"))
    assert schema.status_code == 200
    assert schema.json()["paths"].keys() == SCHEMA["paths"].keys()
    docs = client.get(reverse("api:openapi-view"))
    assert docs.status_code == 200
    html = docs.content.decode()
    # Served by the app (no CDN): the bundled Swagger UI from our static files.
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
def test_fuzz_finds_no_server_error(client, world, token_for, operation):
    secret = token_for(world["admin"])
    headers = bearer(secret)
    strategy = operation.as_strategy()

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(case=strategy, real_ids=st.booleans())
    def run(case, real_ids):
        path_parameters = dict(case.path_parameters or {})
        if real_ids:  # half the cases hit real objects, so the happy paths run too
            for name, value in (
                ("round_pk", world["round"].pk),
                ("society_pk", world["kenya"].pk),
                ("indicator_id", world["indicator"].pk),
            ):
                if name in path_parameters:
                    path_parameters[name] = value
        path = operation.path
        for name, value in path_parameters.items():
            path = path.replace("{" + name + "}", str(value))
        answer = client.get(path, case.query or {}, **headers)
        assert answer.status_code < 500, (path, case.query, answer.content[:300])

    run()
