"""The one rule for tests that need a system tool: skipped on a developer's machine, failed in CI."""

import pytest
from _pytest.outcomes import Failed, Skipped

from . import tools


@pytest.fixture
def local(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)


def test_a_missing_tool_skips_the_test_locally(local):
    with pytest.raises(Skipped, match="no-such-tool-here is not installed"):
        tools.run_tool("no-such-tool-here", "--version")


@pytest.mark.parametrize("variable", ["CI", "REQUIRE_BROWSER"])
def test_a_missing_tool_fails_the_test_in_ci(local, monkeypatch, variable):
    monkeypatch.setenv(variable, "true")
    with pytest.raises(Failed, match="required in CI"):
        tools.require_tool("no-such-tool-here")


def test_a_missing_browser_path_goes_through_the_same_rule(local):
    with pytest.raises(Skipped, match="/nonexistent/chromium is not installed"):
        tools.require_tool("/nonexistent/chromium")


def test_a_present_tool_is_found(local):
    assert tools.require_tool("sh").endswith("/sh")
