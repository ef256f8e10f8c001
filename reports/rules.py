"""Who may do what with reports: admins and readers see them; admins alone generate and write.

Readers edit nothing: a generated report is an archived version, a new record, so readers
do not make them (and cannot queue expensive builds).
"""

import rules

from accounts.rules import is_reader, is_roadmap_admin

# Object: the edition (none for the list and for a new one).
rules.add_perm("reports.view_edition", is_roadmap_admin | is_reader)
rules.add_perm("reports.generate_edition", is_roadmap_admin)
rules.add_perm("reports.change_edition", is_roadmap_admin)
# No object: the spreadsheet exports cover the whole roadmap.
rules.add_perm("reports.export_data", is_roadmap_admin)
