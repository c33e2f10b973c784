// Undo on a decided card of the moderation queue (and the u key): the decision undone where it
// was made, as WordPress's "Undo" does, not from the comment's own page. Loaded after
// moderation.js, which calls this with the queue once the page is read.
(function () {
  "use strict";

  window.moderationQueue.extensions.push(function (queue) {
    // A decided card's Undo names the decision it undoes: the site undoes only that one. On
    // the Reported queue, a Take down or a Dismiss: the comment and its reports as they were.
    var UNDOABLE = {
      approved: true,
      rejected: true,
      spam: true,
      "taken-down": true,
      dismissed: true,
    };
    var UNDONE = { requeued: true, undone: true }; // the site's words for "done"
    var undoable = []; // the cards Undo is offered on, the last decided last

    // On the decided card, after its outcome.
    function offerUndo(row, decided) {
      if (!row.getAttribute("data-requeue-url")) return;
      row.setAttribute("data-decided", decided);
      var undo = document.createElement("button");
      undo.type = "button"; // never the change list's form: the script sends it
      undo.className = "button queue-undo";
      undo.textContent = "Undo";
      // Beside the outcome, not in it: the words stay the site's answer alone.
      row.querySelector(".queue-outcome").after(undo);
      undoable.push(row);
    }

    // Back in the queue, undecided, through the site's "Back to the queue" (which takes the
    // comment off the page if the decision had published it), or, on the Reported queue, the
    // comment and its reports as they stood before the Take down or Dismiss: only while this
    // moderator's decision stands. One decided again since by another is theirs: the site says so.
    function undo(row) {
      var decided = row.getAttribute("data-decided");
      if (!decided) return;
      row.removeAttribute("data-decided");
      queue.touch(row);
      row.querySelector(".queue-undo").remove();
      undoable = undoable.filter(function (other) {
        return other !== row;
      });
      var data = new FormData();
      data.append("csrfmiddlewaretoken", queue.tokenField ? queue.tokenField.value : "");
      data.append("decided-" + row.getAttribute("data-pk"), decided);
      queue.outcome(row, "Undoing…");
      // After the decision it undoes, in the same line of posts.
      queue.inLine(
        row.getAttribute("data-requeue-url"),
        data,
        function (answer) {
          var message = answer.body.message || "The site answered HTTP " + answer.status + ".";
          var refused = !UNDONE[answer.body.outcome]; // decided again by another: theirs
          if (!refused) {
            message = "Undone: " + message;
            row.classList.remove("is-decided");
            // Its reported replies, taken down with it, are up again, their reports open.
            (row.closedWithIt || []).forEach(function (reply) {
              reply.classList.remove("is-decided");
              queue.touch(reply);
              queue.outcome(reply, "Up again with the comment it answers, its reports open.");
            });
            row.closedWithIt = [];
            queue.select(row); // asked for: decided again from here
          }
          queue.outcome(row, message, refused);
          queue.say(message, refused);
        },
        function (error) {
          var text =
            error instanceof queue.NotTaken ? error.message : "the answer could not be read.";
          queue.outcome(row, "Not undone: " + text, true);
          offerUndo(row, decided); // the decision stands: Undo again when it can be sent
          queue.say("Not undone: " + text, true);
        }
      );
    }

    queue.decided = function (row, answer) {
      if (answer.status === 200 && UNDOABLE[answer.body.outcome]) {
        offerUndo(row, answer.body.outcome);
      }
    };

    queue.keys.u = function () {
      // The selected card's decision, else the last one made.
      var current = queue.current();
      var chosen = current && current.getAttribute("data-decided") ? current : null;
      chosen = chosen || undoable[undoable.length - 1];
      // Else a bulk action's, or a take-down's from a comment's page: its message's Undo
      // (comments/admin_undo.py), the last decision made before this page.
      var made = document.querySelector(".messagelist .undo-form");
      if (chosen) undo(chosen);
      else if (made) made.requestSubmit();
      else queue.say("Nothing to undo: no decision made on this page is waiting to be undone.");
    };

    queue.table.addEventListener("click", function (event) {
      var undoButton = event.target.closest(".queue-undo");
      if (undoButton) undo(undoButton.closest(".queue-row"));
    });
  });
})();
