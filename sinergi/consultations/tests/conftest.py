from typing import Any

import pytest


@pytest.fixture
def matrix_forum(personas: Any) -> Any:
    """The permission matrix's forum: convened by the opd_officer's organisation, with the forum_secretariat
    persona (added to `personas`) as its secretariat."""
    from sinergi.forums.tests.fixtures import build_matrix_forum
    from tests.permission_matrix import MatrixContext

    return build_matrix_forum(MatrixContext(personas=personas))
