// A story's picture chosen with no alt text came back refused ("Describe the image…"): the
// browser asks for the words before sending, for a picture chosen now or one the form kept
// from its last post (articles/kept_pictures.py), which the editor might not have looked at.
(function () {
  "use strict";

  var ASK =
    "Describe the image for readers who cannot see it (alt text): the picture you chose " +
    "is kept until you save.";

  function hasPicture(form, picture) {
    if (picture.files.length) return true;
    var kept = form.querySelector('input[name="hero_image_kept"]');
    var dropped = form.querySelector('input[name="hero_image_kept_drop"]');
    return Boolean(kept) && !(dropped && dropped.checked);
  }

  document.addEventListener("submit", function (event) {
    var picture = event.target.querySelector("#id_hero_image");
    var alt = event.target.querySelector("#id_hero_alt");
    if (!picture || !alt || alt.value.trim() || !hasPicture(event.target, picture)) return;
    event.preventDefault();
    alt.setCustomValidity(ASK);
    alt.reportValidity(); // the admin's forms say novalidate: asked here, once
    alt.focus();
    alt.addEventListener("input", function () { alt.setCustomValidity(""); }, { once: true });
  });
})();
