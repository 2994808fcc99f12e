"""What a person does in the browser, and the axe-core check run on every page the browser tests visit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories as f

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOGIN_PATH = "/accounts/login/"


def axe_check(page) -> None:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page; fail with a readable list of violations."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        r"""async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary
                    .replace(/\s+/g, ' ') : '')),
            }));
        }""",
        WCAG_TAGS,
    )
    if violations:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"]) for v in violations
        ]
        lang = page.get_attribute("html", "lang")
        scheme = "dark" if page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches") else "light"
        pytest.fail(
            f"axe found {len(violations)} WCAG violation(s) on {page.url} [lang={lang}, {scheme} scheme]:\n"
            + "\n".join(lines)
        )


def switch_language(page, code: str) -> None:
    """Use the header's language switcher (a POST form) and wait for the page it sends back to."""
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.click(".language-switcher button[type=submit]")


def log_in(page, username: str) -> None:
    page.goto(LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def log_out(page) -> None:
    with page.expect_navigation():
        page.click("form[action='/accounts/logout/'] button[type=submit]")


def figure(page, section: str, label: str) -> str:
    """The value next to a label (figure card or profile entry) in a home page section."""
    card = page.locator(f"#section-{section} dl > div").filter(has=page.locator("dt", has_text=label))
    return card.locator("dd").inner_text().strip()


def go_to(page, label: str) -> None:
    """Follow a link of the main navigation as a person does: open its group (a disclosure menu), then choose it."""
    import re

    link = page.locator(".site-nav a").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first
    group = link.locator("xpath=ancestor::details[1]")
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
    link.click()
