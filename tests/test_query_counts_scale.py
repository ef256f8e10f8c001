"""Query counts of every main page, export and the report do not grow with the data.

The same pages as the benchmark (`benchmarks/pages.py`), opened on the tiny synthetic data set
at one size and at three times that size: each count must be the same.
"""

import os

import pytest
from django.core.management import call_command
from django.db import transaction

from benchmarks.pages import find_targets, query_counts
from roadmap import synthetic


@pytest.mark.slow
@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data():
    with open(os.devnull, "w") as quiet:
        call_command("load_roadmap", stdout=quiet)
        call_command("load_demo", stdout=quiet)
    savepoint = transaction.savepoint()
    synthetic.generate(scale=1, sizes=synthetic.Sizes(**synthetic.TINY))
    small = query_counts(find_targets())
    transaction.savepoint_rollback(savepoint)

    counts = synthetic.generate(scale=3, sizes=synthetic.Sizes(**synthetic.TINY))
    assert counts["answers"] > 0 and counts["resources"] == 30
    large = query_counts(find_targets())

    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert not grown, f"query counts grew with the data (small, 3× larger): {grown}"
    assert set(large) == set(small)
