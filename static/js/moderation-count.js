// The list's counts ("103 results" beside the search box, "103 comments" under the list, and the
// queue's own tab and filter, "Reported (4)"), kept true as cards leave the list on
// this page: decided here, decided by others meanwhile (moderation-meanwhile.js), or back with
// an Undo. They said what the page loaded with: 103 after all fifty cards were decided. Loaded
// after moderation.js, which calls this with the queue once the page is read.
(function () {
  "use strict";

  window.moderationQueue.extensions.push(function (queue) {
    var counts = Array.prototype.slice.call(document.querySelectorAll("[data-result-count]"));
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

    function update() {
      // A closed card (decided, here or meanwhile, or deleted) has left the list; a card whose
      // decision was not taken, or was undone, is open again.
      var closed = queue.rows.filter(function (row) {
        return !queue.open(row);
      }).length;
      var left = Math.max(0, loaded - closed);
      if (left === said) return;
      said = left;
      counts.forEach(function (count) {
        var word = count.getAttribute(left === 1 ? "data-one" : "data-many");
        count.textContent = left + " " + word;
      });
      tabs.forEach(function (link) {
        link.textContent = name + " (" + left + ")";
      });
    }

    new MutationObserver(update).observe(queue.table, {
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
  });
})();
