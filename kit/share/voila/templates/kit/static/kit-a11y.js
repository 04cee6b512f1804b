/* What ipywidgets 8 leaves out for keyboard and screen-reader users, added on every kit page
 * (issue 23). Included in the <head> by the kit's Voila template, beside kit-page.js. It only adds
 * attributes and listeners to what the widgets draw; it never changes a widget's value itself.
 *
 * 1. Accordion headers (the Quickscan's phases, the "join a session" fold, the room's folds) are
 *    plain <div>s: each becomes a button (role, tab stop, Enter and Space open it) that says
 *    whether it is open (aria-expanded) and which panel it opens (aria-controls).
 * 2. Radio buttons: each RadioButtons widget is one radio group (shared name, so Tab stops once
 *    and the arrow keys move; role=radiogroup) named by its description, or, when it has none,
 *    by the statement drawn just before it (an element with class kit-statement or
 *    kit-group-label in the previous widget): "statement …, 2 · Grotendeels, 3 of 6".
 * 3. ToggleButtons (NL/EN, perspective, phase picker, the dashboard's choices): the buttons are a
 *    group named by the widget's description, and each says whether it is the chosen one
 *    (aria-pressed).
 * 4. One polite live region per app: widgets marked kit-announce (a verdict, the progress line) and
 *    the session bar's "saved" line are drawn anew on every update, which screen readers do not
 *    announce. When their text changes, the app's one region (made here, in the page from the
 *    start) gets the new text; role=status inside them is dropped so nothing is said twice, and
 *    an error (role=alert) is left to say itself.
 * 5. Focus that would drop to <body> because the focused control was redrawn (after joining a
 *    session, creating one, switching the language) or disabled (a led room's poll closed)
 *    moves to the new content's heading: the first element marked data-kit-focus, else the
 *    app's title.
 * 6. Focus that would drop because a control was drawn anew in its place stays with that
 *    control: the new one carries the same kit-same-… class (the trainer's wall of open answers
 *    is drawn anew when an answer comes in or is hidden; the projector's join link when someone
 *    joins). A button disabled under focus inside a kit-focus-group (the remote's Previous and
 *    Next at either end of the agenda) hands focus to the group's other button.
 * 7. A list marked kit-sync-on-leave (the remote's outline, chosen from and then sent with "Ga")
 *    tells the kernel its value once, when the keyboard leaves it, not on every arrow key: each
 *    arrow key is a change, ipywidgets holds the next one back until the kernel answered the
 *    last, but sends a click at once, so "Ga" pressed right after the arrows jumped to a step
 *    the trainer had passed on the way.
 */
(function () {
  "use strict";
  var made = 0;
  var SOURCES = ".kit-announce, .kit-session-status";
  var SAY = ".kit-say, .kit-saved";
  var SETTLE_MS = 250;

  function idOf(el, prefix) {
    if (!el.id) {
      made += 1;
      el.id = prefix + "-" + made;
    }
    return el.id;
  }

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }

  function squash(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  function visibleLabel(root) {
    var label = root.querySelector(":scope > .widget-label");
    return label && label.style.display !== "none" && squash(label.textContent) ? label : null;
  }

  /* ---------------------------------------------------------------- 1. accordion headers */
  /* Opening a section closes the one above it, and the new one fills in when the kernel has
   * built it: the header the keyboard user is on would slide out of sight. For a few seconds
   * after it was opened by key, it is kept in view. */
  var opened = null;
  var openedUntil = 0;
  var KEEP_IN_VIEW_MS = 4000;
  var keeper = null;

  function onHeaderKey(ev) {
    if (ev.key === "Enter" || ev.key === " " || ev.key === "Spacebar") {
      ev.preventDefault();
      opened = ev.currentTarget;
      openedUntil = Date.now() + KEEP_IN_VIEW_MS;
      ev.currentTarget.click();
      keepInView();
      // The section above closes by a class change and a relayout, which the page's observer
      // does not always see: look again every 50 ms while the header is kept in view.
      if (!keeper) {
        keeper = setInterval(function () {
          keepInView();
          if (!opened) {
            clearInterval(keeper);
            keeper = null;
          }
        }, 50);
      }
    }
  }

  function keepInView() {
    if (!opened || Date.now() > openedUntil || document.activeElement !== opened) {
      opened = null;
      return;
    }
    var r = opened.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) {
      opened.scrollIntoView({ block: "nearest" });
    }
  }

  function accordions() {
    var headers = document.querySelectorAll(".jupyter-widget-Collapse-header");
    for (var i = 0; i < headers.length; i++) {
      var h = headers[i];
      if (!h.hasAttribute("data-kit-a11y")) {
        h.setAttribute("data-kit-a11y", "");
        h.setAttribute("role", "button");
        h.tabIndex = 0;
        h.addEventListener("keydown", onHeaderKey);
        var icon = h.querySelector("i");
        if (icon) {
          icon.setAttribute("aria-hidden", "true");
        }
      }
      var section = h.parentElement;
      set(h, "aria-expanded", section.classList.contains("jupyter-widget-Collapse-open") ? "true" : "false");
      var panel = section.querySelector(":scope > .jupyter-widget-Collapse-contents");
      if (panel) {
        set(h, "aria-controls", idOf(panel, "kit-a11y-panel"));
      }
    }
  }

  /* ---------------------------------------------------------------- 2. radio groups */
  function groupLabel(root) {
    var label = visibleLabel(root);
    if (label) {
      return label;
    }
    var before = root.previousElementSibling;
    if (!before) {
      return null;
    }
    return before.matches(".kit-statement, .kit-group-label")
      ? before
      : before.querySelector(".kit-statement, .kit-group-label");
  }

  function radioGroups() {
    var boxes = document.querySelectorAll(".kit-app .widget-radio-box");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var name = idOf(box, "kit-a11y-radios");
      set(box, "role", "radiogroup");
      var radios = box.querySelectorAll("input[type=radio]");
      for (var j = 0; j < radios.length; j++) {
        if (!radios[j].name) {
          radios[j].name = name;
        }
      }
      var label = box.parentElement && groupLabel(box.parentElement);
      if (label) {
        set(box, "aria-labelledby", idOf(label, "kit-a11y-label"));
      }
    }
  }

  /* ---------------------------------------------------------------- 3. toggle buttons */
  function toggles() {
    var roots = document.querySelectorAll(".kit-app .widget-toggle-buttons");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      var buttons = root.querySelectorAll("button.widget-toggle-button");
      if (!buttons.length) {
        continue;
      }
      var group = buttons[0].parentElement;
      set(group, "role", "group");
      var label = visibleLabel(root);
      if (label) {
        set(group, "aria-labelledby", idOf(label, "kit-a11y-label"));
      }
      for (var j = 0; j < buttons.length; j++) {
        set(buttons[j], "aria-pressed", buttons[j].classList.contains("mod-active") ? "true" : "false");
        var icon = buttons[j].querySelector("i");
        if (icon) {
          icon.setAttribute("aria-hidden", "true");
        }
      }
    }
  }

  /* ---------------------------------------------------------------- 4. one live region per app */
  var regions = new WeakMap();
  var heard = new WeakMap();
  var changed = [];
  var announceTimer = null;

  function regionOf(app) {
    var region = regions.get(app);
    if (!region || !region.isConnected) {
      region = document.createElement("div");
      region.className = "kit-a11y-live";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.setAttribute("aria-atomic", "true");
      region.style.cssText =
        "position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap;";
      app.appendChild(region);
      regions.set(app, region);
    }
    return region;
  }

  function sayText(source) {
    if (source.querySelector("[role=alert]")) {
      return ""; /* an alert speaks for itself */
    }
    var parts = source.querySelectorAll(SAY);
    if (!parts.length) {
      return squash(source.textContent);
    }
    return Array.prototype.map
      .call(parts, function (p) {
        return squash(p.textContent);
      })
      .join(" ");
  }

  function announce() {
    announceTimer = null;
    var byApp = new Map();
    changed.forEach(function (source) {
      var app = source.closest(".kit-app");
      if (!app || !source.isConnected) {
        return;
      }
      var text = sayText(source);
      if (!text) {
        return;
      }
      if (!byApp.has(app)) {
        byApp.set(app, []);
      }
      if (byApp.get(app).indexOf(text) < 0) {
        byApp.get(app).push(text);
      }
    });
    changed = [];
    byApp.forEach(function (texts, app) {
      regionOf(app).textContent = texts.join(" ");
    });
  }

  function liveSources() {
    var apps = document.querySelectorAll(".kit-app");
    for (var a = 0; a < apps.length; a++) {
      regionOf(apps[a]);
    }
    var sources = document.querySelectorAll(".kit-app " + SOURCES.split(", ").join(", .kit-app "));
    for (var i = 0; i < sources.length; i++) {
      var source = sources[i];
      var inner = source.querySelectorAll("[role=status]");
      for (var j = 0; j < inner.length; j++) {
        inner[j].removeAttribute("role");
      }
      var text = sayText(source);
      if (!heard.has(source)) {
        heard.set(source, text); /* what it said when first seen is not news */
        continue;
      }
      if (heard.get(source) !== text) {
        heard.set(source, text);
        if (changed.indexOf(source) < 0) {
          changed.push(source);
        }
        if (announceTimer === null) {
          announceTimer = window.setTimeout(announce, SETTLE_MS);
        }
      }
    }
  }

  /* ---------------------------------------------------------------- 5. focus after a redraw */
  var lastFocused = null;
  /* Only for the keyboard (and screen readers, whose clicks come without a pointer): a mouse or
   * finger user who clicks a tab keeps the page where it is. */
  var byKeyboard = false;
  document.addEventListener(
    "focusin",
    function (ev) {
      lastFocused = ev.target;
    },
    true
  );
  document.addEventListener(
    "keydown",
    function () {
      byKeyboard = true;
    },
    true
  );
  document.addEventListener(
    "pointerdown",
    function (ev) {
      if (ev.isTrusted) {
        byKeyboard = false;
      }
    },
    true
  );

  /* The new content may be drawn a moment after the old was taken away: focus goes to the
   * app's title at once, and on to a marked heading that appears within WAIT_MARK_MS. */
  var WAIT_MARK_MS = 3000;
  var fallback = null;
  var fallbackUntil = 0;

  function moveFocus(target) {
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function keepFocus() {
    var active = document.activeElement;
    /* A button disabled under focus is still the active element until Chromium blurs it, a
     * moment later and without a change to the page that would bring us back: lost already. */
    if (active && active.disabled) {
      active = document.body;
    }
    var app = document.querySelector(".kit-app");
    if (!app || keepSame()) {
      return;
    }
    if (fallback && active === fallback && Date.now() < fallbackUntil) {
      var marked = app.querySelector("[data-kit-focus]");
      if (marked) {
        fallback = null;
        moveFocus(marked);
      }
      return;
    }
    fallback = null;
    if ((active && active !== document.body) || !byKeyboard) {
      return;
    }
    /* Lost by a redraw: the control that had focus is gone from the page, hidden, or disabled
     * (a led room's poll closed while the participant was on its Send button). */
    if (
      !lastFocused ||
      (lastFocused.isConnected && lastFocused.getClientRects().length && !lastFocused.disabled)
    ) {
      return;
    }
    var gone = lastFocused;
    lastFocused = null;
    var near = groupNeighbour(gone);
    if (near) {
      near.focus();
      return;
    }
    var same = sameOf(gone);
    if (same) {
      awaited = same;
      awaitedUntil = Date.now() + WAIT_MARK_MS;
      if (!awaitSame()) {
        /* Not drawn again (its answer went with the step): to the heading once the wait is
         * over, even when nothing else on the page changes by then. */
        window.setTimeout(schedule, WAIT_MARK_MS + RUN_MS);
      }
      return;
    }
    toHeading(app);
  }

  function toHeading(app) {
    var target = app.querySelector("[data-kit-focus]");
    if (target) {
      moveFocus(target);
      return;
    }
    target = app.querySelector(".kit-titlebar h1, .kit-titlebar h2, h1, h2");
    if (target) {
      moveFocus(target);
      fallback = target;
      fallbackUntil = Date.now() + WAIT_MARK_MS;
    }
  }

  /* ---------------------------------------------------------------- 6. the same control, drawn anew */
  var awaited = null;
  var awaitedUntil = 0;

  function usable(el) {
    return el.isConnected && el.getClientRects().length > 0 && !el.disabled;
  }

  function sameOf(el) {
    var classes = el.classList || [];
    for (var i = 0; i < classes.length; i++) {
      if (classes[i].indexOf("kit-same-") === 0) {
        return classes[i];
      }
    }
    return null;
  }

  /* Focus the control drawn in place of the one that had it; true when found. Until it shows
   * (the new row is drawn a moment after the old one went), focus waits on the page. */
  function awaitSame() {
    var found = document.querySelectorAll("." + awaited);
    for (var i = 0; i < found.length; i++) {
      if (usable(found[i])) {
        awaited = null;
        found[i].focus();
        return true;
      }
    }
    return false;
  }

  function groupNeighbour(el) {
    var group = el.isConnected && el.disabled && el.closest(".kit-focus-group");
    if (!group) {
      return null;
    }
    var buttons = group.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i] !== el && usable(buttons[i])) {
        return buttons[i];
      }
    }
    return null;
  }

  function keepSame() {
    if (!awaited) {
      return false;
    }
    var active = document.activeElement;
    if ((active && active !== document.body) || Date.now() > awaitedUntil) {
      var late = awaited && !(active && active !== document.body);
      awaited = null;
      if (late) {
        var app = document.querySelector(".kit-app");
        if (app) {
          toHeading(app);
        }
      }
      return true;
    }
    awaitSame();
    return true;
  }

  /* ---------------------------------------------------------------- 7. a list sent when left */
  var HELD = ".kit-app .kit-sync-on-leave select";
  var held = null;
  document.addEventListener(
    "change",
    function (ev) {
      var el = ev.target;
      if (byKeyboard && ev.isTrusted && el.matches && el.matches(HELD) && document.activeElement === el) {
        ev.stopImmediatePropagation();
        held = el;
      }
    },
    true
  );
  document.addEventListener(
    "focusout",
    function (ev) {
      if (held && ev.target === held) {
        var el = held;
        held = null;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
    },
    true
  );

  /* ---------------------------------------------------------------- run on every change */
  var busy = false;
  function apply() {
    if (busy) {
      return;
    }
    busy = true;
    try {
      accordions();
      keepInView();
      radioGroups();
      toggles();
      liveSources();
      keepFocus();
    } finally {
      busy = false;
    }
  }

  /* Widgets draw in many small steps: look at the page at most every RUN_MS, not after each
   * step (a page of 36 statements makes thousands of changes while it draws). */
  var RUN_MS = 60;
  var scheduled = false;
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.setTimeout(function () {
        scheduled = false;
        apply();
      }, RUN_MS);
    }
  }

  function start() {
    apply();
    new MutationObserver(schedule).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["class"]
    });
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();

/* ==================================================================== choose with Space
 * (issue 23, the self-check by keyboard) Where the first choice counts — the start page's
 * closing self-check — the native radio keys would give a wrong answer: an arrow key both moves
 * and chooses, so a keyboard user who goes to the third option has first "chosen" the second.
 * In a radio group inside .kit-choose-on-space the arrow keys move focus only (round the group,
 * as native) and Space chooses the focused option; the mouse works as before. */
(function () {
  "use strict";
  var STEP = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  document.addEventListener(
    "keydown",
    function (ev) {
      var el = ev.target;
      var step = STEP[ev.key];
      if (!step || ev.altKey || ev.ctrlKey || ev.metaKey || !el || el.type !== "radio") {
        return;
      }
      var group = el.closest(".kit-choose-on-space");
      if (!group) {
        return;
      }
      ev.preventDefault();
      var radios = Array.prototype.filter.call(
        group.querySelectorAll("input[type=radio]"),
        function (r) {
          return !r.disabled && r.name === el.name;
        }
      );
      var at = radios.indexOf(el);
      radios[(at + step + radios.length) % radios.length].focus();
    },
    true
  );
})();
