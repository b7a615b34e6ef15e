import pytest

from ecomap.modules.definitions import CONTENT_DIR

from . import TEST_CONTENT


@pytest.fixture(autouse=True)
def test_module(settings):
    """Every modules test sees the shipped modules and the small test module."""
    settings.MODULE_DIRS = [CONTENT_DIR, TEST_CONTENT]
