"""Aspirations (Misi 02): intake, routing and working-day deadlines.

For now a plain package of self-contained modules (no models, not in INSTALLED_APPS):
``workdays`` (Indonesian working-day calendar and the deadline policy) and ``routing``
(category/OPD/komisi suggestions for Bahasa Indonesia text). The Django app is built around them later.
"""
