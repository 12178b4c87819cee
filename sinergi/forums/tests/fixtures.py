"""Forum objects for the permission matrix (the forums app owns how a valid forum is built)."""

from tests.permission_matrix import MatrixContext


def add_matrix_forum(context: MatrixContext) -> None:
    """Create the matrix's standard forum and add the `forum_secretariat` persona to
    `context.personas`. Replaced by the forums app with the real construction."""
    from conftest import Persona
    from sinergi.actors.tests.factories import PersonFactory

    context.personas.by_role["forum_secretariat"] = Persona(
        "forum_secretariat", PersonFactory(full_name="Persona sekretariat").user
    )
