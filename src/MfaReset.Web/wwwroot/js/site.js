// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Move focus to the error summary so screen readers announce it and keyboard users start there.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }

  // "Send again" countdowns: the server renders the button enabled (pressing early spends nothing and
  // says when); here it is disabled until the server's wait has passed, with the seconds counting down.
  document.querySelectorAll("[data-countdown]").forEach(function (hint) {
    var seconds = parseInt(hint.getAttribute("data-countdown"), 10) || 0;
    var form = hint.closest("form");
    var button = form && form.querySelector("[data-enable-after]");
    var number = hint.querySelector("[data-countdown-seconds]");
    if (!button || seconds <= 0) {
      return;
    }
    button.disabled = true;
    var timer = window.setInterval(function () {
      seconds -= 1;
      if (seconds > 0) {
        if (number) {
          number.textContent = String(seconds);
        }
        return;
      }
      window.clearInterval(timer);
      button.disabled = false;
      hint.textContent = hint.getAttribute("data-countdown-done") || "";
    }, 1000);
  });

  // The flow's time is up: its forms can only fail now, so they are switched off (inert also outlasts a
  // "send again" countdown that re-enables its button), the time hint goes, and "Start again" shows.
  var endFlowForms = function (box) {
    document.querySelectorAll("main form").forEach(function (form) {
      form.inert = true;
      form.querySelectorAll("input, button").forEach(function (control) { control.disabled = true; });
    });
    document.querySelectorAll("[data-hide-when-ended]").forEach(function (item) { item.hidden = true; });
    var hint = box.querySelector("[data-time-left-hint]");
    var ended = box.querySelector("[data-time-left-ended]");
    if (hint) { hint.hidden = true; }
    if (ended) { ended.hidden = false; }
  };

  // Time left on this step: counted down, with a polite warning a minute before the end.
  document.querySelectorAll("[data-time-left]").forEach(function (box) {
    var seconds = parseInt(box.getAttribute("data-time-left"), 10) || 0;
    var text = box.querySelector("[data-time-left-text]");
    var warning = box.querySelector("[data-time-left-warning]");
    var warned = false;
    var show = function () {
      var m = Math.floor(seconds / 60);
      var s = seconds % 60;
      if (text) {
        text.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      }
      if (warning && !warned && seconds <= 60 && seconds > 0) {
        warned = true;
        warning.textContent = warning.getAttribute("data-warning-text");
      }
      if (warning && seconds <= 0) {
        warning.textContent = warning.getAttribute("data-ended-text");
      }
      if (seconds <= 0 && box.hasAttribute("data-time-left-ends-flow")) {
        endFlowForms(box);
      }
    };
    show();
    var timer = window.setInterval(function () {
      seconds = Math.max(0, seconds - 1);
      show();
      if (seconds <= 0) {
        window.clearInterval(timer);
      }
    }, 1000);
  });

  // Hints that appear after a while (e.g. "Didn't get anything?" on the push page).
  document.querySelectorAll("[data-reveal-after]").forEach(function (item) {
    var seconds = parseInt(item.getAttribute("data-reveal-after"), 10) || 0;
    window.setTimeout(function () { item.hidden = false; }, seconds * 1000);
  });

  // Password rules: each checkable rule marked met / not yet met as the person types; a polite summary.
  var rules = document.querySelector("[data-password-rules]");
  var passwordInput = document.getElementById("Input_NewPassword");
  if (rules && passwordInput) {
    var summaryLive = document.querySelector("[data-rules-summary]");
    // The person's own words (lowercase), which a "username" line forbids; the server checks the same.
    var personalWords = (rules.getAttribute("data-personal-words") || "").split(" ").filter(function (w) { return w.length > 0; });
    var tests = {
      personal: function (v) {
        var lower = v.toLowerCase();
        return !personalWords.some(function (w) { return lower.indexOf(w) >= 0; });
      },
      lower: function (v) { return /[a-z]/.test(v); },
      upper: function (v) { return /[A-Z]/.test(v); },
      digit: function (v) { return /[0-9]/.test(v); },
      symbol: function (v) { return /[^A-Za-z0-9]/.test(v); }
    };
    var checkable = rules.querySelectorAll("li[data-check]:not([data-check=''])");
    var lastSummary = "";
    var update = function () {
      var value = passwordInput.value;
      var met = 0;
      checkable.forEach(function (item) {
        var ok = value.length > 0 && item.getAttribute("data-check").split(" ").every(function (check) {
          var parts = check.split(":");
          return parts[0] === "length" ? value.length >= parseInt(parts[1], 10) : (tests[parts[0]] ? tests[parts[0]](value) : true);
        });
        item.setAttribute("data-state", ok ? "met" : "unmet");
        item.querySelector("[data-rule-state]").textContent = (ok ? rules.getAttribute("data-text-met") : rules.getAttribute("data-text-unmet")) + " ";
        if (ok) { met += 1; }
      });
      if (summaryLive && value.length > 0) {
        var text = met === checkable.length
          ? summaryLive.getAttribute("data-text-met")
          : summaryLive.getAttribute("data-text-left").replace("{0}", met).replace("{1}", checkable.length);
        if (text !== lastSummary) {
          summaryLive.textContent = text;
          lastSummary = text;
        }
      }
    };
    checkable.forEach(function (item) {
      item.setAttribute("data-state", "unmet");
      item.querySelector("[data-rule-state]").textContent = rules.getAttribute("data-text-unmet") + " ";
    });
    passwordInput.addEventListener("input", update);
  }

  // Show / hide the password fields.
  var toggle = document.querySelector("[data-show-password]");
  if (toggle) {
    var toggleButton = toggle.querySelector("button");
    toggle.hidden = false;
    toggleButton.addEventListener("click", function () {
      var show = toggleButton.getAttribute("aria-pressed") !== "true";
      document.querySelectorAll("[data-password-input]").forEach(function (input) {
        input.type = show ? "text" : "password";
      });
      toggleButton.setAttribute("aria-pressed", show ? "true" : "false");
      toggleButton.textContent = toggleButton.getAttribute(show ? "data-text-hide" : "data-text-show");
    });
  }

  // Push: poll the portal (never Okta) at the pace the server asks for, announce changes politely.
  var push = document.querySelector("[data-push-poll]");
  if (push && window.fetch) {
    var url = push.getAttribute("data-push-poll");
    var message = push.querySelector("[data-push-message]");
    var numberField = push.querySelector("[data-push-number]");
    var tokenInput = document.querySelector("[data-push-check] input[name='__RequestVerificationToken']");
    var flowInput = document.querySelector("[data-push-check] input[name='__Flow']");
    var lastState = "pending";
    // The page carries each state's text in its own language.
    var textOf = function (state) {
      return message ? message.getAttribute("data-text-" + state) : null;
    };

    var poll = function () {
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "RequestVerificationToken": tokenInput ? tokenInput.value : "" },
        // The flow this tab shows: if another tab started a newer reset, the answer says so.
        body: new URLSearchParams(flowInput ? { __Flow: flowInput.value } : {})
      }).then(function (response) {
        if (response.status === 429 || response.status === 503) {
          // Over this address's poll limit (many people behind one address), or the portal at its limit of
          // requests at once: ask again when the server says, without reloading, which would only cost it more.
          var wait = parseInt(response.headers.get("Retry-After"), 10);
          window.setTimeout(poll, Math.max(wait || 60, 1) * 1000);
          return null;
        }
        if (!response.ok) {
          // No pending push for this browser any more: let the page show where the flow is.
          window.location.reload();
          return null;
        }
        return response.json();
      }).then(function (status) {
        if (!status) {
          return;
        }
        if (numberField && status.number && numberField.textContent !== String(status.number)) {
          numberField.textContent = String(status.number);
        }
        if (status.state !== lastState && textOf(status.state)) {
          message.textContent = textOf(status.state);
        }
        lastState = status.state;
        if (status.redirect) {
          window.setTimeout(function () { window.location.assign(status.redirect); }, 600);
          return;
        }
        window.setTimeout(poll, Math.max(status.next || 4000, 1000));
      }).catch(function () {
        window.setTimeout(poll, 5000);
      });
    };

    window.setTimeout(poll, Math.max(parseInt(push.getAttribute("data-next"), 10) || 4000, 1000));
  }
})();
