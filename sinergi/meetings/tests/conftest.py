from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from sinergi.ledger.models import LedgerEntry
from sinergi.meetings.tests.factories import ForumSetup, forum_with_members


@pytest.fixture
def setup(reference_data: None) -> ForumSetup:
    """Active forum: secretariat (pemerintah) plus one member each of pemerintah, swasta,
    masyarakat and pemuda; quorum 50% of members, no required sectors."""
    return forum_with_members()


@contextmanager
def _one_entry() -> Iterator[None]:
    before = LedgerEntry.objects.count()
    yield
    assert LedgerEntry.objects.count() == before + 1, "a service must write exactly one log entry"


@contextmanager
def _no_entry() -> Iterator[None]:
    before = LedgerEntry.objects.count()
    yield
    assert LedgerEntry.objects.count() == before, "a refusal must write no log entry"


@pytest.fixture
def one_entry() -> Callable[[], Any]:
    return _one_entry


@pytest.fixture
def no_entry() -> Callable[[], Any]:
    return _no_entry
