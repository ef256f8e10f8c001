/* Survey autosave that never loses a keystroke, even on a slow or broken connection.

   One queue per response page; one request in flight at a time, so at most one per question.
   A question is read when its request leaves (the newest value always wins: edits made while a
   request is on its way are sent right after it), and the server's answer replaces the question
   only if the person has not changed it since the request left. "Saved" shows only when the
   stored value (the hidden o_ field the server sends back) equals what is on screen. Failures
   say so and are retried (with back-off, and as soon as the browser is back online); leaving the
   page with unsaved answers asks first.

   Everything still works without this file: "Save section" posts the whole section. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }

  var TEXT = {
    saving: form.getAttribute("data-saving-text") || "Saving…",
    pending: form.getAttribute("data-pending-text") || "Not saved yet.",
    saved: form.getAttribute("data-saved-text") || "Saved",
    offline: form.getAttribute("data-offline-text") || "Not saved: no connection.",
    error: form.getAttribute("data-error-text") || "Not saved.",
    leave: form.getAttribute("data-leave-text") || "Some answers are not saved yet.",
    shown: form.getAttribute("data-shown-text") || "Question shown:",
    gone: form.getAttribute("data-gone-text") || "Question no longer asked:",
  };
  /* Questions that a condition shows or hides are announced, politely (WCAG 4.1.3). */
  var live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  live.id = "survey-announcements";
  form.parentNode.insertBefore(live, form);

  function announce(changes) {
    if (!changes.length) { return; }
    live.textContent = "";
    // A short pause, so that screen readers notice the new text even when it is the same.
    setTimeout(function () { live.textContent = changes.join(" "); }, 100);
  }

  function legendOf(fieldset) {
    var legend = fieldset.querySelector("legend");
    var copy = legend ? legend.cloneNode(true) : null;
    if (!copy) { return ""; }
    copy.querySelectorAll("[aria-hidden], .visually-hidden, .text-danger").forEach(function (el) { el.remove(); });
    return copy.textContent.trim();
  }
  var TYPING_PAUSE = 1000; // ms without a keystroke before a text answer is sent
  var queue = [];          // ids of the questions waiting to be sent, oldest first
  var inFlight = null;     // {id, sent} of the one request on its way
  var failed = {};         // ids whose last attempt did not reach the server
  var timers = {};         // typing pauses, by question id
  var retryDelay = 2000;
  var retryTimer = null;
  var submitting = false;

  function questions() {
    return form.querySelectorAll("fieldset.survey-question[data-autosave-url]");
  }

  function isText(field) {
    return ["checkbox", "radio", "select-multiple"].indexOf(field.type) === -1;
  }

  /* The choices a field holds: ticked boxes, the chosen options of a list. */
  function chosen(field) {
    if (field.type === "select-multiple") {
      return Array.prototype.map.call(field.selectedOptions, function (o) { return o.value; });
    }
    return field.checked ? [field.value] : [];
  }

  function fields(fieldset) {
    var pk = fieldset.getAttribute("data-question");
    return fieldset.querySelectorAll('[name="q_' + pk + '"]');
  }

  /* What is on screen, as the server would store it: text trimmed, choices as a sorted set
     (the whole set of ticked boxes is always sent). */
  function onScreen(fieldset) {
    var values = [];
    var text = false;
    fields(fieldset).forEach(function (field) {
      if (isText(field)) {
        text = true;
        values.push(field.value.replace(/\r\n?/g, "\n").trim());
      } else {
        values = values.concat(chosen(field));
      }
    });
    return text ? values.join("\n") : values.sort().join(" ");
  }

  function stored(fieldset) {
    var pk = fieldset.getAttribute("data-question");
    var original = fieldset.querySelector('[name="o_' + pk + '"]');
    var value = original ? original.value.replace(/\r\n?/g, "\n") : "";
    var text = Array.prototype.some.call(fields(fieldset), isText);
    return text ? value.trim() : value.split(/\s+/).filter(Boolean).sort().join(" ");
  }

  function hasProblem(fieldset) {
    return !!fieldset.querySelector(".invalid-feedback, .survey-conflict");
  }

  function isDirty(fieldset) {
    return onScreen(fieldset) !== stored(fieldset);
  }

  /* One status line per question: saving, saved, not saved yet, offline, refused. */
  function status(fieldset, kind) {
    fieldset.querySelectorAll(".survey-saved, .survey-status").forEach(function (el) {
      el.remove();
    });
    if (!kind) { return; }
    var box = document.createElement("div");
    var classes = {
      saving: "small text-muted survey-status",
      pending: "small text-muted survey-status",
      saved: "small text-success survey-saved",
      offline: "survey-status survey-offline alert alert-danger mt-2 py-1 small",
      error: "survey-status survey-refused alert alert-danger mt-2 py-1 small",
    };
    box.className = classes[kind];
    box.setAttribute("role", kind === "offline" || kind === "error" ? "alert" : "status");
    box.textContent = TEXT[kind];
    fieldset.appendChild(box);
  }

  function enqueue(fieldset) {
    var id = fieldset.id;
    clearTimeout(timers[id]);
    delete timers[id];
    if (queue.indexOf(id) === -1 && !(inFlight && inFlight.id === id)) { queue.push(id); }
    pump();
  }

  function pump() {
    if (inFlight || !queue.length) { return; }
    var id = queue.shift();
    var fieldset = document.getElementById(id);
    if (!fieldset || !fieldset.hasAttribute("data-autosave-url")) { pump(); return; }
    if (!failed[id] && !isDirty(fieldset) && !hasProblem(fieldset)) {
      status(fieldset, "saved");
      pump();
      return;
    }
    send(fieldset);
  }

  function send(fieldset) {
    var pk = fieldset.getAttribute("data-question");
    var body = new FormData();
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    body.append("v_" + pk, fieldset.querySelector('[name="v_' + pk + '"]').value);
    fields(fieldset).forEach(function (field) {
      (isText(field) ? [field.value] : chosen(field)).forEach(function (value) {
        body.append(field.name, value);
      });
    });
    inFlight = { id: fieldset.id, sent: onScreen(fieldset) };
    status(fieldset, "saving");
    fetch(fieldset.getAttribute("data-autosave-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) {
        // A redirect means the server refused the whole page (round closed, signed out).
        if (response.redirected || !response.ok) {
          var error = new Error("HTTP " + response.status);
          error.status = response.redirected ? 403 : response.status;
          throw error;
        }
        return response.text();
      })
      .then(function (html) {
        var sent = inFlight;
        inFlight = null;
        delete failed[sent.id];
        retryDelay = 2000;
        apply(html, sent);
      })
      .catch(function (error) {
        var sent = inFlight;
        inFlight = null;
        if (!sent) { return; }
        var current = document.getElementById(sent.id);
        failed[sent.id] = true;
        // No answer at all, or a proxy/server hiccup: retry. Anything else: say it was refused.
        var transient = !error.status || error.status >= 500;
        if (current) { status(current, transient ? "offline" : "error"); }
        if (transient) { scheduleRetry(); }
      })
      .then(pump);
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = setTimeout(retry, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function retry() {
    clearTimeout(retryTimer);
    retryTimer = null;
    Object.keys(failed).forEach(function (id) {
      var fieldset = document.getElementById(id);
      if (fieldset) { enqueue(fieldset); } else { delete failed[id]; }
    });
  }

  /* Put the server's copy of the question in place, keeping the focus and the caret. */
  function replace(old, fresh) {
    var active = document.activeElement;
    var focused = active && old.contains(active) ? active : null;
    var caret = null;
    if (focused && isText(focused)) {
      caret = [focused.selectionStart, focused.selectionEnd, focused.value];
    }
    old.replaceWith(fresh);
    if (!focused) { return; }
    var again = focused.id ? document.getElementById(focused.id) : null;
    if (!again) { return; }
    if (caret && again.value.trim() === caret[2].replace(/\r\n?/g, "\n").trim()) {
      // Same answer, but keep the spaces the person is typing (the server trims them).
      again.value = caret[2];
    }
    again.focus();
    if (caret && again.setSelectionRange) {
      try { again.setSelectionRange(caret[0], caret[1]); } catch (e) { /* not a text field */ }
    }
  }

  /* Keep what the person typed; take only what the server knows: version, stored value,
     whether the question is shown. */
  function takeState(old, fresh) {
    var pk = old.getAttribute("data-question");
    ["v_", "o_"].forEach(function (prefix) {
      var from = fresh.querySelector('[name="' + prefix + pk + '"]');
      var to = old.querySelector('[name="' + prefix + pk + '"]');
      if (from && to) { to.value = from.value; }
    });
    old.className = fresh.className;
    old.hidden = fresh.hidden;
  }

  function apply(html, sent) {
    var template = document.createElement("template");
    var changes = [];
    template.innerHTML = html;
    Array.prototype.slice.call(template.content.children).forEach(function (fresh) {
      var old = fresh.id && document.getElementById(fresh.id);
      if (!old) { return; }
      if (!fresh.matches("fieldset.survey-question")) {
        old.replaceWith(fresh); // the progress card
        return;
      }
      if (old.hidden !== fresh.hidden) {
        changes.push((fresh.hidden ? TEXT.gone : TEXT.shown) + " " + legendOf(fresh) + ".");
      }
      var id = fresh.id;
      var waiting = queue.indexOf(id) !== -1 || timers[id] || failed[id];
      if (id === sent.id) {
        if (onScreen(old) === sent.sent && !timers[id]) {
          replace(old, fresh);
          if (!hasProblem(fresh) && isDirty(fresh)) { status(fresh, "pending"); }
          return;
        }
        // Changed while the request was on its way: keep it and send it next.
        takeState(old, fresh);
        if (fresh.querySelector(".survey-conflict")) {
          // A colleague saved first: show their answer and let the person decide.
          old.querySelectorAll(".survey-conflict").forEach(function (el) { el.remove(); });
          old.appendChild(fresh.querySelector(".survey-conflict"));
          status(old, "pending");
          return;
        }
        status(old, "pending");
        if (!timers[id]) { enqueue(old); }
        return;
      }
      // A question whose visibility depends on the saved one.
      if (waiting || isDirty(old)) {
        takeState(old, fresh);
      } else {
        replace(old, fresh);
      }
    });
    announce(changes);
  }

  function edited(event) {
    var fieldset = event.target.closest("fieldset.survey-question[data-autosave-url]");
    if (!fieldset || !event.target.name || event.target.name.indexOf("q_") !== 0) { return; }
    if (event.type === "change" || !isText(event.target)) {
      enqueue(fieldset);
      return;
    }
    status(fieldset, isDirty(fieldset) || hasProblem(fieldset) ? "pending" : "saved");
    clearTimeout(timers[fieldset.id]);
    timers[fieldset.id] = setTimeout(function () {
      delete timers[fieldset.id];
      var current = document.getElementById(fieldset.id);
      if (current) { enqueue(current); }
    }, TYPING_PAUSE);
  }

  function unsaved() {
    if (inFlight || queue.length || Object.keys(timers).length) { return true; }
    return Array.prototype.some.call(questions(), function (fieldset) {
      return failed[fieldset.id] || isDirty(fieldset);
    });
  }

  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  // "Save section" posts every answer itself.
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("online", retry);
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !unsaved()) { return; }
    event.preventDefault();
    event.returnValue = TEXT.leave;
    return TEXT.leave;
  });
  // For tests and for people: is everything on this page stored?
  form.autosaveIdle = function () { return !unsaved(); };
})();
