// Moderation queue cards that changed while the moderator read them: words their author edited
// (a decision's answer brings the new ones), a preset reason deleted, and comments another
// moderator decided (asked for).
// Loaded after moderation.js, which calls this with the queue once the page is read.
(function () {
  "use strict";

  // The site's answer to a question of the desk (meanwhile_view), or null: a check missed (the
  // connection, a login lapsed) is asked again next time. Shared with moderation-count.js.
  function askJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        return response.ok && type.indexOf("application/json") !== -1 ? response.json() : null;
      })
      .catch(function () {
        return null;
      });
  }
  window.moderationQueue.askJson = askJson;

  window.moderationQueue.extensions.push(function (queue) {
    var touches = 0; // moves made here: an answer asked before one is not about its card

    queue.touch = function (row) {
      row.touched = ++touches;
    };

    // Edited by its author after the moderator read it: the new words, open again.
    queue.edited = function (row, body) {
      var text = row.querySelector(".queue-body");
      var seen = row.querySelector(".queue-seen");
      // Drawn by the site as the card was (escaped there, links and words marked).
      if (text) text.innerHTML = body.body_html;
      if (seen) seen.value = body.revision;
      var edit = row.querySelector(".queue-edit");
      if (edit && body.edit_html) {
        edit.innerHTML =
          '<span class="queue-label">Edited by its author</span> <bdi>' + body.edit_html + '</bdi>';
        edit.hidden = false;
      }
      var held = row.querySelector(".queue-held");
      if (held && body.held_because) {
        // Why the new words are held: the card listed why the old ones were.
        var list = held.querySelector("ul");
        list.textContent = "";
        body.held_because.forEach(function (reason) {
          var item = document.createElement("li");
          item.textContent = reason;
          list.appendChild(item);
        });
        held.hidden = body.held_because.length === 0;
      }
      queue.reopen(row);
    };

    // A preset reason deleted meanwhile, refused: off every card's choices and no longer chosen
    // anywhere, so no card sends it only to be refused again; the next press goes with words
    // typed or another preset. Hidden, not removed: the others keep their places, which the
    // keys 1-9 choose (moderation-keys.js). An open card it was chosen on says why the choice
    // went; the refused card already says it.
    var PRESET_GONE =
      "The preset reason chosen here was deleted meanwhile: choose another, or type your own " +
      "words.";
    function dropPreset(refused, pk) {
      queue.rows.forEach(function (row) {
        var preset = row.querySelector(".queue-preset");
        if (!preset) return;
        Array.prototype.forEach.call(preset.options, function (option) {
          if (option.value !== pk) return;
          option.hidden = true;
          option.disabled = true;
        });
        if (preset.value !== pk) return;
        preset.value = "";
        if (row !== refused && queue.open(row)) queue.outcome(row, PRESET_GONE, true);
      });
    }

    // A Reported card's take-down brings down its reported replies, their reports upheld:
    // their cards close with it (and open again with its Undo, moderation-undo.js).
    var decided = queue.decided;
    queue.decided = function (row, answer) {
      decided(row, answer);
      if (typeof answer.body.reason === "string") {
        // A reason refused for the erased address it named: back without it, to send again
        // (the card open again, as for any reason refused: moderation.js).
        var box = row.querySelector(".queue-reason");
        var preset = row.querySelector(".queue-preset");
        if (box) box.value = answer.body.reason;
        if (preset) preset.value = "";
      }
      if (answer.body.preset_gone) dropPreset(row, String(answer.body.preset_gone));
      (answer.body.with_it || []).forEach(function (pk) {
        var reply = document.getElementById("queue-" + pk);
        if (!reply || !queue.open(reply)) return;
        if (reply === queue.rejecting()) queue.stopRejecting();
        reply.classList.add("is-decided");
        queue.touch(reply);
        queue.outcome(reply, "Taken down with the comment it answers: its reports upheld.");
        row.closedWithIt = (row.closedWithIt || []).concat(reply);
        if (reply === queue.current()) queue.select(queue.step(1, true) || queue.step(-1, true));
      });
    };

    // Cards another moderator decided go stale on this screen: when the tab is seen again, and
    // every 30 s while it is, the site is asked (one query) which of the open cards were
    // decided meanwhile (on the Reported queue, whose reports were), and those close with who
    // decided what. The address names the queue: ?queue=pending or reported.
    // The same question asks, at most once a minute, how many comments joined the queue since
    // the page was drawn (data-drawn-at: sent, or reported): moderation-count.js tells them.
    var meanwhileUrl = queue.table.getAttribute("data-meanwhile-url");
    var drawnAt = queue.table.getAttribute("data-drawn-at");
    var arrivalsAsked = Date.now();
    function checkMeanwhile() {
      if (!meanwhileUrl || document.visibilityState !== "visible") return;
      var shown = queue.rows.filter(queue.open);
      var arrivals = !!drawnAt && Date.now() - arrivalsAsked >= 60000;
      if (!shown.length && !arrivals) return;
      var asked = touches;
      var query = shown.map(function (row) {
        return "pk=" + encodeURIComponent(row.getAttribute("data-pk"));
      });
      if (arrivals) {
        arrivalsAsked = Date.now();
        query.push("since=" + encodeURIComponent(drawnAt));
      }
      askJson(meanwhileUrl + "&" + query.join("&"))
        .then(function (body) {
          if (!body) return;
          if (typeof body.arrived === "number" && queue.arrived) queue.arrived(body.arrived);
          var closed = 0;
          shown.forEach(function (row) {
            var said = body.decided[row.getAttribute("data-pk")];
            // Decided or reopened here since the question: this screen's own answer stands.
            if (!said || !queue.open(row) || (row.touched || 0) > asked) return;
            if (row === queue.rejecting()) queue.stopRejecting();
            row.classList.add("is-decided");
            queue.outcome(row, said);
            closed += 1;
            if (row === queue.current()) queue.select(queue.step(1, true) || queue.step(-1, true));
          });
          if (!closed) return;
          // Said too, not only shown: a screen reader hears it, as it hears a decision.
          queue.say(
            closed === 1
              ? "A comment on this page was decided meanwhile: its card says by whom."
              : closed + " comments on this page were decided meanwhile: their cards say by whom."
          );
          // The page's last cards decided by others: the way on is offered as after one's own.
          if (!queue.busy()) queue.settled(!queue.rows.some(queue.open));
        })
        .catch(function () {}); // a check missed: the next one asks again
    }
    document.addEventListener("visibilitychange", checkMeanwhile);
    window.setInterval(checkMeanwhile, 30000);
  });
})();
