// A story's picture chosen with no alt text came back refused ("Describe the image…") without
// the picture (a browser cannot show a chosen file again): an editor who then typed the words
// and saved published the story without it. The browser asks for them before sending.
(function () {
  "use strict";

  var ASK =
    "Describe the image for readers who cannot see it (alt text): the picture you chose " +
    "is kept until you save.";

  document.addEventListener("submit", function (event) {
    var picture = event.target.querySelector("#id_hero_image");
    var alt = event.target.querySelector("#id_hero_alt");
    if (!picture || !alt || !picture.files.length || alt.value.trim()) return;
    event.preventDefault();
    alt.setCustomValidity(ASK);
    alt.reportValidity(); // the admin's forms say novalidate: asked here, once
    alt.focus();
    alt.addEventListener("input", function () { alt.setCustomValidity(""); }, { once: true });
  });
})();
