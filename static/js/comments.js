// The comments under an article: the form on a shared page gets its reader's tokens,
// replies and reports open in place. Progressive enhancement only: every comment can be
// written, sent and reported without this file. What the reader writes (the draft kept in the
// tab, the characters counted) is comments-writing.js, which loads after it and adds to the
// comment form through window.commentSection, this file's one global.
(function () {
  "use strict";

  // Each is called with the comment form and its "open under the comment with this id" (none
  // when the page has no Reply links) once replies open in place, in the order they were added.
  var formExtensions = [];
  window.commentSection = { formExtensions: formExtensions, say: say };

  // Each comment form's "ask for this reader's tokens" (enhanceCommentForm), for the reply links.
  var formTokens = new WeakMap();
  // What a signed-in reader's account fills in, when the field is still empty.
  var IDENTITY_FIELDS = ["name", "email"];
  // Each comment form's "open under the comment with this id" (enhanceReplies), for drafts.
  var replyOpeners = new WeakMap();

  // A click meant for a new tab or window, which the link's own page then answers.
  function opensElsewhere(event) {
    return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
  }

  // What the reader is told about their text (a draft restored, a send they stopped), in the
  // form's one status region, under the comment box: made when first needed.
  function say(form, text) {
    var note = form.querySelector(".comment-draft-note");
    var body = form.elements.namedItem("body");
    if (!note && (!text || !body)) return;
    if (!note) {
      note = document.createElement("p");
      note.className = "form-text comment-draft-note";
      note.setAttribute("role", "status");
      body.parentNode.appendChild(note);
    }
    // Filled after the live region is in the page, so screen readers announce it.
    window.setTimeout(function () {
      note.textContent = text;
    }, 100);
  }

  // "Reply" opens the comment form right under the comment it answers. Without this, the link
  // draws the page again with the form (under that comment) set to answer it.
  function enhanceReplies(form) {
    var parent = form.querySelector("input[name=parent]");
    var heading = form.querySelector("#comment-form-heading");
    var links = document.querySelectorAll("a[data-reply-to]");
    if (!parent || !heading || !links.length) return;
    var title = document.getElementById("article-title");
    var newHeading = parent.value
      ? "Add a comment on " + (title ? title.textContent : "this article")
      : heading.textContent;
    // The no-JavaScript way back to a new comment, on a page drawn to answer one.
    var instead = form.querySelector('a[href$="#comment-form"]');
    var home = document.createComment("the comment form's own place");
    // A page drawn to answer a comment has the form under it: its own place ends the comments.
    var section = form.closest(".comments");
    if (form.closest(".comment-thread") && section) section.appendChild(home);
    else form.parentNode.insertBefore(home, form);
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-link cancel-reply";
    cancel.textContent = "Cancel reply";
    cancel.hidden = true;
    var submit = form.querySelector("button[type=submit]");
    if (submit) submit.after(cancel);
    var opener = null;

    function openUnder(link) {
      link.closest(".comment-actions").after(form);
      parent.value = link.getAttribute("data-reply-to");
      // The name in its own direction, as the page draws it (comments/form.html).
      var name = document.createElement("bdi");
      name.textContent = link.getAttribute("data-reply-name");
      heading.textContent = "Reply to ";
      heading.appendChild(name);
      cancel.hidden = false;
      if (instead) instead.parentNode.hidden = true; // "Cancel reply" does its work here
      opener = link;
      form.dispatchEvent(new CustomEvent("comment-form-moved"));
    }

    function close() {
      home.after(form);
      parent.value = "";
      heading.textContent = newHeading;
      cancel.hidden = true;
      if (instead) instead.parentNode.hidden = true;
      if (opener) opener.focus();
      opener = null;
      form.dispatchEvent(new CustomEvent("comment-form-moved"));
    }

    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        // A new tab or window gets the page drawn to answer that comment, as the link says.
        if (opensElsewhere(event)) return;
        event.preventDefault();
        openUnder(link);
        form.scrollIntoView({ block: "nearest" });
        // A signed-in reader's name comes with the form's tokens: focus the first field still
        // empty once it has arrived, not a name field about to be filled under the cursor.
        // A reader who has meanwhile gone to a field of their choice keeps it: focus taken away
        // mid-word would send the rest of their comment into the name field.
        var focusAtClick = document.activeElement;
        var tokens = formTokens.get(form);
        (tokens ? tokens() : Promise.resolve()).then(function () {
          if (opener !== link || document.activeElement !== focusAtClick) return;
          var empty = IDENTITY_FIELDS
            .map(function (field) {
              return form.elements.namedItem(field);
            })
            .filter(function (input) {
              return input && !input.value;
            });
          var field = empty[0] || form.elements.namedItem("body");
          if (field) field.focus();
        });
      });
    });
    cancel.addEventListener("click", close);
    // "Add your answer" (the story's question for readers) asks for a new comment: a reply
    // opened meanwhile closes first, or the answer went under another reader's comment.
    document.querySelectorAll(".readers-question-answer a").forEach(function (answer) {
      answer.addEventListener("click", function (event) {
        if (!opener || opensElsewhere(event)) return;
        event.preventDefault();
        opener = null; // the reader goes on to the form, not back to the Reply they pressed
        close();
        form.scrollIntoView();
      });
    });
    replyOpeners.set(form, function (id) {
      var link = Array.prototype.find.call(links, function (candidate) {
        return candidate.getAttribute("data-reply-to") === id;
      });
      if (link) openUnder(link);
      return Boolean(link);
    });

    // A page drawn to answer a comment (the link followed before this ran, or errors in a reply).
    if (parent.value) {
      var link = document.querySelector('a[data-reply-to="' + parent.value + '"]');
      if (link) {
        openUnder(link);
        if (window.location.hash === "#comment-form") form.scrollIntoView();
      }
    }
  }

  // "Report" opens the page's one report form right under that comment, pointed at it. Without
  // this, the link opens the report page (a form of the reader's own).
  function enhanceReports(form) {
    var opener = null;
    var words = form.elements.namedItem("text");
    var error = null;

    // "Something else" needs words: said beside the box before sending, where the reader is,
    // rather than by the report page the site answers with (the article left, focus lost).
    function wordsNeeded() {
      var reason = form.querySelector("input[name=reason]:checked");
      return Boolean(reason && reason.value === "other");
    }
    function markWords() {
      words.setAttribute("aria-required", String(wordsNeeded()));
      if (!error || (wordsNeeded() && !words.value.trim())) return;
      error.remove();
      error = null;
      words.classList.remove("is-invalid");
      words.removeAttribute("aria-invalid");
      words.removeAttribute("aria-describedby");
    }
    function askForWords() {
      if (!error) {
        error = document.createElement("div");
        error.className = "invalid-feedback d-block";
        error.id = "report-text-error";
        error.setAttribute("role", "alert");
        words.after(error);
      }
      error.textContent = words.getAttribute("data-words-needed");
      words.classList.add("is-invalid");
      words.setAttribute("aria-invalid", "true");
      words.setAttribute("aria-describedby", error.id);
      words.focus();
    }

    function close() {
      form.hidden = true;
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
      opener = null;
    }

    // Links say they open something, before the first press too.
    document.querySelectorAll("a.comment-report-link").forEach(function (link) {
      link.setAttribute("aria-controls", form.id);
      link.setAttribute("aria-expanded", "false");
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.comment-report-link");
      var comment = link && link.closest(".comment");
      if (!comment) return;
      // A new tab or window gets the report page, as the link says.
      if (opensElsewhere(event)) return;
      event.preventDefault();
      if (opener === link) return close();
      if (opener) opener.setAttribute("aria-expanded", "false");
      // One reader's choice for one comment never carries over to another; closed and opened
      // again on the same comment, it is still there (an Escape pressed by mistake costs nothing).
      if (form.action !== link.href) form.reset();
      markWords();
      form.action = link.href;
      comment.appendChild(form);
      form.hidden = false;
      link.setAttribute("aria-expanded", "true");
      opener = link;
      form.querySelector("input[name=reason]").focus();
    });
    form.querySelector("[data-report-cancel]").addEventListener("click", close);
    form.addEventListener("change", markWords);
    form.addEventListener("input", markWords);
    form.addEventListener("submit", function (event) {
      if (!wordsNeeded() || words.value.trim()) return;
      event.preventDefault();
      askForWords();
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  // Shared pages carry no per-reader token: when a reader starts writing, ask for this
  // reader's CSRF token and start time (a tiny uncached request) and put them in the form,
  // with a signed-in reader's name and address.
  // Without this, the first send comes back with them filled in, to send once more.
  function enhanceCommentForm(form) {
    var url = form.getAttribute("data-token-url");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var started = form.querySelector("input[name=started]");
    if (!url || !token || !started) return;
    var pending = null;
    // The site refuses a comment sent sooner than this after its start time ("That was
    // quick!"), against robots: a reader whose browser filled the fields in and who pasted
    // their text could press Send sooner. The form waits out the rest instead (a robot
    // without the script still meets the refusal). A start time drawn with the page counts
    // from now: later than the site's, so never too soon.
    var minSeconds = Number(form.getAttribute("data-min-seconds")) || 0;
    var startedAt = started.value ? Date.now() : 0;
    function secondsLeft() {
      return startedAt ? Math.max(0, startedAt + minSeconds * 1000 + 250 - Date.now()) : 0;
    }
    function fetchTokens() {
      if (token.value) return Promise.resolve();
      if (!pending) {
        pending = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .then(function (data) {
            token.value = data.csrfmiddlewaretoken;
            started.value = data.started;
            startedAt = Date.now();
            // A signed-in reader's name and address, where they have typed nothing yet.
            IDENTITY_FIELDS.forEach(function (field) {
              var input = form.elements.namedItem(field);
              if (input && !input.value && data[field]) input.value = data[field];
            });
          })
          .catch(function () {
            pending = null; // the plain post still works: it comes back to send once more
          });
      }
      return pending;
    }
    formTokens.set(form, fetchTokens);
    form.addEventListener("focusin", fetchTokens);
    // A double click sends once: a second post would replace the first one's answer (the
    // success and the status link) with "you have already sent this". Not for ever, though: a
    // post the reader stopped can be sent again.
    var sentAt = 0;
    var holding = false; // waiting for the tokens or the seconds: sent once they are there
    var presses = 0; // a wait left by Back (the page frozen meanwhile) sends nothing on its own
    var parent = form.elements.namedItem("parent");
    var answering = null; // what the waiting text answers ("" the article), when one waits
    var saidStopped = false;

    // "Cancel reply" (or another Reply) during the wait: the reader changed what this text
    // answers, so it is not sent as something else. The wait ends at once (Send works again,
    // for what the form now answers), the text stays, and the form says it was not sent: the
    // reader pressed Send and believes it went.
    function stopIfMoved() {
      if (!holding || !parent || parent.value === answering) return false;
      holding = false;
      presses += 1;
      sentAt = 0;
      saidStopped = true;
      say(
        form,
        parent.value
          ? "Your comment was not sent: you chose another comment to reply to. " +
              "Your text is kept here."
          : "Your comment was not sent: you cancelled the reply. Your text is kept here."
      );
      return true;
    }
    // What was said of a stopped send goes with the next move or press: "you cancelled the
    // reply" under "Reply to" another reader would be stale.
    function unsayStopped() {
      if (saidStopped) say(form, "");
      saidStopped = false;
    }
    form.addEventListener("comment-form-moved", function () {
      if (!stopIfMoved()) unsayStopped();
    });
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return; // refused before it goes (a report without its words)
      if (holding || Date.now() - sentAt < 5000) {
        event.preventDefault();
        return;
      }
      unsayStopped();
      sentAt = Date.now();
      if (token.value && !secondsLeft()) return;
      event.preventDefault();
      holding = true;
      var press = ++presses;
      answering = parent ? parent.value : null;
      fetchTokens()
        .then(function () {
          return new Promise(function (resolve) {
            window.setTimeout(resolve, secondsLeft());
          });
        })
        .then(function () {
          if (press !== presses || stopIfMoved()) return;
          holding = false;
          sentAt = Date.now(); // the double-click guard counts from the post itself
          form.submit();
        });
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      // Back on this page: it may be sent again at once, and a wait it left sends nothing.
      sentAt = 0;
      holding = false;
      presses += 1;
    });
  }


  // A form sent back with errors starts the reader at its summary (comments/error_summary.html):
  // not every screen reader reads out an alert that came with the page, and a keyboard's next
  // Tab goes from there to the links to the fields.
  function focusErrorSummary() {
    var summary = document.getElementById("comment-form-errors");
    if (!summary) return;
    summary.focus();
    // The page was sent to #comment-form, and once its styles are in, Chromium and Safari land
    // there by taking focus from whatever has it (the form cannot take it): land on the summary
    // instead, which they then focus themselves. Replaced, so Back does not stop at it.
    if (window.location.hash === "#comment-form") window.location.replace("#comment-form-errors");
  }

  // After posting, what the reader was told ("Comment sent successfully!", the status link)
  // takes focus, for the reason above: its status region came with the page, so it is not
  // always read out. Again once the page has loaded: landing on #comments, which cannot take
  // focus, Chromium and Safari take it from whatever has it.
  function focusCommentMessages() {
    var box = document.querySelector("#comments .messages");
    if (!box || document.getElementById("comment-form-errors")) return;
    box.setAttribute("tabindex", "-1");
    // Where the page landed (the top of the comments, the message first) stays.
    box.focus({ preventScroll: true });
    window.addEventListener("load", function () {
      if (document.activeElement === document.body) box.focus({ preventScroll: true });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The report form's own check first: a report it stops is not a send the token wait holds.
    document.querySelectorAll("form#report-form").forEach(enhanceReports);
    document.querySelectorAll("form[data-token-url]").forEach(enhanceCommentForm);
    document.querySelectorAll("form#comment-form").forEach(enhanceReplies);
    // comments-writing.js's: the draft first (a reply's under its comment), then the count.
    formExtensions.forEach(function (extension) {
      document.querySelectorAll("form#comment-form").forEach(function (form) {
        extension(form, replyOpeners.get(form));
      });
    });
    focusErrorSummary(); // once a reply's form is under its comment
    focusCommentMessages();
  });
})();
