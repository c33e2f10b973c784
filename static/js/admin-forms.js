// A form opened before its editor signed in again (Log out in another tab at the end of a
// shift, the next morning's sign-in there) carries the CSRF token that sign-in replaced: its
// save was refused, and the story typed into it lost. Sent, it carries the token the browser
// holds now (the cookie only this site's pages can read), which Django takes as it takes its own.
(function () {
  "use strict";

  document.addEventListener(
    "submit",
    function (event) {
      var field = event.target.querySelector("input[name=csrfmiddlewaretoken]");
      var cookie = document.cookie.split("; ").filter(function (pair) {
        return pair.indexOf("csrftoken=") === 0;
      })[0];
      if (field && cookie) field.value = cookie.slice("csrftoken=".length);
    },
    true
  );
})();
