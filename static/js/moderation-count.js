// The list's counts ("103 results" beside the search box, "103 comments" under the list, and the
// queue's own tab and filter, "Reported (4)"), kept true as cards leave the list on
// this page: decided here, decided by others meanwhile (moderation-meanwhile.js), or back with
// an Undo; and up as comments are sent meanwhile (the pending queue's), said in a line above.
// They said what the page loaded with: 103 after all fifty cards were decided. Loaded after
// moderation.js, which calls this with the queue once the page is read.
(function () {
  "use strict";

  // Told politely above the cards, never pushed in among them while the moderator reads:
  // "2 new comments sent since you opened this page. Show the queue as it is now" (on the
  // Reported queue, "2 comments newly reported since ..."). The line, made hidden, and then
  // told how many (none: hidden again).
  function arrivalsLine(before) {
    var line = document.createElement("p");
    line.className = "queue-arrivals";
    line.setAttribute("role", "status");
    line.hidden = true;
    before.before(line);
    return line;
  }

  function tell(line, number, reported) {
    line.hidden = !number;
    var comments = number === 1 ? " comment" : " comments";
    line.textContent =
      number +
      (reported ? comments + " newly reported" : " new" + comments + " sent") +
      " since you opened this page. ";
    var link = document.createElement("a");
    link.href = window.location.href.split("#")[0];
    link.textContent = "Show the queue as it is now";
    line.appendChild(link);
  }

  window.moderationQueue.extensions.push(function (queue) {
    var arrived = 0; // comments sent since the page was drawn (moderation-meanwhile.js asks)
    var line = arrivalsLine(queue.table.closest(".results"));
    var reported = queue.table.getAttribute("data-queue") === "reported";
    queue.arrived = function (number) {
      if (number === arrived) return;
      arrived = number;
      tell(line, number, reported);
      if (update) update();
    };

    // Django's action bar ("0 of 6 selected") counts the cards an action may act on: the open
    // ones. It said 6 with two decided. A decided card leaves the selection, and its box cannot
    // be ticked until an Undo opens the card again: it looked tickable, and a click's tick was
    // taken back at once. ("Select all" still ticks every box, disabled or not: taken back
    // here.) Django's actions.js draws the words again from data-actions-icnt, as it does on
    // "pageshow".
    var counter = document.querySelector(".action-counter[data-actions-icnt]");
    function countOpen() {
      var open = queue.rows.filter(queue.open);
      var unticked = false;
      queue.rows.forEach(function (row) {
        var box = row.querySelector("input.action-select");
        if (!box) return;
        box.disabled = !queue.open(row);
        if (!box.checked || queue.open(row)) return;
        box.checked = false;
        row.classList.remove("selected");
        unticked = true;
      });
      if (!counter) return;
      if (unticked || counter.getAttribute("data-actions-icnt") !== String(open.length)) {
        counter.setAttribute("data-actions-icnt", open.length);
        window.dispatchEvent(new Event("pageshow"));
      }
      // Django ticks "Select all" when every box is ticked: here, every open card's.
      var all = document.getElementById("action-toggle");
      if (all) {
        all.checked = open.length > 0 && open.every(function (row) {
          var box = row.querySelector("input.action-select");
          return box && box.checked;
        });
      }
    }

    var counts = Array.prototype.slice.call(document.querySelectorAll("[data-result-count]"));
    var update = null;
    // The boxes follow the cards on any page, the counts only where the page draws them.
    new MutationObserver(function () {
      countOpen();
      if (update) update();
    }).observe(queue.table, {
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
    if (!counts.length) return;
    var loaded = Number(counts[0].getAttribute("data-result-count"));
    // The queue is the list its tab counts (under the same search): the same number. Reported
    // always says it; Pending, with the filters' "Show counts".
    var name = { pending: "Pending", reported: "Reported" }[queue.table.getAttribute("data-queue")];
    var links = document.querySelectorAll(".status-tabs a, #changelist-filter a");
    var tabs = Array.prototype.slice.call(links).filter(function (link) {
      return link.textContent.trim() === name + " (" + loaded + ")";
    });
    var said = loaded;

    update = function () {
      // A closed card (decided, here or meanwhile, or deleted) has left the list; a card whose
      // decision was not taken, or was undone, is open again.
      var closed = queue.rows.filter(function (row) {
        return !queue.open(row);
      }).length;
      var left = Math.max(0, loaded + arrived - closed);
      if (left === said) return;
      said = left;
      counts.forEach(function (count) {
        var word = count.getAttribute(left === 1 ? "data-one" : "data-many");
        count.textContent = left + " " + word;
      });
      tabs.forEach(function (link) {
        link.textContent = name + " (" + left + ")";
      });
    };
  });

  // An empty queue ("Nothing waiting", "No reports waiting") has no cards and no queue script:
  // once a minute, while the tab is seen, it asks the same question and says what joined it.
  // The moderator had to think of pressing "Check for new comments".
  function watchEmptyQueue() {
    var empty = document.querySelector(".queue-empty[data-drawn-at]");
    if (!empty) return;
    var url = empty.getAttribute("data-meanwhile-url");
    var since = "&since=" + encodeURIComponent(empty.getAttribute("data-drawn-at"));
    var reported = url.indexOf("queue=reported") !== -1;
    var line = arrivalsLine(empty);
    var asked = Date.now();
    function check() {
      if (document.visibilityState !== "visible" || Date.now() - asked < 60000) return;
      asked = Date.now();
      window.moderationQueue.askJson(url + since).then(function (body) {
        if (body && typeof body.arrived === "number") tell(line, body.arrived, reported);
      });
    }
    document.addEventListener("visibilitychange", check);
    window.setInterval(check, 15000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchEmptyQueue);
  } else {
    watchEmptyQueue();
  }
})();
