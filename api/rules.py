"""Who may do what with API tokens: each person their own; admins every token and the log.

Readers may look at the tokens page and the log (read-only, 403 on revoking others' tokens);
everybody else gets 404 on the admin pages. A token acts with its owner's permissions.
"""

import rules

from accounts.rules import is_reader, is_roadmap_admin, is_signed_in


@rules.predicate
def owns_token(user, token) -> bool:
    return bool(token is not None and user.is_authenticated and token.user_id == user.pk)


# No object: one's own tokens.
rules.add_perm("api.use_tokens", is_signed_in)
# Object: the token.
rules.add_perm("api.revoke_token", owns_token | is_roadmap_admin)
# No object: every person's tokens and the request log.
rules.add_perm("api.view_all_tokens", is_roadmap_admin | is_reader)
rules.add_perm("api.revoke_any_token", is_roadmap_admin)
