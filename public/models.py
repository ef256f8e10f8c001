"""What an admin has published for visitors without an account."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import TimeStampedModel


class PublicPages(TimeStampedModel):
    """One row: which public pages are published (all off until an admin turns them on).

    The roadmap at a glance is published with its public summary (roadmap.PublicSummary).
    """

    groups_published = models.BooleanField(
        _("working groups published"),
        default=False,
        help_text=_(
            "Each working group's purpose, co-lead organisations, member National Societies "
            "and current plan, and the form to ask to join."
        ),
    )
    resources_published = models.BooleanField(
        _("resource library published"),
        default=False,
        help_text=_("The resources marked public, and nothing else of the mapping."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public pages")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return str(_("Public pages"))

    @classmethod
    def current(cls) -> "PublicPages":
        """The one row; unsaved and unpublished until an admin first publishes something."""
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls()
