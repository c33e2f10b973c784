// The moderation queue's list of keys (?), a dialog: opened with ?, closed with its button or
// Esc (the dialog's own). Loaded after moderation.js, which calls this with the queue.
(function () {
  "use strict";

  window.moderationQueue.extensions.push(function (queue) {
    var help = document.getElementById("queue-keys");
    if (!help) return;
    queue.keys["?"] = function () {
      help.showModal();
    };
    help.querySelector(".queue-keys-close").addEventListener("click", function () {
      help.close();
    });
  });
})();
