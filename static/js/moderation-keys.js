// The moderation queue's keys (j/k, a, d then 1-9 or words and Enter, s, t, x, o) and its
// cards' buttons, clicked: each decision goes through moderation.js (queue.send), without a
// reload. Loaded right after moderation.js, which calls this with the queue once the page is
// read; the other files' keys (u, n, ?) are in queue.keys.
(function () {
  "use strict";

  window.moderationQueue.extensions.push(function (queue) {
    var help = document.getElementById("queue-keys");
    var send = queue.send;
    var say = queue.say;
    var select = queue.select;
    var open = queue.open;

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

    function rejectWithPreset(row, number) {
      var preset = row.querySelector(".queue-preset");
      var option = preset && preset.options[number]; // option 0 is "Reason…"
      if (!option) return false;
      if (option.disabled) {
        // Its preset deleted meanwhile (moderation-meanwhile.js): not sent to be refused again.
        say(
          "Preset " + number + " was deleted meanwhile: press another number, or type your own " +
            "words.",
          true
        );
        return true;
      }
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
      if (queue.rejecting() && target !== queue.rejectingBox()) queue.stopRejecting();
      var rejecting = queue.rejecting();
      if (rejecting) {
        var input = queue.rejectingBox();
        if (key === "Escape") {
          event.preventDefault();
          queue.stopRejecting();
          input.blur();
          select(queue.current());
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
      var current = queue.current();
      var actions = { a: "approve", s: "spam", t: "take-down", x: "dismiss" };
      if (key === "j" || key === "k") {
        event.preventDefault();
        select(queue.step(key === "j" ? 1 : -1, false) || current);
      } else if (current && actions[key] && button(current, actions[key])) {
        event.preventDefault();
        send(current, button(current, actions[key]), key === "x" ? {} : reasonFields(current));
      } else if (current && key === "d" && button(current, "reject") && open(current)) {
        event.preventDefault();
        queue.startRejecting(current);
      } else if (current && key.length === 1 && "asd".indexOf(key) >= 0 && button(current, "take-down")) {
        // Reported (hidden by its reports, or up), it is decided as a report: say which keys do.
        event.preventDefault();
        say("This comment is decided as a report: press t to take it down, or x to dismiss the reports.");
      } else if (current && key === "o") {
        event.preventDefault();
        var url = current.getAttribute("data-change-url");
        // Decisions still on their way are sent first: leaving would drop them.
        queue.afterSending(function () {
          window.location.href = url;
        });
      } else if (queue.keys[key]) {
        event.preventDefault();
        queue.keys[key]();
      }
    });

    // A click decides the same way: no reload, the next comment selected.
    queue.table.addEventListener("click", function (event) {
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
    queue.table.addEventListener("focusout", function (event) {
      var box = queue.rejectingBox();
      if (!box || event.target !== box) return;
      window.setTimeout(function () {
        if (queue.rejectingBox() === box && document.activeElement !== box) queue.stopRejecting();
      }, 0);
    });

    queue.table.addEventListener("focusin", function (event) {
      var row = event.target.closest(".queue-row");
      if (row && row !== queue.current() && open(row)) queue.mark(row);
    });

    // A card's reason goes with its decision, and with "Reject selected" (each its own): not
    // the unsaved field the admin's actions script warns would be lost when Go is pressed.
    queue.rows.forEach(function (row) {
      row.addEventListener("change", function (event) {
        if (event.target.matches(".queue-reason, .queue-preset")) event.stopPropagation();
      });
    });
  });
})();
