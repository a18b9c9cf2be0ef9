"""The cockpit on a phone (390×844 CSS pixels, as a current iPhone shows a page): every page fits
the screen's width, the navbar folds behind its toggler, and every control of every card, tile
and filter can be tapped where it is drawn, its label on one line."""
from __future__ import annotations

import pytest

from tests.browser.conftest import CONTEXT, log_in

PHONE = {"width": 390, "height": 844}
PAGES = ["/", "/services", "/operations", "/vitals", "/trends", "/kpis", "/quality", "/instructions", "/briefing",
         "/audit", "/operations?unit=310115&records=events", "/?lang=en", "/services?lang=en", "/vitals?lang=en"]

# Each visible control of the page's body: scrolled to, then is it what a tap at its centre
# reaches (nothing drawn over it), inside the screen's width, its label on one line?
CONTROLS = """() => {
  const width = document.documentElement.clientWidth, problems = [];
  const controls = document.querySelectorAll(
    '.page-body button, .page-body a.btn, .page-body .verify-open, .page-body .dash-dropdown, .page-body input:not(.dash-dropdown-focus-target)');
  for (const el of controls) {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});  // (Bootstrap scrolls smoothly)
    const r = el.getBoundingClientRect();
    const name = (el.id || el.className || el.tagName) + ' "' + (el.innerText || '').trim().slice(0, 20) + '"';
    if (r.left < -1 || r.right > width + 1) { problems.push(name + ' outside the screen'); continue; }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!(hit === el || el.contains(hit) || (hit && hit.contains(el)))) {
      problems.push(name + ' covered by ' + (hit ? hit.tagName + '.' + hit.className : 'nothing'));
    }
    if (el.matches('.btn, .verify-open')) {
      const range = document.createRange(); range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].map(q => Math.round(q.top))).size;
      if (lines > 1) problems.push(name + ' wraps onto ' + lines + ' lines');
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def phone(chromium, server):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, **CONTEXT)
    page = context.new_page()
    log_in(page, server, "leader")
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_phone_and_its_controls_can_be_tapped(phone, server, path):
    phone.goto(server + path)
    phone.wait_for_selector(".page-heading", timeout=60_000)
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    assert not phone.locator("#nav-collapse .nav-link").first.is_visible(), "the navbar is not folded"
    assert phone.locator(".cockpit-navbar").bounding_box()["height"] < 80
    problems = phone.evaluate(CONTROLS)
    assert problems == [], "\n".join(problems)


def test_the_folded_navbar_opens_and_leads_to_a_page(phone, server):
    phone.goto(server + "/")
    phone.wait_for_selector("#kpi-tiles")
    phone.click("#nav-toggle")
    link = phone.locator("#nav-collapse .nav-link", has_text="一网统管")
    link.wait_for(state="visible")
    assert phone.locator("#logout").is_visible()  # the way out is in the menu too
    link.click()
    phone.wait_for_url("**/operations**")
    phone.wait_for_selector("#card-ranking")
    assert not phone.locator("#nav-collapse .nav-link").first.is_visible()  # folded again on the new page
