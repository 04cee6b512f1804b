"""Layout checks for narrow (phone) screens, run in the browser on the page as it is shown.

``document.documentElement.scrollWidth`` says nothing useful here: widget boxes clip what does not
fit, so text is cut off without the page getting wider. :func:`layout_problems` therefore looks at
every visible element's own box instead and returns what a participant on a phone would run into.
"""

from __future__ import annotations

from playwright.sync_api import Page

#: Smallest comfortable tap target on a phone (WCAG 2.5.5 / Apple and Android guidelines).
MIN_TAP = 44

#: Elements inside a container with this class may scroll sideways on purpose.
SCROLL_X = "kit-scroll-x"

_JS = r"""
([minTap, scrollX]) => {
  const vw = document.documentElement.clientWidth;
  const roots = Array.from(document.querySelectorAll('.kit-app, .kit-landing'));
  const problems = [];
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d');

  // Visually hidden on purpose (screen-reader only): a 1 px box that clips what is in it.
  const srOnly = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.clipPath !== 'none' && s.clipPath !== '') return true;
      const r = a.getBoundingClientRect();
      if (s.overflow !== 'visible' && (r.width <= 1 || r.height <= 1)) return true;
    }
    return false;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || s.opacity === '0') return false;
    return !srOnly(el);
  };
  const describe = (el) => {
    const cls = (typeof el.className === 'string' ? el.className : '')
      .split(/\s+/).filter((c) => c && !c.startsWith('lm-mod') && !c.startsWith('p-'))
      .slice(0, 3).join('.');
    let text = (el.innerText || el.value || el.getAttribute('alt') || '').trim();
    if (el.tagName === 'SELECT') text = el.selectedOptions[0] ? el.selectedOptions[0].text : '';
    text = text.replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}> "${text}"`;
  };
  const inScrollX = (el) => !!el.closest('.' + scrollX);
  const ownText = (el) => Array.from(el.childNodes).some(
    (n) => n.nodeType === 3 && n.textContent.trim() !== '');
  const isTapTarget = (el) => {
    if (el.matches('button, select, .lm-TabBar-tab, .jupyter-widget-Collapse-header, a.kit-open'))
      return true;
    if (el.matches('input[type=text], input[type=number], textarea')) return true;
    // A label around (or for) a radio or checkbox is what a finger hits.
    if (el.tagName === 'LABEL' &&
        (el.querySelector('input[type=radio], input[type=checkbox]') ||
         (el.htmlFor && document.getElementById(el.htmlFor) &&
          /radio|checkbox/.test(document.getElementById(el.htmlFor).type)))) return true;
    return false;
  };
  const seen = new Set();
  const add = (msg) => { if (!seen.has(msg)) { seen.add(msg); problems.push(msg); } };

  for (const root of roots) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (!visible(el)) continue;
      if (['STYLE', 'SCRIPT', 'BR'].includes(el.tagName)) continue;
      const r = el.getBoundingClientRect();
      const scrolls = inScrollX(el) && !el.classList.contains(scrollX);
      if (!scrolls) {
        if (r.right > vw + 1) add(`past right edge (${Math.round(r.right)} > ${vw}): ${describe(el)}`);
        if (r.left < -1) add(`past left edge (${Math.round(r.left)}): ${describe(el)}`);
      }
      if (el.tagName === 'SELECT' && el.selectedOptions[0]) {
        const s = getComputedStyle(el);
        g.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        const need = g.measureText(el.selectedOptions[0].text).width;
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 16;
        // Wider than the select: only acceptable when the select already takes the full width.
        const parent = el.parentElement.getBoundingClientRect();
        const full = r.width >= Math.min(parent.width, vw) - 2;
        if (need > room + 1 && !full)
          add(`select value cut off (${Math.round(need)} > ${Math.round(room)} px): ${describe(el)}`);
      }
      if (isTapTarget(el) && r.height < minTap - 0.5)
        add(`tap target ${Math.round(r.height)} px tall (< ${minTap}): ${describe(el)}`);
      const s = getComputedStyle(el);
      if (s.overflowX !== 'visible' && !el.classList.contains(scrollX) &&
          el.tagName !== 'SELECT' && el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA' &&
          el.scrollWidth > el.clientWidth + 1 && (el.innerText || '').trim() !== '' &&
          (ownText(el) || s.overflowX !== 'hidden' || el.children.length === 0 ||
           el.matches('.widget-label, .widget-button, .lm-TabBar-tabLabel, label, button')))
        add(`text clipped inside its box (${el.scrollWidth} > ${el.clientWidth}): ${describe(el)}`);
    }
  }
  return problems;
}
"""


def layout_problems(page: Page, width: int | None = None) -> list[str]:
    """What is wrong with the current page on a narrow screen, one readable line per problem.

    Looks at every visible element inside ``.kit-app`` / ``.kit-landing``: boxes past the left or
    right edge, selects too narrow for their value, tap targets under 44 px, text clipped inside a
    box. Pass ``width`` to set the viewport width first (the height is kept).
    """
    if width is not None:
        size = page.viewport_size or {"width": width, "height": 844}
        page.set_viewport_size({"width": width, "height": size["height"]})
        # lumino lays its panels out in JavaScript on the window's resize event, which the
        # browser may deliver a frame later than the resize: two frames, then a short pause.
        page.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        page.wait_for_timeout(200)
    return list(page.evaluate(_JS, [MIN_TAP, SCROLL_X]))


def offscreen_tabs(page: Page) -> list[str]:
    """Titles of tabs the user cannot reach (past the screen edge or squashed to nothing); tabs
    inside a hidden panel (another tab of an outer tab bar) are not on screen and not counted."""
    return list(
        page.evaluate(
            """() => {
              const vw = document.documentElement.clientWidth;
              return Array.from(document.querySelectorAll('.kit-app .lm-TabBar-tab'))
                .filter((t) => !t.closest('.lm-mod-hidden'))
                .filter((t) => { const r = t.getBoundingClientRect();
                                 return r.width < 1 || r.right > vw + 1 || r.left < -1; })
                .map((t) => t.innerText.trim());
            }"""
        )
    )
