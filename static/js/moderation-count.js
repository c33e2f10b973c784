// The list's counts ("103 results" beside the search box, "103 comments" under the list, and the
// queue's own tab and filter, "Reported (4)"), kept true as cards leave the list on
// this page: decided here, decided by others meanwhile (moderation-meanwhile.js), or back with
// an Undo; and up as comments are sent meanwhile (the pending queue's), said in a line above.
// They said what the page loaded with: 103 after all fifty cards were decided. Loaded after
// moderation.js, which calls this with the queue once the page is read.
(function () {
  "use strict";

  window.moderationQueue.extensions.push(function (queue) {
    var arrived = 0; // comments sent since the page was drawn (moderation-meanwhile.js asks)
    var line = document.createElement("p");
    line.className = "queue-arrivals";
    line.setAttribute("role", "status");
    line.hidden = true;
    queue.table.closest(".results").before(line);

    // Told politely above the cards, never pushed in among them while the moderator reads:
    // "2 new comments sent since you opened this page. Show the queue as it is now" (on the
    // Reported queue, "2 comments newly reported since ...").
    queue.arrived = function (number) {
      if (number === arrived) return;
      arrived = number;
      line.hidden = !number;
      var reported = queue.table.getAttribute("data-queue") === "reported";
      var comments = number === 1 ? " comment" : " comments";
      line.textContent =
        number +
        (reported ? comments + " newly reported" : " new" + comments + " sent") +
        " since you opened this page. ";
      var link = document.createElement("a");
      link.href = window.location.href.split("#")[0];
      link.textContent = "Show the queue as it is now";
      line.appendChild(link);
      if (update) update();
    };

    var counts = Array.prototype.slice.call(document.querySelectorAll("[data-result-count]"));
    var update = null;
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

    new MutationObserver(update).observe(queue.table, {
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
  });
})();
