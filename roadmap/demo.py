"""Demo progress on the roadmap's outputs, so the at-a-glance page shows a realistic picture."""

import datetime

from accounts.models import User
from roadmap.models import ExpectedResult, ProgressStatus, ProgressUpdate
from roadmap.seed import reference_roadmap

# (area number, output code) -> status, percent, narrative; fictional but plausible.
DEMO_PROGRESS = {
    (1, "1.1"): (
        ProgressStatus.ON_TRACK,
        70,
        "Course and tool mapping shared with member societies.",
    ),
    (1, "1.2"): (
        ProgressStatus.ON_TRACK,
        60,
        "Psychological first aid trainings continue in all regions.",
    ),
    (1, "1.3"): (
        ProgressStatus.AT_RISK,
        25,
        "Stigma resources collected slowly; few contributions so far.",
    ),
    (2, "2.1"): (
        ProgressStatus.ON_TRACK,
        80,
        "MoU and project document drafted; field tests planned.",
    ),
    (2, "2.2"): (
        ProgressStatus.NOT_STARTED,
        0,
        "Lessons-learned collection starts after field tests.",
    ),
    (3, "3.1"): (
        ProgressStatus.COMPLETED,
        100,
        "E-learning module published on the IFRC learning platform.",
    ),
    (4, "4.1"): (ProgressStatus.ON_TRACK, 50, "Two of four webinars held."),
    (4, "4.2"): (ProgressStatus.AT_RISK, 30, "Research consultant recruitment delayed."),
    (4, "4.3"): (ProgressStatus.ON_TRACK, 45, "Digital MHPSS toolkit outline agreed."),
    (5, "5.1"): (
        ProgressStatus.OFF_TRACK,
        15,
        "Donor meetings postponed; no dedicated funding yet.",
    ),
    (6, "6.1"): (
        ProgressStatus.ON_TRACK,
        65,
        "Joint statement delivered at the 2022 Council of Delegates.",
    ),
}


UPDATED_ON = datetime.date(2023, 11, 30)
# An earlier update of 1.3, so the pages "as of" the end of 2022 show another status.
EARLIER = {(1, "1.3"): (datetime.date(2022, 6, 30), ProgressStatus.ON_TRACK, 15)}


def load(stdout=None) -> int:
    """Add one update to each listed output that has none yet."""
    author = User.objects.filter(email="admin@example.org").first()
    if author is None:
        return 0
    roadmap = reference_roadmap()
    created = 0
    for (area_number, code), (status, percent, narrative) in DEMO_PROGRESS.items():
        result = ExpectedResult.objects.filter(
            area__roadmap=roadmap, area__number=area_number, code=code
        ).first()
        if result is None or ProgressUpdate.objects.for_object(result).exists():
            continue
        update = ProgressUpdate(
            subject=result,
            # Within the roadmap's period, so the demo report (as of its period's end), the
            # pages today and the pages as of the end of 2023 show the same statuses.
            date=UPDATED_ON - datetime.timedelta(days=7 * (area_number + 1)),
            status=status,
            percent_complete=percent,
            narrative=f"[demo] {narrative}",
            author=author,
        )
        update._change_reason = "demo data"
        update.save()
        created += 1
        if (area_number, code) in EARLIER:
            day, earlier_status, earlier_percent = EARLIER[(area_number, code)]
            earlier = ProgressUpdate(
                subject=result,
                date=day,
                status=earlier_status,
                percent_complete=earlier_percent,
                narrative="[demo] First stigma resources listed; contributions invited.",
                author=author,
            )
            earlier._change_reason = "demo data"
            earlier.save()
    if stdout:
        stdout.write(f"Roadmap demo progress: {created} updates.")
    return created
