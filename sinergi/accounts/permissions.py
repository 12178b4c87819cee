import rules

from sinergi.actors.predicates import is_signed_in

rules.add_perm("accounts.view_own_account", is_signed_in)
rules.add_perm("accounts.manage_api_tokens", is_signed_in)
