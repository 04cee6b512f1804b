/* The kit's page script, included in the <head> of every page the kit's Voila template serves.
 *
 * 1. No endless spinner: a page still rendering after RENDER_DEADLINE_MS, or rendered without
 *    the app after APP_DEADLINE_MS, says so in words and offers a reload.
 * 2. A page that loses its kernel while the server still answers (kernel killed or culled) says
 *    so in words and offers a reload; ipywidgets marks every view of a dead comm
 *    "jupyter-widgets-disconnected".
 * 3. Session identity across reloads: when the kernel puts <span class="kit-identity"
 *    data-session data-token data-lang> on the page (after joining, and on every language
 *    switch), the page remembers the participant's token for that session (localStorage) and
 *    writes session, token and language into its own URL, so a reload comes back as the same
 *    participant. A page opened with ?session=CODE but without the token (the QR code scanned
 *    again on the same phone) hands the remembered token to the kernel through the hidden text
 *    field ".kit-identity-in".
 *
 *    A page opened with ?forget=1 (the "Not you?" link) first forgets the participant remembered
 *    for that session on this device (and the answers kept for this page, see 6).
 *
 * 4. Messages for where the learner is looking: a ".kit-toast" the app puts on the page (session
 *    closed, answers not saved) is shown at the bottom of the screen. The widget area is a
 *    "contain: strict" panel, so the app cannot place it there itself.
 *
 * 5. A heartbeat for pages that refresh themselves (the trainer's dashboard): while the tab is
 *    visible, the hidden field ".kit-heartbeat" gets the time every BEAT_MS. A closed or hidden
 *    tab stops beating, the dashboard stops refreshing, and its kernel can be culled.
 *
 * 6. A lost server (killed, restarted, the room's network gone): the page asks the server for a
 *    small file of its own origin every PING_MS, each time with a deadline of PING_TIMEOUT_MS,
 *    and at once when the kernel's websocket closes. When the server does not answer, a banner
 *    says so (role=alert), the bar stops claiming "saved", and what the participant answers is
 *    kept on the device (sessionStorage, this tab only): every answer since the page last knew
 *    everything was saved, and every answer after. When the server answers again, the old kernel
 *    is gone: the page reloads (the identity in its URL brings the participant back), puts the
 *    kept answers back into the same controls (found by their kit-… classes, or type and label),
 *    waits for the session bar to report them saved, and says "n answers restored and saved" —
 *    or exactly what to answer again. When the server answers again and the kernel's websocket
 *    never closed, the server was only slow (a room's thirty kernels building at once on a
 *    loaded laptop): the banner says the connection is back, and the page carries on without a
 *    reload (what was answered went through the open websocket).
 *
 * 7. The page as assistive technology meets it (WCAG 2.2 AA): <html lang> is the page's language
 *    from the first byte (?lang=) and follows the app's language switch (data-lang on the
 *    identity span), and so does the page title (data-title); a language button's label says
 *    which language it is in ("EN" on a Dutch page is English); the rendered app is the page's
 *    one main landmark; a region that scrolls but holds nothing focusable (a long case text)
 *    gets a tab stop, so it can be scrolled by keyboard.
 *
 * The texts are written out here, not in ui.yaml: they must show when the kernel never answered.
 */
(function () {
  "use strict";
  var RENDER_DEADLINE_MS = 90000;
  var APP_DEADLINE_MS = 30000;
  var STORE_PREFIX = "implementatiekit:";
  var KEPT_PREFIX = "implementatiekit-kept:";
  var BEAT_MS = 5000;
  /* Lost server: a ping every PING_MS, each with a deadline; lost after PING_MISSES misses in a
   * row, or after one once the kernel's websocket closed. Worst case about 8 s, usually < 1 s. */
  var PING_MS = 2000;
  var PING_TIMEOUT_MS = 2000;
  var PING_MISSES = 2;
  var PING_PATH = "voila/templates/kit/static/kit-page.js";
  /* A kernel websocket that stays closed this long while the server answers: the kernel is gone
   * (the server was restarted faster than the page noticed). */
  var SOCKET_GRACE_MS = 10000;
  /* Answers from this long before the last ping the server answered are kept even when the bar
   * said "saved": they may not have reached the kernel yet. */
  var KEEP_BEFORE_MS = 30000;
  var RESTORE_WAIT_MS = 60000;
  var STEP_WAIT_MS = 15000;
  var SAVED_WAIT_MS = 30000;
  var TEXT = {
    nl: {
      slow: "Deze pagina is na anderhalve minuut nog niet klaar. De server is misschien erg druk. Laad de pagina opnieuw; wat je al had opgeslagen, komt terug.",
      blank: "Deze pagina is niet volledig geladen. Laad de pagina opnieuw; wat je al had opgeslagen, komt terug.",
      lost: "De verbinding met de server is verbroken, dus deze pagina reageert niet meer. Laad de pagina opnieuw: je opgeslagen antwoorden komen terug.",
      reload: "Pagina opnieuw laden",
      offline: "Geen verbinding met de server: je antwoorden worden nu niet opgeslagen. Ga gerust verder. Wat je invult, blijft op dit toestel bewaard. Sluit deze pagina niet: zodra de server terug is, laadt ze vanzelf opnieuw en zet ze je antwoorden terug.",
      kept: ["{n} antwoord wacht op dit toestel.", "{n} antwoorden wachten op dit toestel."],
      back: "De server is terug. De pagina wordt opnieuw geladen …",
      again: "De verbinding is er weer. Wat je intussen invulde, is doorgestuurd.",
      restoring: "Je bewaarde antwoorden worden teruggezet …",
      saved: ["{n} antwoord teruggezet en opgeslagen.", "{n} antwoorden teruggezet en opgeslagen."],
      put: ["{n} antwoord teruggezet.", "{n} antwoorden teruggezet."],
      unsaved: ["{n} antwoord teruggezet, maar nog niet opgeslagen: de balk bovenaan zegt wat er gebeurt.", "{n} antwoorden teruggezet, maar nog niet opgeslagen: de balk bovenaan zegt wat er gebeurt."],
      none: "De verbinding is terug. Je antwoorden waren al opgeslagen.",
      redo: "Dit kon niet worden teruggezet. Vul het opnieuw in:",
      yes: "aangevinkt",
      no: "niet aangevinkt",
      ok: "OK"
    },
    en: {
      slow: "This page is still not ready after a minute and a half. The server may be very busy. Reload the page; whatever you had saved comes back.",
      blank: "This page did not load completely. Reload the page; whatever you had saved comes back.",
      lost: "The connection to the server was lost, so this page no longer responds. Reload the page: your saved answers come back.",
      reload: "Reload the page",
      offline: "No connection to the server: your answers are not being saved now. Do carry on. What you answer is kept on this device. Don't close this page: as soon as the server is back, it reloads by itself and puts your answers back.",
      kept: ["{n} answer is waiting on this device.", "{n} answers are waiting on this device."],
      back: "The server is back. Reloading the page …",
      again: "The connection is back. What you answered meanwhile has been sent.",
      restoring: "Putting your kept answers back …",
      saved: ["{n} answer restored and saved.", "{n} answers restored and saved."],
      put: ["{n} answer restored.", "{n} answers restored."],
      unsaved: ["{n} answer restored, but not saved yet: the bar at the top says what is happening.", "{n} answers restored, but not saved yet: the bar at the top says what is happening."],
      none: "The connection is back. Your answers had already been saved.",
      redo: "This could not be put back. Please answer it again:",
      yes: "ticked",
      no: "not ticked",
      ok: "OK"
    }
  };
  var params = new URLSearchParams(window.location.search);

  function lang() {
    return (params.get("lang") || "nl").toLowerCase() === "en" ? "en" : "nl";
  }

  /* The page's language from the first byte: Voila's template says lang="en" on every page, and
     Voila's own script sets it to JupyterLab's locale ("en") again once it loaded; the watch
     puts the page's language back. */
  var pageLang = lang();
  function keepLang() {
    if (document.documentElement.getAttribute("lang") !== pageLang) {
      document.documentElement.setAttribute("lang", pageLang);
    }
  }
  keepLang();
  if (window.MutationObserver) {
    new MutationObserver(keepLang).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  }

  function say(key, n) {
    var text = TEXT[lang()][key];
    if (typeof n === "number") {
      text = text[n === 1 ? 0 : 1].replace("{n}", String(n));
    }
    return text;
  }

  function style() {
    var css = document.createElement("style");
    css.textContent = [
      "body.kit-offline .kit-saved { display: none !important; }",
      ".kit-page-offline .kit-page-kept { font-weight: bold; margin: 0; }",
      ".kit-page-alert.kit-page-restored { background: #E3F2E8; border-bottom-color: #00734F; }",
      ".kit-page-alert ul { margin: 4px 0 8px 0; padding-left: 22px; }",
      "@media (max-width: 480px) { .kit-page-alert { font-size: 15px; padding: 10px 12px; } }"
    ].join("\n");
    document.head.appendChild(css);
  }
  style();

  function banner(kind, role, lines, button, items) {
    var old = document.querySelector(".kit-page-alert");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var box = document.createElement("div");
    box.className = "kit-page-alert kit-page-" + kind;
    box.setAttribute("role", role);
    box.setAttribute("lang", lang());
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    if (items && items.length) {
      var list = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item;
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    if (button) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = button.className;
      b.textContent = button.text;
      b.addEventListener("click", button.onClick);
      box.appendChild(b);
    }
    document.body.appendChild(box);
    /* The banner covers the top of the page: make room, so nothing is hidden under it. */
    document.body.style.paddingTop = box.offsetHeight + "px";
    return box;
  }

  function closeBanner() {
    var old = document.querySelector(".kit-page-alert");
    if (old) {
      old.parentNode.removeChild(old);
    }
    document.body.style.paddingTop = "";
  }

  function showAlert(kind) {
    if (document.querySelector(".kit-page-alert")) {
      return;
    }
    var box = banner(kind, "alert", [TEXT[lang()][kind]], {
      className: "kit-page-reload",
      text: TEXT[lang()].reload,
      onClick: function () {
        window.location.reload();
      }
    });
    var spinner = document.getElementById("loading");
    if (spinner) {
      spinner.style.display = "none";
    }
    box.querySelector("button").focus();
  }

  function remember(session, token) {
    try {
      window.localStorage.setItem(STORE_PREFIX + session, token);
    } catch (e) {
      /* private mode: the URL still carries the token */
    }
  }

  function remembered(session) {
    try {
      return window.localStorage.getItem(STORE_PREFIX + session);
    } catch (e) {
      return null;
    }
  }

  var seenIdentity = "";
  function syncIdentity() {
    var el = document.querySelector(".kit-identity[data-session]");
    if (!el) {
      return;
    }
    var session = el.getAttribute("data-session") || "";
    var token = el.getAttribute("data-token") || "";
    var language = el.getAttribute("data-lang") || "";
    var title = el.getAttribute("data-title") || "";
    if (language === "nl" || language === "en") {
      pageLang = language;
      keepLang();
    }
    if (title && document.title !== title) {
      document.title = title;
    }
    var key = [session, token, language].join("|");
    if (key === seenIdentity) {
      return;
    }
    seenIdentity = key;
    if (session && token) {
      remember(session, token);
      params.set("session", session);
      params.set("p", token);
    }
    if (language) {
      params.set("lang", language);
    }
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  }

  /* ------------------------------------------------------------ answers kept on the device */

  var keptKey = KEPT_PREFIX + window.location.pathname;

  function owner() {
    return (params.get("session") || "").toUpperCase() + "|" + (params.get("p") || "");
  }

  function loadKept() {
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(keptKey) || "null");
      if (kept && Array.isArray(kept.entries)) {
        return kept;
      }
    } catch (e) {
      /* unreadable: start afresh */
    }
    return { owner: owner(), entries: [], reapply: false };
  }

  function storeKept() {
    try {
      window.sessionStorage.setItem(keptKey, JSON.stringify(kept));
    } catch (e) {
      /* storage full or disabled: the answers stay on the page only */
    }
  }

  /* "Not you?" on a shared device (the joined bar's link carries ?forget=1): forget the
   * participant remembered here for this session before anything is handed to the kernel, so
   * the page opens the join form; then drop the parameter, so a reload does not forget again. */
  (function forgetIfAsked() {
    if (!params.get("forget")) {
      return;
    }
    var session = (params.get("session") || "").toUpperCase().replace(/[\s-]/g, "");
    try {
      window.localStorage.removeItem(STORE_PREFIX + session);
      window.sessionStorage.removeItem(keptKey);
    } catch (e) {
      /* private mode: nothing was remembered */
    }
    params.delete("forget");
    params.delete("p");
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  })();

  /* Kept answers survive only a reload the page made (or asked for) after losing its server,
   * and only for the same participant: any other page start begins with none. */
  var kept = loadKept();
  var toRestore = kept.reapply && kept.owner === owner() && kept.entries.length ? kept.entries.slice() : null;
  if (!toRestore) {
    kept = { owner: owner(), entries: [], reapply: false };
  }
  kept.reapply = false;
  storeKept();

  function squash(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  function kitClasses(el) {
    return Array.prototype.filter.call(el.classList, function (c) {
      return c.indexOf("kit-") === 0;
    });
  }

  function widgetRoot(el) {
    var n = el.parentElement;
    while (n && !n.classList.contains("lm-Widget")) {
      n = n.parentElement;
    }
    return n;
  }

  function labelOf(root) {
    var label = root.querySelector(":scope > .widget-label");
    var text = label && label.style.display !== "none" ? squash(label.textContent) : "";
    if (text) {
      return text;
    }
    var before = root.previousElementSibling;
    return before ? squash(before.textContent).slice(0, 140) : "";
  }

  /* Where a widget is: its kit-… classes (else its widget-… type), its label, and which of the
   * widgets with both it is. */
  function locate(root) {
    var classes = kitClasses(root);
    if (!classes.length) {
      classes = Array.prototype.filter.call(root.classList, function (c) {
        return /^widget-/.test(c) && c !== "widget-inline-hbox";
      });
    }
    var sel = classes
      .map(function (c) {
        return "." + CSS.escape(c);
      })
      .join("");
    var name = labelOf(root);
    var same = matches(sel, name);
    return { sel: sel, name: name, nth: Math.max(0, same.indexOf(root)) };
  }

  function matches(sel, name) {
    if (!sel) {
      return [];
    }
    return Array.prototype.filter.call(document.querySelectorAll(sel), function (el) {
      return labelOf(el) === name;
    });
  }

  function find(where) {
    var found = matches(where.sel, where.name);
    return found.length === 1 ? found[0] : found[where.nth] || null;
  }

  /* The tabs and accordion sections to open, outermost first, to reach a widget. */
  function pathOf(root) {
    var steps = [];
    var n = root;
    while (n && n !== document.body) {
      var parent = n.parentElement;
      if (parent && parent.classList.contains("widget-tab-contents")) {
        var tabs = parent.closest(".widget-tab");
        var index = Array.prototype.indexOf.call(parent.children, n);
        var tab = tabs.querySelectorAll(":scope > .lm-TabBar .lm-TabBar-tab")[index];
        steps.unshift({ kind: "tab", where: locate(tabs), index: index, title: tab ? squash(tab.textContent) : "" });
      }
      if (parent && n.classList.contains("jupyter-widget-Collapse") && parent.classList.contains("widget-accordion")) {
        var sections = parent.querySelectorAll(":scope > .jupyter-widget-Collapse");
        var header = n.querySelector(":scope > .jupyter-widget-Collapse-header");
        steps.unshift({
          kind: "acc",
          where: locate(parent),
          index: Array.prototype.indexOf.call(sections, n),
          title: header ? squash(header.textContent).replace(/\s*\(\d+\/\d+\)$/, "") : ""
        });
      }
      n = parent;
    }
    return steps;
  }

  function optionText(input) {
    var label = input.closest("label");
    return label ? squash(label.textContent) : "";
  }

  function describe(el) {
    var root = widgetRoot(el);
    if (!root) {
      return null;
    }
    var type = (el.type || "").toLowerCase();
    var kind = el.tagName === "SELECT" ? "select" : type === "radio" || type === "checkbox" ? type : "text";
    var value = kind === "radio" ? optionText(el) : kind === "checkbox" ? el.checked : el.value;
    var shown = kind === "checkbox" ? say(el.checked ? "yes" : "no") : kind === "select" ? squash(el.selectedOptions[0] ? el.selectedOptions[0].textContent : "") : String(value);
    var where = locate(root);
    var path = pathOf(root);
    return {
      key: where.sel + "|" + where.name + "|" + where.nth,
      kind: kind,
      where: where,
      path: path,
      value: value,
      shown: shown,
      place: path.map(function (s) {
        return s.title;
      }).filter(Boolean).join(" › "),
      t: Date.now()
    };
  }

  function keep(ev) {
    var el = ev.target;
    if (!el || !el.matches || !el.matches("input, select, textarea")) {
      return;
    }
    if (!el.closest(".kit-app") || el.closest(".kit-session-bar, .kit-identity-in, .kit-heartbeat, .widget-upload")) {
      return;
    }
    var type = (el.type || "").toLowerCase();
    if (type === "file" || type === "password" || type === "hidden") {
      return;
    }
    if (ev.type === "input" && (type === "radio" || type === "checkbox" || el.tagName === "SELECT")) {
      return;
    }
    var entry = describe(el);
    if (!entry) {
      return;
    }
    kept.owner = owner();
    kept.entries = kept.entries.filter(function (e) {
      return e.key !== entry.key;
    });
    kept.entries.push(entry);
    storeKept();
  }
  document.addEventListener("change", keep, true);
  document.addEventListener("input", keep, true);

  /* While the server answers and the bar says everything is saved, answers older than
   * KEEP_BEFORE_MS before the last answered ping are safe in the store: forget them. A page
   * without a session bar (self-study) keeps everything: the kernel is all it has. */
  function prune() {
    if (offline || !kept.entries.length || lastPingOk === 0) {
      return;
    }
    var bar = document.querySelector(".kit-session-status");
    if (!bar || !bar.querySelector(".kit-saved")) {
      return;
    }
    var before = kept.entries.length;
    kept.entries = kept.entries.filter(function (e) {
      return e.t >= lastPingOk - KEEP_BEFORE_MS;
    });
    if (kept.entries.length !== before) {
      storeKept();
    }
  }

  /* ------------------------------------------------------------ putting kept answers back */

  function waitFor(test, ms) {
    var until = Date.now() + ms;
    return new Promise(function (resolve) {
      (function look() {
        var found = test();
        if (found || Date.now() > until) {
          resolve(found || null);
          return;
        }
        window.setTimeout(look, 100);
      })();
    });
  }

  function press(el) {
    var r = el.getBoundingClientRect();
    var at = { bubbles: true, cancelable: true, button: 0, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, pointerId: 1, isPrimary: true };
    el.dispatchEvent(new PointerEvent("pointerdown", at));
    el.dispatchEvent(new MouseEvent("mousedown", at));
    el.dispatchEvent(new PointerEvent("pointerup", at));
    el.dispatchEvent(new MouseEvent("mouseup", at));
  }

  function open(step) {
    return waitFor(function () {
      var holder = find(step.where);
      if (!holder) {
        return null;
      }
      if (step.kind === "tab") {
        var tab = holder.querySelectorAll(":scope > .lm-TabBar .lm-TabBar-tab")[step.index];
        if (!tab) {
          return null;
        }
        if (tab.classList.contains("lm-mod-current")) {
          return tab;
        }
        press(tab);
        return null;
      }
      var section = holder.querySelectorAll(":scope > .jupyter-widget-Collapse")[step.index];
      if (!section) {
        return null;
      }
      if (section.classList.contains("jupyter-widget-Collapse-open")) {
        return section;
      }
      section.querySelector(":scope > .jupyter-widget-Collapse-header").click();
      return null;
    }, STEP_WAIT_MS);
  }

  /* Put one answer back: "changed", "same" (the store had it already) or "failed". */
  function apply(entry, root) {
    if (entry.kind === "radio") {
      var input = Array.prototype.filter.call(root.querySelectorAll("input[type=radio]"), function (i) {
        return optionText(i) === entry.value;
      })[0];
      if (!input) {
        return "failed";
      }
      if (input.checked) {
        return "same";
      }
      input.click();
      return "changed";
    }
    var control = root.querySelector(entry.kind === "select" ? "select" : entry.kind === "checkbox" ? "input[type=checkbox]" : "textarea, input");
    if (!control) {
      return "failed";
    }
    if (entry.kind === "checkbox") {
      if (control.checked === entry.value) {
        return "same";
      }
      control.click();
      return "changed";
    }
    if (entry.kind === "select" && !Array.prototype.some.call(control.options, function (o) {
      return o.value === entry.value;
    })) {
      return "failed";
    }
    if (control.value === entry.value) {
      return "same";
    }
    control.value = entry.value;
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
    return "changed";
  }

  function saves() {
    var line = document.querySelector(".kit-session-status [data-saves]");
    return line ? Number(line.getAttribute("data-saves")) : -1;
  }

  /* After the last answer was put back: wait until the bar has reported since, says "saved",
   * and has said nothing else for a second and a half. */
  function settled(before, changed) {
    var last = saves();
    var since = Date.now();
    return waitFor(function () {
      var now = saves();
      if (now !== last) {
        last = now;
        since = Date.now();
        return null;
      }
      var saved = !!document.querySelector(".kit-session-status .kit-saved");
      return saved && (changed === 0 || now > before) && Date.now() - since >= 1500 ? "saved" : null;
    }, SAVED_WAIT_MS);
  }

  function restore(entries) {
    var joined = owner().split("|")[1] !== "";
    banner("restoring", "status", [say("restoring")]);
    var changed = 0;
    var failed = [];
    var before = -1;
    var ready = waitFor(function () {
      return document.querySelector(joined ? ".kit-session-status [data-saves]" : ".kit-app, .kit-landing");
    }, RESTORE_WAIT_MS);
    var chain = ready.then(function (found) {
      if (!found) {
        failed = entries.slice();
        entries = [];
      }
      before = saves();
    });
    entries.forEach(function (entry) {
      chain = chain.then(function () {
        return entry.path.reduce(function (p, step) {
          return p.then(function (ok) {
            return ok ? open(step) : null;
          });
        }, Promise.resolve(true)).then(function (ok) {
          return ok ? waitFor(function () {
            return find(entry.where);
          }, STEP_WAIT_MS) : null;
        }).then(function (root) {
          var outcome = root ? apply(entry, root) : "failed";
          if (outcome === "changed") {
            changed += 1;
          } else if (outcome === "failed") {
            failed.push(entry);
          }
        });
      });
    });
    return chain.then(function () {
      return joined && changed > 0 ? settled(before, changed) : "saved";
    }).then(function (outcome) {
      var lines = [];
      if (changed === 0 && !failed.length) {
        lines.push(say("none"));
      } else if (changed > 0) {
        lines.push(say(!joined ? "put" : outcome === "saved" ? "saved" : "unsaved", changed));
      }
      var redo = failed.map(function (e) {
        return (e.place ? e.place + " › " : "") + (e.where.name || e.where.sel) + ": " + e.shown;
      });
      if (redo.length) {
        lines.push(say("redo"));
      }
      var box = banner(redo.length || outcome !== "saved" ? "redo" : "restored", redo.length ? "alert" : "status", lines, {
        className: "kit-page-ok",
        text: say("ok"),
        onClick: closeBanner
      }, redo);
      if (outcome === "saved" && !redo.length) {
        box.classList.add("kit-page-restored");
      }
      kept.entries = [];
      storeKept();
    });
  }

  /* ------------------------------------------------------------ noticing a lost server */

  var offline = false;
  var dead = false; /* the kernel is gone and the server said so: the reload button's job */
  var unloading = false;
  var socketDownSince = null;
  var kernelSocket = null; /* the kernel's websocket, watched below */
  var lastPingAt = 0;
  var lastPingOk = 0;
  var pinging = false;
  var misses = 0;
  window.addEventListener("pagehide", function () {
    unloading = true;
  });
  window.addEventListener("beforeunload", function () {
    unloading = true;
  });

  /* Watch the kernel's websocket (the page's own script opens it after this one ran). */
  var NativeSocket = window.WebSocket;
  if (NativeSocket) {
    var Watched = function (url, protocols) {
      var socket = protocols === undefined ? new NativeSocket(url) : new NativeSocket(url, protocols);
      if (/\/api\/kernels\/[^/]+\/channels/.test(String(url))) {
        kernelSocket = socket;
        socket.addEventListener("open", function () {
          socketDownSince = null;
        });
        socket.addEventListener("close", function () {
          if (unloading) {
            return;
          }
          if (socketDownSince === null) {
            socketDownSince = Date.now();
          }
          ping(true);
        });
      }
      return socket;
    };
    Watched.prototype = NativeSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) {
      Watched[k] = NativeSocket[k];
    });
    window.WebSocket = Watched;
  }

  function pingUrl() {
    var base = "/";
    var config = document.getElementById("jupyter-config-data");
    if (config) {
      try {
        base = JSON.parse(config.textContent).baseUrl || "/";
      } catch (e) {
        /* keep "/" */
      }
    }
    return base.replace(/\/?$/, "/") + PING_PATH + "?alive=" + Date.now();
  }

  function ping(urgent) {
    if (pinging || unloading) {
      return;
    }
    pinging = true;
    lastPingAt = Date.now();
    var control = window.AbortController ? new AbortController() : null;
    var done = false;
    var deadline = window.setTimeout(function () {
      if (control) {
        control.abort();
      }
      finish(false);
    }, PING_TIMEOUT_MS);
    function finish(ok) {
      if (done) {
        return;
      }
      done = true;
      pinging = false;
      window.clearTimeout(deadline);
      if (ok) {
        answered();
      } else {
        missed(urgent);
      }
    }
    window.fetch(pingUrl(), { method: "HEAD", cache: "no-store", credentials: "same-origin", signal: control ? control.signal : undefined }).then(
      function () {
        finish(true); /* any answer, even an error page, means the server is there */
      },
      function () {
        finish(false);
      }
    );
  }

  function missed(urgent) {
    if (dead) {
      return;
    }
    misses += 1;
    if (urgent || misses >= PING_MISSES || socketDownSince !== null) {
      goOffline();
    }
  }

  function answered() {
    if (dead) {
      return;
    }
    misses = 0;
    lastPingOk = Date.now();
    if (offline) {
      serverBack();
    } else if (socketDownSince !== null && Date.now() - socketDownSince > SOCKET_GRACE_MS) {
      goOffline(); /* the server answers, our kernel does not: it was restarted meanwhile */
      serverBack();
    }
  }

  function showKept() {
    var line = document.querySelector(".kit-page-offline .kit-page-kept");
    var text = say("kept", kept.entries.length);
    if (line && line.textContent !== text) {
      line.textContent = text;
    }
  }

  function goOffline() {
    if (offline) {
      return;
    }
    offline = true;
    kept.reapply = true;
    storeKept();
    document.body.classList.add("kit-offline");
    document.body.classList.remove("kit-lost");
    var box = banner("offline", "alert", [say("offline")]);
    var line = document.createElement("p");
    line.className = "kit-page-kept";
    box.appendChild(line);
    showKept();
    document.body.style.paddingTop = box.offsetHeight + "px";
  }

  function serverBack() {
    if (socketDownSince === null && kernelSocket && kernelSocket.readyState === 1) {
      /* Only slow (a server busy building thirty pages, a Wi-Fi hiccup): the kernel's websocket
       * never closed, so what was answered meanwhile went through it, in order. A reload here
       * would cost the page its kernel and the busy server another one to start. */
      offline = false;
      kept.reapply = false;
      storeKept();
      document.body.classList.remove("kit-offline");
      banner("again", "status", [say("again")], {
        className: "kit-page-ok",
        text: say("ok"),
        onClick: closeBanner
      });
      return;
    }
    if (document.visibilityState === "hidden") {
      return; /* a tab nobody looks at starts no kernel: it reloads when it is looked at */
    }
    kept.reapply = true;
    storeKept();
    var text = document.querySelector(".kit-page-offline p");
    if (text) {
      text.textContent = say("back");
    }
    window.location.reload();
  }
  document.addEventListener("visibilitychange", function () {
    if (offline && document.visibilityState === "visible") {
      ping(false);
    }
  });

  /* ------------------------------------------------------------ the rest of the page */

  var handedOver = false;
  function handOverIdentity() {
    if (handedOver) {
      return;
    }
    var session = (params.get("session") || "").toUpperCase().replace(/[\s-]/g, "");
    if (!session || params.get("p")) {
      handedOver = true;
      return;
    }
    var token = remembered(session);
    if (!token) {
      handedOver = true;
      return;
    }
    var input = document.querySelector(".kit-identity-in input");
    if (!input) {
      return; /* not rendered yet: try again on the next tick */
    }
    handedOver = true;
    input.value = session + ":" + token;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function syncToast() {
    var source = document.querySelector(".kit-app .kit-toast");
    var shown = document.getElementById("kit-page-toast");
    if (!source || offline) {
      if (shown) {
        shown.parentNode.removeChild(shown);
      }
      return;
    }
    if (!shown) {
      shown = document.createElement("div");
      shown.id = "kit-page-toast";
      shown.className = "kit-page-toast";
      document.body.appendChild(shown);
    }
    if (shown.innerHTML !== source.innerHTML) {
      shown.innerHTML = source.innerHTML; /* the app's own escaped HTML */
    }
  }

  var lastBeat = 0;
  function heartbeat(now) {
    if (now - lastBeat < BEAT_MS || document.visibilityState === "hidden") {
      return;
    }
    var input = document.querySelector(".kit-heartbeat input");
    if (!input) {
      return;
    }
    lastBeat = now;
    input.value = String(now);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  /* A button whose short label needs its row to make sense ("Verbergen" beside an open answer)
     carries the whole action in its tooltip (ipywidgets' `tooltip`, the title attribute): give
     it that as its accessible name, so a screen reader says which answer it hides. */
  function namedButtons() {
    var buttons = document.querySelectorAll(".kit-app .kit-remote-moderate[title]");
    for (var i = 0; i < buttons.length; i++) {
      var title = buttons[i].getAttribute("title");
      if (title && buttons[i].getAttribute("aria-label") !== title) {
        buttons[i].setAttribute("aria-label", title);
      }
    }
  }

  /* The language buttons ("NL", "EN"): each is in its own language, whatever the page's. */
  function languageButtons() {
    var buttons = document.querySelectorAll(".kit-lang button");
    for (var i = 0; i < buttons.length; i++) {
      var code = buttons[i].textContent.trim().toLowerCase();
      if ((code === "nl" || code === "en") && buttons[i].getAttribute("lang") !== code) {
        buttons[i].setAttribute("lang", code);
      }
    }
  }

  /* One main landmark: the rendered app (Voila's template has none). */
  function landmark() {
    var cells = document.getElementById("rendered_cells");
    if (cells && cells.getAttribute("role") !== "main") {
      cells.setAttribute("role", "main");
    }
  }

  /* A box that scrolls but holds no control cannot be scrolled by keyboard (WCAG 2.1.1): give
     it a tab stop. Checked every SCROLL_CHECK_MS, not every tick: it asks for layout. */
  var SCROLL_CHECK_MS = 1000;
  var lastScrollCheck = 0;
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function scrollersFocusable(now) {
    if (now - lastScrollCheck < SCROLL_CHECK_MS) {
      return;
    }
    lastScrollCheck = now;
    var all = document.querySelectorAll(".kit-app *");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      var tall = el.scrollHeight > el.clientHeight + 1;
      var wide = el.scrollWidth > el.clientWidth + 1;
      if ((!tall && !wide) || el.hasAttribute("tabindex") || el.clientHeight === 0) {
        continue;
      }
      var s = window.getComputedStyle(el);
      var scrolls = (tall && /auto|scroll/.test(s.overflowY)) || (wide && /auto|scroll/.test(s.overflowX));
      if (scrolls && !el.querySelector(FOCUSABLE)) {
        el.setAttribute("tabindex", "0");
      }
    }
  }

  var started = Date.now();
  var renderedAt = null;
  var timer = window.setInterval(function () {
    if (!document.body) {
      return;
    }
    var now = Date.now();
    var loading = document.getElementById("loading");
    var cells = document.getElementById("rendered_cells");
    var rendered = !loading && cells && cells.style.display !== "none";
    if (!rendered) {
      if (now - started > RENDER_DEADLINE_MS) {
        showAlert("slow");
      }
      return;
    }
    if (renderedAt === null) {
      renderedAt = now;
      if (toRestore) {
        restore(toRestore);
        toRestore = null;
      }
    }
    if (now - lastPingAt >= PING_MS && (offline || document.visibilityState !== "hidden")) {
      ping(false);
    }
    if (offline) {
      showKept();
      return;
    }
    /* The content-error panel is a .kit-app too. */
    var app = document.querySelector(".kit-app, .kit-landing");
    if (!app && now - renderedAt > APP_DEADLINE_MS) {
      showAlert("blank");
    }
    if (document.querySelector(".kit-app .jupyter-widgets-disconnected, .kit-landing.jupyter-widgets-disconnected")) {
      document.body.classList.add("kit-lost");
      dead = true;
      kept.reapply = true; /* the reload button brings back what was answered since */
      storeKept();
      closeBanner();
      showAlert("lost");
      window.clearInterval(timer);
      return;
    }
    prune();
    syncIdentity();
    handOverIdentity();
    syncToast();
    namedButtons();
    languageButtons();
    landmark();
    scrollersFocusable(now);
    heartbeat(now);
  }, 500);
})();

/* 6. Text the server can pass on: half an emoji (a lone UTF-16 surrogate, which Chromium can
 *    put in a field when an emoji is cut in two) makes the whole widget message unsendable:
 *    Jupyter's server cannot encode it as UTF-8 and drops the message without a word, so the
 *    kernel kept the text from before it (an adaptation's reason arrived empty). Before any
 *    widget reads a field, a lone surrogate becomes U+FFFD, as kit.text.clean does in the
 *    kernel. Capturing listeners on the document run before the widgets' own.
 */
(function () {
  "use strict";
  var LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])([\uDC00-\uDFFF])/g;

  function wellFormed(text) {
    if (typeof text.toWellFormed === "function") {
      return text.toWellFormed();
    }
    return text.replace(LONE, function (match, before) {
      return before === undefined ? "\uFFFD" : before + "\uFFFD";
    });
  }

  function mend(event) {
    var field = event.target;
    if (!field || (field.tagName !== "INPUT" && field.tagName !== "TEXTAREA")) {
      return;
    }
    var fixed = wellFormed(field.value);
    if (fixed !== field.value) {
      var at = field.selectionStart;
      field.value = fixed;
      try {
        field.setSelectionRange(at, at);
      } catch (ignored) {
        /* a field type without a caret: nothing to restore */
      }
    }
  }

  ["input", "change", "keydown"].forEach(function (name) {
    document.addEventListener(name, mend, true);
  });
})();
