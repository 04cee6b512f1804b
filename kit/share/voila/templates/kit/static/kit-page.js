/* The kit's page script, included in the <head> of every page the kit's Voila template serves.
 *
 * 1. No endless spinner: a page still rendering after RENDER_DEADLINE_MS, or rendered without
 *    the app after APP_DEADLINE_MS, says so in words and offers a reload.
 * 2. A page that loses its kernel (killed, culled, server restarted) says so in words and
 *    offers a reload; ipywidgets marks every view of a dead comm "jupyter-widgets-disconnected".
 * 3. Session identity across reloads: when the kernel puts <span class="kit-identity"
 *    data-session data-token data-lang> on the page (after joining, and on every language
 *    switch), the page remembers the participant's token for that session (localStorage) and
 *    writes session, token and language into its own URL, so a reload comes back as the same
 *    participant. A page opened with ?session=CODE but without the token (the QR code scanned
 *    again on the same phone) hands the remembered token to the kernel through the hidden text
 *    field ".kit-identity-in".
 *
 *    A page opened with ?forget=1 (the "Not you?" link) first forgets the participant remembered
 *    for that session on this device.
 *
 * 4. Messages for where the learner is looking: a ".kit-toast" the app puts on the page (session
 *    closed, answers not saved) is shown at the bottom of the screen. The widget area is a
 *    "contain: strict" panel, so the app cannot place it there itself.
 *
 * 5. A heartbeat for pages that refresh themselves (the trainer's dashboard): while the tab is
 *    visible, the hidden field ".kit-heartbeat" gets the time every BEAT_MS. A closed or hidden
 *    tab stops beating, the dashboard stops refreshing, and its kernel can be culled.
 *
 * The texts are written out here, not in ui.yaml: they must show when the kernel never answered.
 */
(function () {
  "use strict";
  var RENDER_DEADLINE_MS = 90000;
  var APP_DEADLINE_MS = 30000;
  var STORE_PREFIX = "implementatiekit:";
  var BEAT_MS = 5000;
  var TEXT = {
    nl: {
      slow: "Deze pagina is na anderhalve minuut nog niet klaar. De server is misschien erg druk. Laad de pagina opnieuw; wat je al had opgeslagen, komt terug.",
      blank: "Deze pagina is niet volledig geladen. Laad de pagina opnieuw; wat je al had opgeslagen, komt terug.",
      lost: "De verbinding met de server is verbroken, dus deze pagina reageert niet meer. Laad de pagina opnieuw: je opgeslagen antwoorden komen terug.",
      reload: "Pagina opnieuw laden"
    },
    en: {
      slow: "This page is still not ready after a minute and a half. The server may be very busy. Reload the page; whatever you had saved comes back.",
      blank: "This page did not load completely. Reload the page; whatever you had saved comes back.",
      lost: "The connection to the server was lost, so this page no longer responds. Reload the page: your saved answers come back.",
      reload: "Reload the page"
    }
  };
  var params = new URLSearchParams(window.location.search);

  function lang() {
    return (params.get("lang") || "nl").toLowerCase() === "en" ? "en" : "nl";
  }

  function showAlert(kind) {
    var existing = document.querySelector(".kit-page-alert");
    if (existing) {
      return;
    }
    var box = document.createElement("div");
    box.className = "kit-page-alert kit-page-" + kind;
    box.setAttribute("role", "alert");
    box.setAttribute("lang", lang());
    var text = document.createElement("p");
    text.textContent = TEXT[lang()][kind];
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kit-page-reload";
    button.textContent = TEXT[lang()].reload;
    button.addEventListener("click", function () {
      window.location.reload();
    });
    box.appendChild(text);
    box.appendChild(button);
    document.body.appendChild(box);
    var spinner = document.getElementById("loading");
    if (spinner) {
      spinner.style.display = "none";
    }
    button.focus();
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
    } catch (e) {
      /* private mode: nothing was remembered */
    }
    params.delete("forget");
    params.delete("p");
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
  })();

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
    if (!source) {
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
    }
    /* The content-error panel is a .kit-app too. */
    var app = document.querySelector(".kit-app, .kit-landing");
    if (!app && now - renderedAt > APP_DEADLINE_MS) {
      showAlert("blank");
    }
    if (document.querySelector(".kit-app .jupyter-widgets-disconnected, .kit-landing.jupyter-widgets-disconnected")) {
      document.body.classList.add("kit-lost");
      showAlert("lost");
      window.clearInterval(timer);
      return;
    }
    syncIdentity();
    handOverIdentity();
    syncToast();
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
