"""Spreadsheet import and export of organisations (the National Societies list)."""

from core.resources import ModelResource

from .models import Organisation, Region


class OrganisationResource(ModelResource):
    """Columns: name, short_name, kind, country, region, default_language, and the official
    name in French, Spanish and Arabic where known (empty: the English name is shown).

    ``name`` identifies a row, so importing the same file again updates rather than duplicates.
    A file without a ``kind`` column (like fixtures/national_societies.csv) holds National
    Societies. Regions may be given as codes (``mena``) or as their English names. Exports leave
    out the synthetic demo organisations (``is_demo``).
    """

    class Meta:
        model = Organisation
        fields = (
            "name",
            "short_name",
            "kind",
            "country",
            "region",
            "default_language",
            "name_fr",
            "name_es",
            "name_ar",
        )
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import(self, dataset, **kwargs):
        if "kind" not in dataset.headers:
            dataset.append_col([Organisation.Kind.NATIONAL_SOCIETY] * dataset.height, header="kind")
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        row["name"] = (row.get("name") or "").strip()
        if not (row.get("kind") or "").strip():
            row["kind"] = Organisation.Kind.NATIONAL_SOCIETY
        region = (row.get("region") or "").strip()
        by_label = {str(label).lower(): value for value, label in Region.choices}
        row["region"] = by_label.get(region.lower(), region)
        row["country"] = (row.get("country") or "").strip().upper()
        if not (row.get("default_language") or "").strip():
            row["default_language"] = "en"

    def filter_export(self, queryset, **kwargs):
        # Reference data only: the file has no is_demo column, so synthetic demo rows
        # (`seed_demo`) would come back as real societies when it is imported.
        return super().filter_export(queryset, **kwargs).filter(is_demo=False)
