"""Who may publish the public pages: roadmap admins."""

import rules

from accounts.rules import is_roadmap_admin

# No object: turn each public page on or off.
rules.add_perm("public.publish", is_roadmap_admin)
