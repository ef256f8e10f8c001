"""`seed_demo`: a clearly marked synthetic data set, beyond the real National Societies."""

import csv
import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, User
from roadmap import synthetic
from roadmap.models import Evidence, ProgressUpdate
from surveys.models import Answer, Response, SurveyRound
from workinggroups.models import Deliverable, Resource


@pytest.fixture
def reference_data(shared_demo, db):
    """The reference data and demo accounts, loaded once for the module."""


def test_every_count_follows_the_scale(reference_data):
    real = Organisation.objects.national_societies().count()
    # Other apps' demo data may be marked "[demo]" too: count what the generator adds.
    before = {
        "deliverables": Deliverable.objects.count(),
        "updates": ProgressUpdate.objects.count(),
        "files": Evidence.objects.exclude(file="").count(),
        "resources": Resource.objects.count(),
    }
    sizes = synthetic.Sizes(**{**synthetic.TINY, "societies": real // 2 + 5})
    counts = synthetic.generate(scale=2, sizes=sizes)

    # Beyond the real societies, synthetic ones, marked as demo, in real countries and regions.
    societies = Organisation.objects.national_societies()
    assert societies.count() == sizes.societies * 2
    assert counts["societies created"] == sizes.societies * 2 - real
    demo_societies = societies.filter(is_demo=True)
    assert demo_societies.count() == counts["societies created"]
    assert all(s.name.startswith("[demo] Society") for s in demo_societies)
    real_regions = dict(societies.real().values_list("country", "region"))
    assert all(real_regions[s.country.code] == s.region for s in demo_societies)
    assert Organisation.objects.real().count() == Organisation.objects.count() - len(demo_societies)
    assert User.objects.filter(
        email__endswith="@demo.example.org", is_focal_point=True
    ).count() == (sizes.societies * 2)
    assert Deliverable.objects.count() - before["deliverables"] == 8
    assert ProgressUpdate.objects.count() - before["updates"] == 8 * 3
    assert Evidence.objects.exclude(file="").count() - before["files"] == 1
    assert Resource.objects.count() - before["resources"] == 20
    new = Deliverable.objects.order_by("pk")[before["deliverables"] :]
    assert all(d.title.startswith("[demo]") for d in new)
    # The three reference rounds only; every society answered each closed round.
    assert SurveyRound.objects.count() == 3
    assert counts["survey rounds"] == 3
    closed = SurveyRound.objects.exclude(state=SurveyRound.State.OPEN)
    for survey_round in closed:
        assert Response.objects.filter(round=survey_round).count() == sizes.societies * 2
    assert Answer.objects.filter(response__round__in=closed).count() > 0
    assert (
        counts["answers"]
        == Answer.objects.filter(
            response__society__in=societies, updated_by__email__endswith="@demo.example.org"
        ).count()
    )


def test_export_of_answers_is_complete(reference_data):
    counts = synthetic.generate(scale=1, sizes=synthetic.Sizes(**synthetic.TINY))
    assert counts["answers"] > 0
    admin = User.objects.filter(role=User.Role.ADMIN).first()
    client = Client()
    client.force_login(admin)
    survey_round = SurveyRound.objects.filter(state=SurveyRound.State.CLOSED).first()
    url = reverse("surveys:round-export", args=[survey_round.pk])
    response = client.get(url, {"format": "csv", "layout": "long", "language": "en"})
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert len(rows) - 1 == Answer.objects.filter(response__round=survey_round).count()


def test_command_refuses_a_second_run_without_add(reference_data):
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--tiny", stdout=quiet)
        with pytest.raises(CommandError, match="--add"):
            call_command("seed_demo", "--tiny", stdout=quiet)
        call_command("seed_demo", "--tiny", "--add", stdout=quiet)
    assert Resource.objects.filter(title__startswith="[demo] Resource").count() == 20


def test_societies_grow_with_the_scale_beyond_one_per_country(reference_data):
    """About 190 × the scale: demo societies reuse the real countries, which stay one each."""
    real = Organisation.objects.national_societies().count()
    counts = synthetic.generate(
        scale=2, sizes=synthetic.Sizes(**{**synthetic.TINY, "societies": None})
    )
    assert counts["societies created"] == real
    societies = Organisation.objects.national_societies()
    assert societies.count() == 2 * real
    assert societies.real().count() == real
    assert set(societies.filter(is_demo=True).values_list("country", flat=True)) == set(
        societies.real().values_list("country", flat=True)
    )
    # Loading the reference data again matches the real societies only: nothing new.
    with open(os.devnull, "w") as quiet:
        call_command("load_roadmap", stdout=quiet)
    assert societies.count() == 2 * real


def test_rounds_make_years_of_answered_rounds_with_history(reference_data):
    """`--rounds 6`: the reference rounds and closed demo rounds of the years before them, each
    answered by every society, every generated row with its creation record, dated then."""
    reference = list(SurveyRound.objects.order_by("year"))
    history_before = Answer.history.count()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--tiny", "--rounds", "6", stdout=quiet)
    rounds = list(SurveyRound.objects.order_by("year"))
    assert len(rounds) == 6
    demo = [r for r in rounds if r not in reference]
    assert [r.year for r in demo] == list(range(reference[0].year - 3, reference[0].year))
    assert all(r.name.startswith("[demo] Round") and r.state == "closed" for r in demo)
    societies = Organisation.objects.national_societies().order_by("name")[
        : synthetic.TINY["societies"]
    ]
    for survey_round in demo:
        assert Response.objects.filter(round=survey_round, state="submitted").count() == len(
            societies
        )
        answers = Answer.objects.filter(response__round=survey_round)
        assert answers.count() > 0
        # Answered in the round's year, and the history says so.
        assert {a.updated_at.year for a in answers} == {survey_round.year}
        records = Answer.history.filter(response__round=survey_round)
        assert records.count() == answers.count()
        assert set(records.values_list("history_type", flat=True)) == {"+"}
        assert {r.history_date.year for r in records} == {survey_round.year}
        assert set(records.values_list("history_user_id", flat=True)) == set(
            answers.values_list("updated_by_id", flat=True)
        )
    # Every generated answer, response, round and deliverable has exactly one creation record.
    assert (
        Answer.history.count() - history_before
        == Answer.objects.filter(updated_by__email__endswith="@demo.example.org").count()
    )
    for model in (Response, SurveyRound, Deliverable, Resource, Organisation, User):
        tracked = set(model.objects.values_list("pk", flat=True))
        recorded = list(model.history.filter(history_type="+").values_list("id", flat=True))
        assert set(recorded) == tracked, model.__name__
        assert len(recorded) == len(set(recorded)), model.__name__

    # Asking again for as many rounds adds societies' answers to the same rounds, no new round.
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--tiny", "--rounds", "6", "--add", stdout=quiet)
    assert SurveyRound.objects.count() == 6


def test_rounds_below_the_existing_ones_are_refused(reference_data):
    with open(os.devnull, "w") as quiet:
        with pytest.raises(CommandError, match="3 survey rounds already"):
            call_command("seed_demo", "--tiny", "--rounds", "2", stdout=quiet)
        with pytest.raises(CommandError, match="from 1"):
            call_command("seed_demo", "--tiny", "--rounds", "0", stdout=quiet)
    assert not Answer.objects.filter(updated_by__email__endswith="@demo.example.org").exists()
