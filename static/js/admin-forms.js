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

  // What the server counts against DATA_UPLOAD_MAX_MEMORY_SIZE (the body's data-max-bytes):
  // each text field's name and value in UTF-8, line breaks sent as CR LF. Over it, the story
  // was refused by an error page; the browser says so here, before anything is sent.
  function textBytes(form) {
    var encoder = new TextEncoder();
    var total = 0;
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string") return; // files are not counted
      total += encoder.encode(name).length + 2;
      total += encoder.encode(value.replace(/\r\n|\r|\n/g, "\r\n")).length;
    });
    return total;
  }

  function kilobytes(bytes) {
    return Math.ceil(bytes / 1024).toLocaleString("en") + " KB";
  }

  // As the server's refusal says sizes (Django's filesizeformat): "30.0 MB".
  function size(bytes) {
    var units = [" bytes", " KB", " MB", " GB"];
    var unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) {
      bytes /= 1024;
      unit += 1;
    }
    return (unit ? bytes.toFixed(1) : String(bytes)) + units[unit];
  }

  // A picture over IMAGE_MAX_BYTES (the field's data-max-bytes) was sent all the same: far
  // over, the proxy refused it with a bare page, and Back on a no-store admin page could bring
  // the form back empty. It is refused here, when chosen and at save, before anything is sent.
  function tooLarge(picture) {
    var limit = Number(picture.dataset.maxBytes);
    var file = picture.files[0];
    if (!file || file.size <= limit) return "";
    return (
      "“" + file.name + "” is " + size(file.size) + "; a picture can be at most " +
      size(limit) + ". Save a smaller copy (4,000 pixels across is plenty) and choose that " +
      "file: nothing you typed is lost."
    );
  }

  document.addEventListener("change", function (event) {
    var picture = event.target;
    if (!picture.matches || !picture.matches("input[type=file][data-max-bytes]")) return;
    picture.setCustomValidity(tooLarge(picture));
    if (picture.validationMessage) picture.reportValidity();
  });

  document.addEventListener("submit", function (event) {
    var body = event.target.querySelector("#id_body[data-max-bytes]");
    if (!body) return;
    var limit = Number(body.dataset.maxBytes);
    var sent = textBytes(event.target);
    if (sent <= limit) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // one question at a time
    body.setCustomValidity(
      "This story is " + kilobytes(sent) + " of text; one save takes at most " +
      kilobytes(limit) + ". Shorten the body (a very long story can go out in parts), " +
      "then save: nothing you typed is lost."
    );
    body.reportValidity();
    body.focus();
    body.addEventListener("input", function () { body.setCustomValidity(""); }, { once: true });
  });

  document.addEventListener("submit", function (event) {
    var pictures = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < pictures.length; i++) {
      var said = tooLarge(pictures[i]);
      if (!said) continue;
      event.preventDefault();
      event.stopImmediatePropagation(); // its alt text is not asked for a picture refused
      pictures[i].setCustomValidity(said);
      pictures[i].reportValidity();
      pictures[i].focus();
      return;
    }
  });

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
