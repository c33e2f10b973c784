// Progressive enhancement only: every page works without this file. The comments' own
// scripts are js/comments.js and js/comments-writing.js, on article pages.
(function () {
  "use strict";

  // "Load more": fetch the next page, append its items here, and take over its pager.
  function enhancePager(nav) {
    var next = nav.querySelector("a[data-load-more]");
    var list = document.querySelector("[data-load-more-list]");
    if (!next || !list) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary load-more";
    button.textContent = "Load more";
    next.replaceWith(button);
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Loading…";
      var placeholder = holdRoomBelow(list);
      fetch(next.href, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then(function (html) {
          // Focus follows to the new items only if the reader is still waiting at the button.
          var active = document.activeElement;
          var waiting = active === button || active === document.body;
          var doc = new DOMParser().parseFromString(html, "text/html");
          var newList = doc.querySelector("[data-load-more-list]");
          var newNav = doc.querySelector("[data-load-more-nav]");
          var first = null;
          // Headlines at this list's level (h3 under the home page's "Latest"), whatever
          // level the loaded page gave them.
          var level = list.querySelector(".article-card h2, .article-card h3");
          if (newList) {
            Array.prototype.slice.call(newList.children).forEach(function (item) {
              var adopted = document.importNode(item, true);
              if (level) matchHeadingLevel(adopted, level.tagName);
              if (!first) first = adopted;
              list.appendChild(adopted);
            });
          }
          placeholder.remove();
          if (newNav) {
            var imported = document.importNode(newNav, true);
            // The loaded page's "Previous page" points at what is already shown here: keep
            // this page's own link back (if any) instead.
            var stalePrevious = imported.querySelector("a[rel=prev]");
            var ownPrevious = nav.querySelector("a[rel=prev]");
            if (stalePrevious && ownPrevious) stalePrevious.replaceWith(ownPrevious);
            else if (stalePrevious) stalePrevious.remove();
            nav.replaceWith(imported);
            enhancePager(imported);
          }
          // Keep keyboard users where the new content starts.
          var heading = first && first.querySelector("h2 a[href], h3 a[href]");
          var link = heading || (first && first.querySelector("a[href]"));
          if (link && waiting) link.focus({ preventScroll: false });
        })
        .catch(function () {
          // Fall back to the plain link so the reader can still go on.
          placeholder.remove();
          button.replaceWith(next);
          next.textContent = "Next page";
        });
    });
  }

  // On a slow connection the next page lands after the click has stopped excusing what moves
  // (Chromium allows 500 ms): its stories would push the pager and the footer down in front of
  // the reader, a layout shift. The room is taken at once instead, while the click still
  // excuses it, and made taller than the screen (site.css): when the stories fill it, whatever
  // they push is out of sight.
  function holdRoomBelow(list) {
    var placeholder = document.createElement("div");
    placeholder.className = "load-more-placeholder";
    placeholder.textContent = "Loading more stories…";
    // For the eye: a screen reader hears "Loading…" from the button, where its focus is.
    placeholder.setAttribute("aria-hidden", "true");
    list.after(placeholder);
    return placeholder;
  }

  function matchHeadingLevel(card, tagName) {
    Array.prototype.slice.call(card.querySelectorAll("h2, h3")).forEach(function (heading) {
      if (heading.tagName === tagName) return;
      var replacement = document.createElement(tagName);
      Array.prototype.slice.call(heading.attributes).forEach(function (attribute) {
        replacement.setAttribute(attribute.name, attribute.value);
      });
      while (heading.firstChild) replacement.appendChild(heading.firstChild);
      heading.replaceWith(replacement);
    });
  }

  function enhanceCopyLinks() {
    document.querySelectorAll("[data-copy-link]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!navigator.clipboard) return;
        event.preventDefault();
        var label = link.querySelector(".share-label") || link;
        var status = document.querySelector("[data-copy-status]");
        function say(words, state) {
          label.textContent = words;
          link.classList.add(state);
          if (status) status.textContent = words;
        }
        navigator.clipboard.writeText(link.getAttribute("data-copy-link")).then(
          function () {
            say("Link copied", "is-copied");
          },
          function () {
            // Refused (a browser setting, a page not in front): the reader is told, not ignored.
            say("Could not copy: the link is in the address bar", "copy-failed");
          }
        );
      });
    });
  }

  // A follow page's feed addresses (articles/follow.html): a Copy button beside each box where
  // the browser lets a page write to the clipboard (over HTTPS); the box alone otherwise, its
  // address selected whole when it takes focus, to copy from the keyboard or the menu.
  function enhanceCopyButtons() {
    var status = document.querySelector("[data-copy-status]");
    var sizedByCss = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
    document.querySelectorAll("[data-copy-source]").forEach(function (box) {
      box.addEventListener("focus", function () {
        box.select();
      });
      if (sizedByCss) return;
      // Firefox, and Safari before 26.2: the box as tall as its address, as field-sizing draws it.
      var fit = function () {
        box.style.height = "auto";
        box.style.height = box.scrollHeight + box.offsetHeight - box.clientHeight + "px";
      };
      fit();
      window.addEventListener("resize", fit);
    });
    if (!navigator.clipboard) return;
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var box = document.getElementById(button.getAttribute("data-copy"));
      if (!box) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(box.value).then(
          function () {
            if (status) status.textContent = "Copied: " + box.value;
          },
          function () {
            box.focus();
            if (status) status.textContent = "Could not copy: the address is selected, copy it from your menu";
          }
        );
      });
    });
  }

  // On a phone the section strip scrolls sideways: bring the current section into view.
  function revealCurrentSection(strip) {
    var current = strip.querySelector("a[aria-current]");
    if (!current || strip.scrollWidth <= strip.clientWidth) return;
    var item = current.parentNode;
    strip.scrollLeft = item.offsetLeft - (strip.clientWidth - item.offsetWidth) / 2;
  }

  // Chromium leaves a link that focus reaches half under the strip's edge fade where it is (it
  // scrolls only for one out of sight): bring it in, clear of the fade (the strip's
  // scroll-padding in site.css), so the focus ring shows. Keyboard focus only: a link pressed
  // with a finger or mouse takes focus before the press ends, and moved under it the press
  // would end on another element and open nothing.
  function keepFocusedSectionInView(strip) {
    strip.addEventListener("focusin", function (event) {
      if (!event.target.matches(":focus-visible")) return;
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  }

  // Phones keep the search box behind a button. Without this, the link opens the search page.
  // A page with a search box of its own (the results, "Page not found") leaves the header's out:
  // there the link opened an empty search page, the reader's words and results gone, and the
  // button takes them to the page's box instead, the words in it ready to change.
  function enhanceSearchToggle(link) {
    var header = link.closest(".site-header");
    var form = document.getElementById(link.getAttribute("data-search-toggle"));
    var ownBox = document.querySelector("main form[role=search] input[type=search]");
    if (!header || !(form || ownBox)) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    while (link.firstChild) button.appendChild(link.firstChild);
    if (!form) {
      link.replaceWith(button);
      button.addEventListener("click", function () {
        ownBox.focus();
        ownBox.setSelectionRange(ownBox.value.length, ownBox.value.length);
      });
      return;
    }
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", form.id);
    link.replaceWith(button);
    button.addEventListener("click", function () {
      var open = header.classList.toggle("search-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) form.querySelector("input[type=search]").focus();
    });
    // Escape closes it again, as it closes any panel a button opened, back on its button.
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !header.classList.contains("search-open")) return;
      header.classList.remove("search-open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-load-more-nav]").forEach(enhancePager);
    document.querySelectorAll("a[data-search-toggle]").forEach(enhanceSearchToggle);
    document.querySelectorAll(".section-nav ul").forEach(revealCurrentSection);
    document.querySelectorAll(".section-nav ul").forEach(keepFocusedSectionInView);
    enhanceCopyLinks();
    enhanceCopyButtons();
  });
})();
