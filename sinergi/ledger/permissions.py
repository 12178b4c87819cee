import rules

# The log is public by definition: anyone, signed in or not, may read and verify it.
rules.add_perm("ledger.view_ledger", rules.always_allow)
