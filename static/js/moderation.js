// The moderation queue, faster: decisions sent without a reload, the next card selected at
// once. Only an enhancement: every button posts the page's form without it. This file holds the
// queue's state and sends the decisions; its keys and clicks (moderation-keys.js), Undo
// (moderation-undo.js), the cards others decided (moderation-meanwhile.js), the page's end
// (moderation-next.js) and the ? list (moderation-help.js) load after it and add to the queue
// through window.moderationQueue, its one global.
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
          // Any status: 200 decided, 409 refused (still to decide: open again), 410 gone.
          var message = answer.body.message || "The site answered HTTP " + answer.status + ".";
          outcome(row, message, answer.status !== 200);
          if (answer.body.edited) {
            queue.edited(row, answer.body);
            say(message, true);
          } else if (answer.body.waiting) {
            // Not taken, and still to decide (a reason refused: too long, naming an erased
            // address, its preset deleted; a reply whose comment waits): open again, the words
            // typed still in their box, for the next press.
            openAgain(row, message);
          } else {
            say(message, answer.status !== 200);
          }
          queue.decided(row, answer);
        },
        function (error) {
          var why =
            error instanceof NotTaken
              ? error.message
              : "Not taken: the site's answer could not be read. Reload the page and try again.";
          outcome(row, why, true);
          openAgain(row, why);
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

    // Open again after its answer, told in the status line: which comment, and where, as the
    // moderator is reading another one by now.
    function openAgain(row, why) {
      reopen(row);
      var name = row.querySelector(".queue-head a").textContent;
      var where = rows.indexOf(row) < rows.indexOf(current) ? "above (k)" : "below (j)";
      where = row === current ? "." : ", " + where + ".";
      say(why + " The comment by " + name + " is open again" + where, true);
    }

    function startRejecting(row) {
      var input = row.querySelector(".queue-reason");
      if (!input) return;
      rejecting = row;
      row.classList.add("is-rejecting");
      say(REJECT_PROMPT);
      input.focus();
    }

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
      startRejecting: startRejecting,
      rejectingBox: rejectingBox,
      mark: mark,
      send: send,
      inLine: inLine,
      afterSending: function (then) {
        sending.then(then); // the decisions on their way answered first
      },
      busy: function () {
        return inFlight > 0; // a decision or an undo on its way
      },
      reopen: reopen,
      // Filled in by the other files:
      touch: function () {}, // a card decided or undone here, by this moderator
      keys: Object.create(null), // a key moderation-keys.js's own do not take, to what it does
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
