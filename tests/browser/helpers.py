"""Steps the flows share: what a commenter and a moderator do with their hands."""

import re

from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery staple"
COMMENT_RECEIVED = "Comment sent successfully! We will review it in the next few hours."


def fill_comment_form(page: Page, *, name: str, email: str, body: str) -> None:
    # By their labels, as a person finds them (crispy marks required ones with an asterisk).
    form = page.locator("#comment-form")
    form.get_by_label(re.compile(r"^\s*Name\s*\*?\s*$")).fill(name)
    form.get_by_label(re.compile(r"^\s*E-mail\s*\*?\s*$")).fill(email)
    form.get_by_label(re.compile(r"^\s*Comment\s*\*?\s*$")).fill(body)


def post_comment(page: Page, *, name: str, email: str, body: str) -> None:
    fill_comment_form(page, name=name, email=email, body=body)
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages .alert-success")).to_have_text(COMMENT_RECEIVED)


def log_in_to_admin(page: Page, username: str) -> None:
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def open_queue(page: Page, username: str) -> None:
    """Signed in, the pending queue open with its first card selected by the queue's script."""
    log_in_to_admin(page, username)
    page.goto("/admin/comments/comment/")
    expect(page.locator(".queue-row").first).to_have_class(re.compile(r"\bis-selected\b"))


def decide_in_queue(page: Page, *, excerpt: str, action: str, reason: str = "") -> None:
    """From the admin index: open the pending queue, tick the comment, run a bulk action."""
    page.goto("/admin/")
    page.get_by_role("link", name="Comments waiting").click()
    row = page.locator("#result_list tbody tr", has_text=excerpt)
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action)
    if reason:
        page.get_by_label("Reason (sent with rejections)").fill(reason)
    page.get_by_role("button", name="Go").click()


def unlabelled_fields(page) -> list[str]:
    """Every field a person can fill, in every form on the page, that has no label."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("input, textarea, select"))
            .filter((el) => el.type !== "hidden")
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                            && !el.getAttribute("aria-labelledby"))
            .map((el) => el.outerHTML)"""
    )


def release_when_asked(page: Page, held: list, what: str, *, not_before: float = 0) -> None:
    """Let through the requests a test held back (its page.route handler appends each route
    to held), once the page has sent one and its clock (performance.now(), in ms) has reached
    not_before: a slow connection, made to measure."""
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError(f"the page never asked for {what}")
    page.wait_for_function("(t) => performance.now() >= t", arg=not_before)
    for route in held:
        route.continue_()
