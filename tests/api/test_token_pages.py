"""The token pages: create (secret shown once), revoke own, admins see and revoke all."""

import pytest
from django.urls import reverse

from api.models import ApiToken, token_hash
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_create_shows_the_secret_once_and_stores_its_hash(client, world):
    client.force_login(world["focal_kenya"])
    answer = client.post(reverse("api:list"), {"name": "Power BI", "expires_on": ""})
    assert answer.status_code == 302
    page = client.get(reverse("api:list"))
    secret = page.context["secret"]
    assert secret and secret in page.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(secret) and secret not in token.key_hash
    assert token.name == "Power BI" and token.user == world["focal_kenya"]
    again = client.get(reverse("api:list"))
    assert again.context["secret"] is None
    assert secret not in again.content.decode()
    assert client.get(reverse("api:roadmap_list"), **bearer(secret)).status_code == 200


def test_a_bad_form_changes_nothing(client, world):
    client.force_login(world["reader"])
    answer = client.post(reverse("api:list"), {"name": "", "expires_on": "2001-01-01"})
    assert answer.status_code == 422
    assert "Choose a day from today on." in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_owner_and_admin_revoke_others_do_not(client, world, token_for):
    token_for(world["focal_kenya"])
    token = ApiToken.objects.get()
    url = reverse("api:revoke", args=[token.pk])
    client.force_login(world["reader"])
    assert client.post(url).status_code == 403
    client.force_login(world["focal_kenya"])
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.state == "revoked" and token.revoked_by == world["focal_kenya"]
    assert token.history.count() == 2


def test_admin_pages_list_every_token_and_the_log(
    client, world, token_for, django_assert_max_num_queries
):
    for user in ("focal_kenya", "reader", "admin"):
        for _ in range(3):
            secret = token_for(world[user])
            client.get(reverse("api:roadmap_list"), **bearer(secret))
    client.force_login(world["admin"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("api:admin"))
    assert page.status_code == 200
    assert world["focal_kenya"].email in page.content.decode()
    with django_assert_max_num_queries(10):
        log = client.get(reverse("api:requests"))
    assert log.content.decode().count("/api/v1/roadmaps") == 9
    client.force_login(world["focal_kenya"])
    assert client.get(reverse("api:admin")).status_code == 404
