"""Working groups: co-leads, members, workplans, deliverables, meetings and the resource mapping."""
