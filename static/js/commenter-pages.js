// A commenter's private pages (their comment's status page, its Edit page, the notices): what
// the page was drawn to tell them takes focus, as the article page's does (comments.js): the
// edit form's errors, else the message after Save ("updated", "Nothing changed"). Their alert
// or status region came with the page, so it is not always read out, and focus left on <body>
// starts a screen reader from the top of the page. Without this file, both are still at the
// top of the page's main text, the errors an alert.
(function () {
  "use strict";

  function said() {
    return document.getElementById("edit-errors") || document.querySelector("main .messages");
  }

  // A form drawn again with its errors may mark the field to mend autofocus (the report
  // page): the browser focuses it, and a message above must not take that from the reader.
  function focusChosen() {
    var active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) return true;
    return Boolean(document.querySelector("main [autofocus]"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = said();
    if (!box || focusChosen()) return;
    box.setAttribute("tabindex", "-1");
    box.focus();
    // Once its styles are in, Chromium and Safari may take focus back to the page.
    window.addEventListener("load", function () {
      if (document.activeElement === document.body) box.focus();
    });
  });
})();
