// Two ways an editor lost a story's changes without a word (a story, a live update, a correction):
// a link that left the form ("Add a correction", History, the sidebar) dropped them, and a save
// after the session had ended went to the login page, which knows nothing of them. The browser
// now asks before leaving a changed form, and the form asks the site whether its editor is still
// signed in before it saves. Without JavaScript both stay as Django has them.
(function () {
  "use strict";

  var form = document.querySelector("form#article_form, form#liveupdate_form, form#correction_form");
  var script = document.currentScript;
  if (!form || !script) return;
  var askAt = script.dataset.signedIn;

  // What a save would send, files by name and size. Compared with the state once the admin's own
  // scripts have drawn the form (autocompletes, inline rows), so that a change made and undone,
  // or a box the scripts filled, is not taken for the editor's.
  function state() {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.name === "csrfmiddlewaretoken") return;
      if (/^(submit|button|reset|image)$/.test(field.type)) return;
      if (field.type === "checkbox" || field.type === "radio") {
        parts.push([field.name, field.value, field.checked]);
      } else if (field.type === "file") {
        parts.push([field.name, Array.prototype.map.call(field.files, function (file) {
          return file.name + ":" + file.size;
        })]);
      } else if (field.tagName === "SELECT") {
        parts.push([field.name, Array.prototype.map.call(field.selectedOptions, function (o) {
          return o.value;
        })]);
      } else {
        parts.push([field.name, field.value]);
      }
    });
    return JSON.stringify(parts);
  }

  var initial = null;
  var typedEarly = false; // before the page had loaded: no state to compare with yet
  function early() { if (initial === null) typedEarly = true; }
  form.addEventListener("input", early);
  form.addEventListener("change", early);
  window.addEventListener("load", function () {
    // After the admin's own "load" handlers (inline rows, autocompletes) have run.
    window.setTimeout(function () { initial = state(); }, 0);
  });

  function changed() {
    return typedEarly || (initial !== null && state() !== initial);
  }

  var saving = false; // a save is on its way: leaving now is the point
  window.addEventListener("beforeunload", function (event) {
    if (saving || !changed()) return;
    event.preventDefault();
    event.returnValue = ""; // Chromium before 119 asks only with it set
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) saving = false; // Back to this page: its changes are unsaved again
  });

  var note = null;
  function signedOut(loginUrl, submitter) {
    if (!note) {
      note = document.createElement("p");
      note.className = "errornote";
      note.id = "signed-out-note";
      note.setAttribute("role", "alert");
      note.tabIndex = -1;
      var link = document.createElement("a");
      link.href = loginUrl;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "Sign in again in a new tab";
      note.append(
        "You are signed out: your changes are not saved yet. ", link, ", then press Save again."
      );
    }
    // Beside the button pressed, where the editor is looking.
    var row = submitter && submitter.closest(".submit-row");
    if (row) row.before(note);
    else form.prepend(note);
    note.focus();
  }

  var asked = false; // the submit dispatched now follows the answer: let it go
  var asking = false;
  function send(submitter) {
    asked = true;
    try {
      if (submitter) form.requestSubmit(submitter);
      else form.requestSubmit();
    } finally {
      asked = false; // its submit event has run (requestSubmit dispatches it at once)
    }
  }

  function ask(submitter) {
    asking = true;
    var stop = new AbortController();
    var timer = window.setTimeout(function () { stop.abort(); }, 5000);
    fetch(askAt, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal: stop.signal,
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; }) // no answer: the save goes as it always did
      .then(function (answer) {
        window.clearTimeout(timer);
        asking = false;
        if (answer && answer.signed_in === false) {
          signedOut(answer.login_url, submitter);
          return;
        }
        // Signing in again elsewhere gave the session a new CSRF token: the form's old one
        // would be refused, and the changes with it.
        var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
        if (answer && answer.csrf_token && token) token.value = answer.csrf_token;
        send(submitter);
      });
  }

  // Registered after admin-forms.js's checks (base_site.html loads it first): a save they stop
  // is not asked about.
  document.addEventListener("submit", function (event) {
    if (event.target !== form || event.defaultPrevented || !askAt) return;
    var submitter = event.submitter;
    // Preview changes opens a new tab: this page stays, changes and all.
    if (submitter && submitter.formTarget === "_blank") return;
    if (asked) {
      saving = true;
      return;
    }
    event.preventDefault();
    if (!asking) ask(submitter);
  });
})();
