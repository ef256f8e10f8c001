"""People and organisations: the custom user, National Societies and other Movement components, roles."""
