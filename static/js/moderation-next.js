// The end of a queue page: once every card on it is decided (here, or by others meanwhile), the
// way on is offered, and taken when the moderator asks (n, or the button), not as the last
// answer arrives, so the last card's Undo can still be seen and used. With pages after this one
// it is the next comments; on the last page, the queue again from its first page (comments
// sent since, and any left undecided on earlier pages). Loaded after moderation.js.
(function () {
  "use strict";

  window.moderationQueue.extensions.push(function (queue) {
    // Only a later page counts: the comments decided here leave the queue, and those of the
    // next page move up onto this one. (From the last page, the earlier ones are still linked.)
    var later = !!document.querySelector(".paginator .this-page ~ a:not(.showall)");
    var reported = queue.table.getAttribute("data-queue") === "reported";
    var label = later ? "Next page" : reported ? "Check for new reports" : "Check for new comments";
    var next = document.createElement("div");
    next.className = "queue-next";
    next.hidden = true;
    if (!later) {
      var done = document.createElement("p");
      done.className = "queue-caught-up";
      done.textContent =
        "All caught up. Press n (or the button) to see what waits now, new " +
        (reported ? "reports" : "comments") +
        " included; u undoes the last decision first.";
      next.appendChild(done);
    }
    var button = document.createElement("button");
    button.type = "button"; // never the change list's form
    button.className = "button default";
    button.textContent = label;
    next.appendChild(button);
    // Under the last card, where the moderator's eyes are when the page is done.
    queue.table.closest(".results").after(next);

    function go() {
      if (next.hidden) return; // a decision or an undo still on its way
      if (later) {
        window.location.reload(); // this page's address: the next comments are on it now
        return;
      }
      // This page may be gone (its comments decided): the first one, same search and filters.
      var url = new URL(window.location.href);
      url.searchParams.delete("p");
      window.location.assign(url.toString());
    }

    queue.settled = function (done) {
      next.hidden = !done;
      if (!done) return;
      var said = document.querySelector(".queue-status").textContent;
      // After the last decision's own words, which the status line would otherwise lose.
      queue.say(
        (said ? said + " " : "") +
          "Every comment on this page is decided." +
          (later
            ? " Press n (or Next page) for the next comments; u undoes the last decision first."
            : "")
      );
      // The keyboard goes on from the button (Enter, or n), unless it is busy elsewhere.
      var active = document.activeElement;
      if (!active || active === document.body || queue.table.contains(active)) {
        button.focus({ preventScroll: true });
      }
      next.scrollIntoView({ block: "nearest" });
    };

    queue.keys.n = function () {
      if (next.hidden) {
        queue.say(
          later
            ? "n brings the next page once every comment on this one is decided."
            : "n checks for new " +
              (reported ? "reports" : "comments") +
              " once every comment on this page is decided."
        );
      } else {
        go();
      }
    };

    button.addEventListener("click", go);
  });
})();
