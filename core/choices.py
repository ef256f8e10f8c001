"""Choice labels every app shows: one definition, translated once.

``YesNo`` is the answer of a yes/no question as stored ("yes"/"no") with its label; ``yes_no``
says a boolean or a stored answer in words in the active language (history, conflicts,
exports, results); ``yes_no_labels`` gives the labels in one given language (a questionnaire
written out in every language).
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


def yes_no(value) -> str:
    """True or "yes" is "Yes", anything else "No", in the active language."""
    if isinstance(value, str):
        value = value == YesNo.YES
    return str(YesNo.YES.label if value else YesNo.NO.label)


def yes_no_labels(language: str) -> dict[str, str]:
    """{"yes": …, "no": …} in the language given, whatever the active one."""
    with translation.override(language):
        return {choice.value: str(choice.label) for choice in YesNo}
