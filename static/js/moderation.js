// The moderation queue, faster: keys (j/k, a, d then 1-9 or words and Enter, s, u, o) and
// decisions sent without a reload. Only an enhancement: every button posts the page's form
// without it. Undo (moderation-undo.js), the cards others decided (moderation-meanwhile.js), the
// page's end (moderation-next.js) and the ? list (moderation-help.js) load after this file and
// add to the queue through window.moderationQueue, its one global.
(function () {
  "use strict";

  // Each is called with the queue (below) once the page is read, before a card is selected.
  var extensions = [];
  window.moderationQueue = { extensions: extensions };

  function start() {
    var table = document.querySelector("#result_list.moderation-queue");
    var form = document.getElementById("changelist-form");
    if (!table || !form) return;
    var tokenField = form.querySelector("input[name=csrfmiddlewaretoken]");
    var status = document.querySelector(".queue-status");
    var help = document.getElementById("queue-keys");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody .queue-row"));
    var onPage = rows
      .map(function (row) {
        return row.getAttribute("data-pk");
      })
      .join(" ");
    var current = null;
    var rejecting = null;
    var inFlight = 0;
    var sending = Promise.resolve();
    var REJECT_PROMPT =
      "Reject: press 1–9 for a preset reason, or type one and press Enter (Esc cancels).";
    var CONNECTION_LOST = "Not sent: check the connection and try again.";
    var GAVE_REASON =
      "Not approved: a reason for rejecting is given on this comment. Press Reject to send " +
      "it, or clear the reason to approve.";
    var SIGNED_OUT =
      "Your session has ended or you may no longer moderate: sign in again (reload the page), " +
      "then decide again.";

    // A decision the site did not take (no connection, signed out, refused): the card opens
    // again with this text. Told apart by its type, not by its words.
    function NotTaken(message) {
      this.name = "NotTaken";
      this.message = message;
    }
    NotTaken.prototype = Object.create(Error.prototype);
    NotTaken.prototype.constructor = NotTaken;

    function open(row) {
      return !row.classList.contains("is-decided");
    }

    // The selected card, as the eye and a screen reader see it.
    function mark(row) {
      if (current) {
        current.classList.remove("is-selected");
        current.removeAttribute("aria-current");
      }
      current = row;
      if (!row) return;
      row.classList.add("is-selected");
      row.setAttribute("aria-current", "true");
    }

    function select(row, atLoad) {
      mark(row);
      if (!row) return;
      row.querySelector(".queue-item").focus({ preventScroll: true });
      var box = row.getBoundingClientRect();
      // A page opens at its top (the tabs, the search) while its first card starts on screen.
      var below = atLoad ? box.top > window.innerHeight : box.bottom > window.innerHeight;
      if (box.top < 0 || below) {
        row.scrollIntoView({ block: box.height > window.innerHeight ? "start" : "nearest" });
      }
    }

    function step(direction, onlyOpen) {
      var index = rows.indexOf(current);
      for (var i = index + direction; i >= 0 && i < rows.length; i += direction) {
        if (!onlyOpen || open(rows[i])) return rows[i];
      }
      return null;
    }

    // A problem (a decision not taken, refused) is told apart from an outcome by its colour.
    function say(text, problem) {
      status.textContent = text; // drawn with the queue, always
      status.classList.toggle("is-problem", !!problem);
    }

    function outcome(row, text, problem) {
      var line = row.querySelector(".queue-outcome");
      if (!line) {
        line = document.createElement("p");
        line.className = "queue-outcome";
        row.querySelector(".queue-item").appendChild(line);
      }
      line.textContent = text;
      line.classList.toggle("is-problem", !!problem);
    }

    function stopRejecting() {
      if (!rejecting) return;
      rejecting.classList.remove("is-rejecting");
      rejecting = null;
      if (status && status.textContent === REJECT_PROMPT) say("");
    }

    // The box that 1–9 and Enter are typed into while rejecting: the keys count only there.
    function rejectingBox() {
      return rejecting && rejecting.querySelector(".queue-reason");
    }

    // The site's answer: JSON (a decision, or a refusal with its message, whatever the status),
    // else the admin's login page (the session ended) or an error page, which decide nothing.
    function read(response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== -1) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      }
      if (response.redirected) throw new NotTaken(SIGNED_OUT);
      if (response.status === 401 || response.status === 403) {
        throw new NotTaken("The site refused this decision (HTTP " + response.status + ").");
      }
      throw new NotTaken(
        "Not taken: the site answered HTTP " + response.status + ". Try again, or reload the page."
      );
    }

    function post(url, data) {
      return fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).catch(function () {
        throw new NotTaken(CONNECTION_LOST); // no answer at all
      });
    }

    // Sent at once and the next comment selected before the answer: a moderator never waits.
    function send(row, button, fields) {
      if (!button || !open(row)) return;
      if (button.getAttribute("data-action") === "approve" && Object.keys(fields).length) {
        // Words typed (or a preset chosen) for a rejection never publish the comment.
        outcome(row, GAVE_REASON, true);
        say(GAVE_REASON, true);
        return;
      }
      stopRejecting();
      var data = new FormData();
      data.append("csrfmiddlewaretoken", tokenField ? tokenField.value : "");
      Object.keys(fields || {}).forEach(function (name) {
        data.append(name, fields[name]);
      });
      // The revision the moderator read: words edited since are not decided unseen.
      var seen = row.querySelector(".queue-seen");
      if (seen) data.append(seen.name, seen.value);
      data.append("on_page", onPage); // one erased since: a reason naming its address waits
      row.classList.add("is-decided");
      queue.touch(row);
      outcome(row, "Sending: " + button.textContent + "…");
      if (row === current) select(step(1, true) || step(-1, true));
      // The next selected at once, the posts in a line.
      inLine(
        button.getAttribute("formaction"),
        data,
        function (answer) {
          // Any status: 200 decided, 409 refused, 410 gone (the card stays greyed).
          var message = answer.body.message || "The site answered HTTP " + answer.status + ".";
          if (answer.body.edited) queue.edited(row, answer.body);
          // Not taken, and still to decide (a reply whose comment waits): open again.
          else if (answer.body.waiting) reopen(row);
          outcome(row, message, answer.status !== 200);
          say(message, answer.status !== 200);
          queue.decided(row, answer);
        },
        function (error) {
          var why =
            error instanceof NotTaken
              ? error.message
              : "Not taken: the site's answer could not be read. Reload the page and try again.";
          outcome(row, why, true);
          reopen(row);
          // Which comment, and where: the moderator is reading another one by now.
          var name = row.querySelector(".queue-head a").textContent;
          var where = rows.indexOf(row) < rows.indexOf(current) ? "above (k)" : "below (j)";
          where = row === current ? "." : ", " + where + ".";
          say(why + " The comment by " + name + " is open again" + where, true);
        }
      );
    }

    // One post at a time, in the order given, each after the answer to the one before.
    function inLine(url, data, answered, failed) {
      inFlight += 1;
      queue.settled(false);
      sending = sending
        .then(function () {
          return post(url, data);
        })
        .then(read)
        .then(answered)
        .catch(failed)
        .then(function () {
          inFlight -= 1;
          if (!inFlight) queue.settled(!rows.some(open));
        });
    }

    // A card open again (its decision not taken, or its words edited since): selected only if
    // the moderator has nothing else selected. An answer comes while they read the next card;
    // taking the selection back then would send their next key to this one, unread.
    function reopen(row) {
      row.classList.remove("is-decided");
      if (!current || !open(current)) select(row);
    }

    function button(row, action) {
      return row.querySelector('button[data-action="' + action + '"]');
    }

    function reasonFields(row) {
      var pk = row.getAttribute("data-pk");
      var fields = {};
      var typed = row.querySelector(".queue-reason");
      var preset = row.querySelector(".queue-preset");
      if (typed && typed.value.trim()) fields["reason-" + pk] = typed.value.trim();
      if (preset && preset.value) fields["preset-" + pk] = preset.value;
      return fields;
    }

    function startRejecting(row) {
      var input = row.querySelector(".queue-reason");
      if (!input) return;
      rejecting = row;
      row.classList.add("is-rejecting");
      say(REJECT_PROMPT);
      input.focus();
    }

    function rejectWithPreset(row, number) {
      var preset = row.querySelector(".queue-preset");
      var option = preset && preset.options[number]; // option 0 is "Reason…"
      if (!option) return false;
      var fields = {};
      fields["preset-" + row.getAttribute("data-pk")] = option.value;
      send(row, button(row, "reject"), fields);
      return true;
    }

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (help && help.open) return;
      if (event.isComposing) return; // an input method's Enter picks a word, it sends nothing
      // A key held down repeats: it may move through the cards, never decide one after another.
      if (event.repeat && event.key !== "j" && event.key !== "k") return;
      var key = event.key;
      var target = event.target;
      // Focus went elsewhere (the search box, another card): reject mode is over, the key is
      // that place's own.
      if (rejecting && target !== rejectingBox()) stopRejecting();
      if (rejecting) {
        var input = rejectingBox();
        if (key === "Escape") {
          event.preventDefault();
          stopRejecting();
          input.blur();
          select(current);
          say("");
        } else if (key === "Enter") {
          event.preventDefault();
          send(rejecting, button(rejecting, "reject"), reasonFields(rejecting));
        } else if (/^[1-9]$/.test(key) && !input.value) {
          event.preventDefault();
          rejectWithPreset(rejecting, Number(key));
        }
        return;
      }
      // A card's own reason box: Enter rejects that comment with the words typed (as d, words
      // and Enter do), and never submits the change list's form, words or none.
      var row = target.closest && target.closest(".queue-row");
      if (key === "Enter" && row && target.matches(".queue-reason") && button(row, "reject")) {
        event.preventDefault();
        if (target.value.trim()) send(row, button(row, "reject"), reasonFields(row));
        return;
      }
      // A reported card's box holds the take-down's reason: Enter there decides nothing (a
      // take-down is not undone by a stray key), and never reloads the page with the words.
      if (key === "Enter" && row && target.matches(".queue-reason")) {
        event.preventDefault();
        say("Press the Take down button to send this reason, or Dismiss to keep the comment up.");
        return;
      }
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
      var actions = { a: "approve", s: "spam", t: "take-down", x: "dismiss" };
      if (key === "j" || key === "k") {
        event.preventDefault();
        select(step(key === "j" ? 1 : -1, false) || current);
      } else if (current && actions[key] && button(current, actions[key])) {
        event.preventDefault();
        send(current, button(current, actions[key]), key === "x" ? {} : reasonFields(current));
      } else if (current && key === "d" && button(current, "reject") && open(current)) {
        event.preventDefault();
        startRejecting(current);
      } else if (current && key.length === 1 && "asd".indexOf(key) >= 0 && button(current, "take-down")) {
        // Reported (hidden by its reports, or up), it is decided as a report: say which keys do.
        event.preventDefault();
        say("This comment is decided as a report: press t to take it down, or x to dismiss the reports.");
      } else if (current && key === "o") {
        event.preventDefault();
        var url = current.getAttribute("data-change-url");
        // Decisions still on their way are sent first: leaving would drop them.
        sending.then(function () {
          window.location.href = url;
        });
      } else if (queue.keys[key]) {
        event.preventDefault();
        queue.keys[key]();
      }
    });

    // A click decides the same way: no reload, the next comment selected.
    table.addEventListener("click", function (event) {
      var clicked = event.target.closest("button[data-action]");
      if (!clicked) return;
      var row = clicked.closest(".queue-row");
      event.preventDefault();
      select(row);
      var action = clicked.getAttribute("data-action");
      send(row, clicked, action === "dismiss" ? {} : reasonFields(row));
    });

    // Reject mode lasts while its box has the focus: a click or Tab elsewhere ends it. (The
    // window losing the focus keeps the box the active element, and the mode with it.)
    table.addEventListener("focusout", function (event) {
      var box = rejectingBox();
      if (!box || event.target !== box) return;
      window.setTimeout(function () {
        if (rejectingBox() === box && document.activeElement !== box) stopRejecting();
      }, 0);
    });

    table.addEventListener("focusin", function (event) {
      var row = event.target.closest(".queue-row");
      if (row && row !== current && open(row)) mark(row);
    });

    // A card's reason goes with its decision, and with "Reject selected" (each its own): not
    // the unsaved field the admin's actions script warns would be lost when Go is pressed.
    rows.forEach(function (row) {
      row.addEventListener("change", function (event) {
        if (event.target.matches(".queue-reason, .queue-preset")) event.stopPropagation();
      });
    });

    // What the other files need, and no more. current and rejecting change: read them each time.
    var queue = {
      table: table,
      rows: rows,
      tokenField: tokenField,
      current: function () {
        return current;
      },
      rejecting: function () {
        return rejecting;
      },
      NotTaken: NotTaken,
      open: open,
      select: select,
      step: step,
      say: say,
      outcome: outcome,
      stopRejecting: stopRejecting,
      inLine: inLine,
      busy: function () {
        return inFlight > 0; // a decision or an undo on its way
      },
      reopen: reopen,
      // Filled in by the other files:
      touch: function () {}, // a card decided or undone here, by this moderator
      keys: Object.create(null), // a key no branch above takes, to what it does
      decided: function () {}, // each answer to a decision sent from here, as it comes
      settled: function () {}, // false as a post goes, then (all answered) if all is decided
      edited: reopen, // a decision refused because the author edited the words since
    };
    for (var i = 0; i < extensions.length; i++) extensions[i](queue);

    select(rows.filter(open)[0] || null, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
