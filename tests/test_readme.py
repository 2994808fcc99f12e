"""The README shows what clo is: what each role does today, with screenshots of the main screens and sample
documents that exist in the repository (made by ``make docs``), and a quick start of exactly two commands."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_first_five_minutes import ROLES, SCREENSHOTS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINKS = re.findall(r"\]\(((?!https?:|#|<)[^)\s]+)\)", README)


def test_every_local_link_and_image_of_the_readme_exists():
    assert LINKS, "the README links to no file"
    missing = [link for link in LINKS if not (ROOT / link).is_file()]
    assert missing == []


def test_the_screenshots_are_pngs_taken_by_the_browser_test_and_all_shown():
    images = {link for link in LINKS if link.startswith("docs/screenshots/")}
    taken = {f"docs/screenshots/{name}.png" for pages in SCREENSHOTS.values() for name in pages.values()}
    assert images == taken
    for image in images:
        assert (ROOT / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
    assert set(SCREENSHOTS) == set(ROLES)  # one role at least per screenshot set: every role is shown


def test_the_sample_documents_are_pdfs_made_by_clo():
    samples = {link for link in LINKS if link.startswith("docs/samples/")}
    assert samples == {"docs/samples/learning-plan.pdf", "docs/samples/monthly-report.pdf"}
    for sample in samples:
        data = (ROOT / sample).read_bytes()
        assert data.startswith(b"%PDF-") and len(data) > 5_000, sample


def test_the_readme_says_what_each_role_does_and_nothing_is_left_on_the_roadmap():
    assert "roadmap" not in README.lower()
    for who in ("The CLO and the learning office", "HR", "Directors", "Employees", "Data protection"):
        assert f"**{who}**" in README
    for username in ROLES:
        assert f"`{username}`" in README


def test_the_quick_start_is_two_commands():
    quick_start = README.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.DOTALL).group(1)
    assert block.split("\n")[:-1] == ["make run", "make test"]
