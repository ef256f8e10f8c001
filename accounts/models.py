"""People (log in with e-mail) and the organisations they belong to."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.translated import InLanguage


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Region(models.TextChoices):
    """The five IFRC regions."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA_PACIFIC = "asia_pacific", _("Asia Pacific")
    EUROPE_CENTRAL_ASIA = "europe_central_asia", _("Europe and Central Asia")
    MENA = "mena", _("Middle East and North Africa")


class OrganisationQuerySet(models.QuerySet):
    def national_societies(self):
        """Every National Society, the synthetic ones of `seed_demo` included (see `real`)."""
        return self.filter(kind=Organisation.Kind.NATIONAL_SOCIETY)

    def real(self):
        """Leave out the synthetic demo organisations (`is_demo`).

        Use it wherever a society is found by its country (reference data, demo accounts):
        demo societies reuse real countries, only real ones are one per country.
        """
        return self.filter(is_demo=False)

    def active(self):
        return self.filter(is_active=True)


class Organisation(TimeStampedModel):
    """A component of the Movement (or a partner) that people work for."""

    class Kind(models.TextChoices):
        NATIONAL_SOCIETY = "national_society", _("National Society")
        IFRC = "ifrc", _("IFRC")
        ICRC = "icrc", _("ICRC")
        PS_CENTRE = "ps_centre", _("Reference Centre for Psychosocial Support")
        PARTNER = "partner", _("External partner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    # Official names in the other languages; where one is not known the English stays.
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), blank=True)
    region = models.CharField(_("IFRC region"), max_length=30, choices=Region.choices, blank=True)
    default_language = models.CharField(
        _("default language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Language of e-mails and of the survey for this organisation's focal points."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_(
            "Synthetic organisation created by seed_demo for demonstrations and benchmarks; "
            "not one of the real National Societies."
        ),
    )

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    translated_fields = ("name",)
    display_name = InLanguage("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="national_society") | (~Q(country="") & ~Q(region="")),
                name="national_society_has_country_and_region",
            ),
            models.UniqueConstraint(
                fields=["country"],
                # Real societies only: synthetic demo societies reuse real countries.
                condition=Q(kind="national_society", is_demo=False),
                name="one_national_society_per_country",
            ),
        ]

    def __str__(self) -> str:
        # In the reader's language where the official name is known, else the English name.
        return self.display_name

    @property
    def is_national_society(self) -> bool:
        return self.kind == self.Kind.NATIONAL_SOCIETY


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.ADMIN)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class DigestFrequency(models.TextChoices):
    """How often a person gets the e-mail digest of their groups' work."""

    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Daily")
    OFF = "off", _("Never")


class User(AbstractUser):
    """A person who signs in with their e-mail address."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Roadmap admin")
        READER = "reader", _("Reader")
        STAFF = "staff", _("Movement staff")

    # Removing the inherited fields, as Django's docs do (the stubs type them as str).
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    is_focal_point = models.BooleanField(
        _("National Society focal point"),
        default=False,
        help_text=_("Answers the survey for their own National Society."),
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, blank=True)
    digest_frequency = models.CharField(
        _("e-mail digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
        help_text=_(
            "What is due, overdue and changed in your working groups, sent to you by e-mail."
        ),
    )
    assignment_emails = models.BooleanField(
        _("e-mail me when an action item is assigned to me"), default=True
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()  # type: ignore[assignment]  # ours: signs in with e-mail

    class Meta:
        ordering = ["email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        self.email = (self.email or "").lower()
        if self.is_focal_point and not (
            self.organisation and self.organisation.kind == Organisation.Kind.NATIONAL_SOCIETY
        ):
            raise ValidationError(
                {"is_focal_point": _("A focal point must belong to a National Society.")}
            )

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_roadmap_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == self.Role.ADMIN)

    @property
    def is_reader(self) -> bool:
        return self.is_active and self.role == self.Role.READER

    @property
    def focal_point_society_id(self) -> int | None:
        """The National Society this person answers the survey for, if any."""
        if self.is_focal_point and self.organisation_id:
            return self.organisation_id
        return None
