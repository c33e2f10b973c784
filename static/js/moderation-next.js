// The end of a queue page with pages after it: the next comments come when the moderator asks
// (n, or the "Next page" button), not as the last answer arrives, so the last card's Undo can
// still be seen and used. Loaded after moderation.js, which calls this with the queue.
(function () {
  "use strict";

  window.moderationQueue.extensions.push(function (queue) {
    // Only a later page counts: the comments decided here leave the queue, and those of the
    // next page move up onto this one. (From the last page, the earlier ones are still linked.)
    if (!document.querySelector(".paginator .this-page ~ a:not(.showall)")) return;
    var next = document.createElement("p");
    next.className = "queue-next";
    next.hidden = true;
    var button = document.createElement("button");
    button.type = "button"; // never the change list's form
    button.className = "button default";
    button.textContent = "Next page";
    next.appendChild(button);
    // Under the last card, where the moderator's eyes are when the page is done.
    queue.table.closest(".results").after(next);

    function go() {
      if (next.hidden) return; // a decision or an undo still on its way
      window.location.reload(); // this page's address: the next comments are on it now
    }

    queue.settled = function (done) {
      next.hidden = !done;
      if (!done) return;
      queue.say(
        document.querySelector(".queue-status").textContent +
          " Press n (or Next page) for the next comments; u undoes the last decision first."
      );
      next.scrollIntoView({ block: "nearest" });
    };

    queue.keys.n = function () {
      if (next.hidden) {
        queue.say("n brings the next page once every comment on this one is decided.");
      } else {
        go();
      }
    };

    button.addEventListener("click", go);
  });
})();
