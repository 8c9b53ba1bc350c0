// The rating page (scans/rating_detail.html): rate with the digit keys, and never leave the page
// while an autosave is still on its way. Autosave itself is declarative htmx on each field group.
(function () {
  "use strict";
  var form = document.querySelector("[data-rating-form]");
  if (!form) {
    return;
  }
  var hint = document.querySelector("[data-rating-keys-hint]");
  if (hint) {
    hint.hidden = false;
  }
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // --- Digit keys: choose a level and move on to the next group --------------------------------
  function groups() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-rating-group]"));
  }

  function focusGroup(group) {
    var radio = group.querySelector("input[type=radio]:checked") || group.querySelector("input[type=radio]");
    if (radio) {
      radio.focus({ preventScroll: true });
      group.scrollIntoView({ block: "start" });
    }
  }

  form.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing || !/^[0-9]$/.test(event.key)) {
      return;
    }
    var target = event.target;
    var group = target.closest ? target.closest("[data-rating-group]") : null;
    var onRadio = target instanceof HTMLInputElement && target.type === "radio";
    if (!group || !(onRadio || target === group)) {
      return;
    }
    var radio = group.querySelector('input[type=radio][data-key="' + event.key + '"]');
    if (!radio) {
      return;
    }
    event.preventDefault();
    if (!radio.checked) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (group.hasAttribute("data-prefilled")) {
      // A value copied from the previous scan: the same key confirms it, so it is saved all the same.
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var all = groups();
    var next = all[all.indexOf(group) + 1];
    if (next) {
      focusGroup(next);
    } else {
      var submit = form.querySelector("[data-rating-submit]");
      if (submit) {
        submit.focus();
      }
    }
  });

  // --- A repeat scan: choosing the value that is already chosen confirms it ----------------------
  // A click on the checked radio fires no change event; the browser fires change (if at all) right
  // after the click, so look once the click is over and send one ourselves when none came.
  var lastChanged = null;
  form.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== "radio" || !target.closest("[data-prefilled]")) {
      return;
    }
    lastChanged = null;
    window.setTimeout(function () {
      if (lastChanged !== target && target.checked) {
        target.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }, 0);
  });

  // After an autosave the server's confirmation states are swapped in; tick their boxes to match.
  function syncConfirmations() {
    form.querySelectorAll("[data-confirm-state]").forEach(function (state) {
      var box = document.getElementById(state.dataset.for || "");
      if (box && state.dataset.confirmed === "1") {
        box.checked = true;
      }
    });
  }

  // --- "toelichting nodig" follows the chosen score at once ------------------------------------
  form.addEventListener("change", function (event) {
    var target = event.target;
    lastChanged = target;
    if (target instanceof HTMLInputElement && target.type === "radio" && target.name.indexOf("score-") === 0) {
      var key = target.name.slice("score-".length);
      var marker = form.querySelector('[data-needed="' + CSS.escape(key) + '"]');
      if (marker) {
        marker.hidden = !(target.value === "3" || target.value === "4");
      }
    }
    var owner = target.closest ? target.closest("[hx-post]") : null;
    if (owner) {
      dirty.add(owner);
    }
  });

  // --- Pending autosaves: changed but not sent yet (debounce), or on their way -------------------
  var dirty = new Set();
  var inflight = 0;
  var MAX_WAIT_MS = 5000;

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail && event.detail.elt;
    if (element && form.contains(element)) {
      dirty.delete(element);
      inflight += 1;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail && event.detail.elt;
    if (element && form.contains(element)) {
      inflight = Math.max(0, inflight - 1);
      // The withdraw form posts the version too: keep it in step with the last save.
      var version = document.getElementById("rating-version");
      document.querySelectorAll("[data-version-copy]").forEach(function (copy) {
        if (version) {
          copy.value = version.value;
        }
      });
      syncConfirmations();
    }
  });

  // A save that never reached the server (network down, server error) must not look saved.
  function failed(event) {
    var element = event.detail && event.detail.elt;
    var alert = document.getElementById("rating-alert");
    if (element && form.contains(element) && alert) {
      var message = document.createElement("p");
      message.className = "notice notice--error";
      message.textContent = alert.dataset.failed || "";
      alert.replaceChildren(message);
    }
  }
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:responseError", failed);

  function pending() {
    return dirty.size > 0 || inflight > 0;
  }

  // Runs ``then`` once every autosave has landed (so the page's version is current), or after a
  // few seconds at most: a full save with an old version is refused as a conflict, never lost.
  function whenSaved(then) {
    var status = document.getElementById("rating-status");
    if (status) {
      status.textContent = status.dataset.waiting || "Bezig met opslaan…";
    }
    var started = Date.now();
    (function check() {
      if (!pending() || Date.now() - started > MAX_WAIT_MS) {
        dirty.clear();
        then();
      } else {
        window.setTimeout(check, 100);
      }
    })();
  }

  var lastSubmitter = null;
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[type=submit]") : null;
    if (button) {
      lastSubmitter = button;
    }
  });
  form.addEventListener("submit", function (event) {
    if (!pending()) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || lastSubmitter;
    whenSaved(function () {
      if (submitter) {
        submitter.click();
      } else {
        form.submit();
      }
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-rating-nav]") : null;
    if (!link || !pending() || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    event.preventDefault();
    whenSaved(function () {
      window.location.href = link.href;
    });
  });
})();
