import rules

# Region codes, names and boundaries are public data (Kepmendagri, MIT); anyone may read them.
rules.add_perm("regions.view_region", rules.always_allow)
