"""History as a readable diff: who, when, why, and field: old → new with labels."""

from django.urls import reverse

from core.history import history_diffs
from roadmap import services
from tests import factories


def test_diff_uses_verbose_names_and_choice_labels(update, admin_user):
    editor = factories.UserFactory(full_name="Amina Diallo")
    services.progress_update_edit(
        update=update, editor=editor, reason="Funding cut", status="at_risk", percent_complete=35
    )
    latest, created = history_diffs(update, created_fields=True)
    assert latest.who == "Amina Diallo"
    assert latest.reason == "Funding cut"
    assert latest.action == "changed"
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes == {"Status": ("On track", "At risk"), "Percent complete": ("40", "35")}
    assert created.action == "created"
    assert ("Status", "On track") in {(c.label, c.new) for c in created.changes}
    assert history_diffs(update)[1].changes == []


def test_foreign_keys_show_the_related_object(output, admin_user):
    other_author = factories.UserFactory(full_name="Jon Other")
    update = factories.ProgressUpdateFactory(subject=output, author=admin_user)
    update.author = other_author
    update._change_reason = "wrong author"
    update.save()
    latest = history_diffs(update.history.all())[0]
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("Author", str(admin_user), "Jon Other")
    ]


def test_merged_sources_newest_first_and_limit(indicator, indicator_value, admin_user):
    services.indicator_value_edit(
        indicator_value=indicator_value, editor=admin_user, reason="typo", value=80
    )
    entries = history_diffs([indicator, indicator_value.history.all()])
    assert entries[0].reason == "typo"
    assert entries[0].model_label == "Indicator value"
    assert [c.label for c in entries[0].changes] == ["Value"]
    assert len(history_diffs([indicator, indicator_value], limit=1)) == 1


def test_unchanged_saves_are_hidden(output):
    output.save()
    assert [e.action for e in history_diffs(output)] == ["created"]


def test_result_page_shows_history(client, reader, update, admin_user):
    services.progress_update_edit(
        update=update, editor=admin_user, reason="Delays in translation", status="off_track"
    )
    client.force_login(reader)
    html = client.get(reverse("roadmap:result", args=[update.object_id])).content.decode()
    assert "Delays in translation" in html
    assert "On track" in html and "Off track" in html


def test_area_page_shows_results_indicators_history(
    client, reader, area, output, outcome, indicator, indicator_value, update
):
    client.force_login(reader)
    html = client.get(reverse("roadmap:area", args=[area.number])).content.decode()
    for text in [
        output.title,
        outcome.title,
        indicator.name,
        indicator_value.source,
        update.narrative,
    ]:
        assert text in html
    assert "History" in html and "created" in html
