// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Each comment form's "ask for this reader's tokens" (enhanceCommentForm), for the reply links.
  var formTokens = new WeakMap();
  // What a signed-in reader's account fills in, when the field is still empty.
  var IDENTITY_FIELDS = ["name", "email"];
  // Each comment form's "open under the comment with this id" (enhanceReplies), for drafts.
  var replyOpeners = new WeakMap();
  var DRAFT_KEY = "newsportal:comment-draft:";

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
          button.replaceWith(next);
          next.textContent = "Next page";
        });
    });
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
        navigator.clipboard.writeText(link.getAttribute("data-copy-link")).then(function () {
          (link.querySelector(".share-label") || link).textContent = "Link copied";
          link.classList.add("is-copied");
        });
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

  // Phones keep the search box behind a button. Without this, the link opens the search page.
  function enhanceSearchToggle(link) {
    var header = link.closest(".site-header");
    var form = document.getElementById(link.getAttribute("data-search-toggle"));
    if (!header || !form) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    while (link.firstChild) button.appendChild(link.firstChild);
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", form.id);
    link.replaceWith(button);
    button.addEventListener("click", function () {
      var open = header.classList.toggle("search-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) form.querySelector("input[type=search]").focus();
    });
  }

  // "Reply" opens the comment form right under the comment it answers. Without this, the link
  // draws the page again with the form (under that comment) set to answer it.
  function enhanceReplies(form) {
    var parent = form.querySelector("input[name=parent]");
    var heading = form.querySelector("#comment-form-heading");
    var links = document.querySelectorAll("a[data-reply-to]");
    if (!parent || !heading || !links.length) return;
    var title = document.getElementById("article-title");
    var newHeading = parent.value
      ? "Add a comment on " + (title ? title.textContent : "this article")
      : heading.textContent;
    // The no-JavaScript way back to a new comment, on a page drawn to answer one.
    var instead = form.querySelector('a[href$="#comment-form"]');
    var home = document.createComment("the comment form's own place");
    // A page drawn to answer a comment has the form under it: its own place ends the comments.
    var section = form.closest(".comments");
    if (form.closest(".comment-thread") && section) section.appendChild(home);
    else form.parentNode.insertBefore(home, form);
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-link cancel-reply";
    cancel.textContent = "Cancel reply";
    cancel.hidden = true;
    var submit = form.querySelector("button[type=submit]");
    if (submit) submit.after(cancel);
    var opener = null;

    function openUnder(link) {
      link.closest(".comment-actions").after(form);
      parent.value = link.getAttribute("data-reply-to");
      heading.textContent = "Reply to " + link.getAttribute("data-reply-name");
      cancel.hidden = false;
      if (instead) instead.parentNode.hidden = true; // "Cancel reply" does its work here
      opener = link;
      form.dispatchEvent(new CustomEvent("comment-form-moved"));
    }

    function close() {
      home.after(form);
      parent.value = "";
      heading.textContent = newHeading;
      cancel.hidden = true;
      if (instead) instead.parentNode.hidden = true;
      if (opener) opener.focus();
      opener = null;
      form.dispatchEvent(new CustomEvent("comment-form-moved"));
    }

    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        // A new tab or window gets the page drawn to answer that comment, as the link says.
        var elsewhere = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
        if (event.button !== 0 || elsewhere) return;
        event.preventDefault();
        openUnder(link);
        form.scrollIntoView({ block: "nearest" });
        // A signed-in reader's name comes with the form's tokens: focus the first field still
        // empty once it has arrived, not a name field about to be filled under the cursor.
        // A reader who has meanwhile gone to a field of their choice keeps it: focus taken away
        // mid-word would send the rest of their comment into the name field.
        var focusAtClick = document.activeElement;
        var tokens = formTokens.get(form);
        (tokens ? tokens() : Promise.resolve()).then(function () {
          if (opener !== link || document.activeElement !== focusAtClick) return;
          var empty = IDENTITY_FIELDS
            .map(function (field) {
              return form.elements.namedItem(field);
            })
            .filter(function (input) {
              return input && !input.value;
            });
          var field = empty[0] || form.elements.namedItem("body");
          if (field) field.focus();
        });
      });
    });
    cancel.addEventListener("click", close);
    replyOpeners.set(form, function (id) {
      var link = Array.prototype.find.call(links, function (candidate) {
        return candidate.getAttribute("data-reply-to") === id;
      });
      if (link) openUnder(link);
      return Boolean(link);
    });

    // A page drawn to answer a comment (the link followed before this ran, or errors in a reply).
    if (parent.value) {
      var link = document.querySelector('a[data-reply-to="' + parent.value + '"]');
      if (link) {
        openUnder(link);
        if (window.location.hash === "#comment-form") form.scrollIntoView();
      }
    }
  }

  // "Report" opens the page's one report form right under that comment, pointed at it. Without
  // this, the link opens the report page (a form of the reader's own).
  function enhanceReports(form) {
    var opener = null;

    function close() {
      form.hidden = true;
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
      opener = null;
    }

    // Links say they open something, before the first press too.
    document.querySelectorAll("a.comment-report-link").forEach(function (link) {
      link.setAttribute("aria-controls", form.id);
      link.setAttribute("aria-expanded", "false");
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.comment-report-link");
      var comment = link && link.closest(".comment");
      if (!comment) return;
      // A new tab or window gets the report page, as the link says.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      if (opener === link) return close();
      if (opener) opener.setAttribute("aria-expanded", "false");
      form.reset(); // one reader's choice for one comment never carries over to another
      form.action = link.href;
      comment.appendChild(form);
      form.hidden = false;
      link.setAttribute("aria-expanded", "true");
      opener = link;
      form.querySelector("input[name=reason]").focus();
    });
    form.querySelector("[data-report-cancel]").addEventListener("click", close);
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  // Shared pages carry no per-reader token: when a reader starts writing, ask for this
  // reader's CSRF token and start time (a tiny uncached request) and put them in the form,
  // with a signed-in reader's name and address.
  // Without this, the first send comes back with them filled in, to send once more.
  function enhanceCommentForm(form) {
    var url = form.getAttribute("data-token-url");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var started = form.querySelector("input[name=started]");
    if (!url || !token || !started) return;
    var pending = null;
    function fetchTokens() {
      if (token.value) return Promise.resolve();
      if (!pending) {
        pending = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .then(function (data) {
            token.value = data.csrfmiddlewaretoken;
            started.value = data.started;
            // A signed-in reader's name and address, where they have typed nothing yet.
            IDENTITY_FIELDS.forEach(function (field) {
              var input = form.elements.namedItem(field);
              if (input && !input.value && data[field]) input.value = data[field];
            });
          })
          .catch(function () {
            pending = null; // the plain post still works: it comes back to send once more
          });
      }
      return pending;
    }
    formTokens.set(form, fetchTokens);
    form.addEventListener("focusin", fetchTokens);
    // A double click sends once: a second post would replace the first one's answer (the
    // success and the status link) with "you have already sent this". Not for ever, though: a
    // post the reader stopped can be sent again.
    var sentAt = 0;
    form.addEventListener("submit", function (event) {
      if (Date.now() - sentAt < 5000) {
        event.preventDefault();
        return;
      }
      sentAt = Date.now();
      if (token.value) return;
      event.preventDefault();
      fetchTokens().then(function () {
        form.submit();
      });
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) sentAt = 0; // back on this page: it may be sent again at once
    });
  }

  function storedDraft(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (error) {
      return null; // storage switched off, or not ours to read: nothing to put back
    }
  }

  function storeDraft(key, draft) {
    try {
      if (draft) window.sessionStorage.setItem(key, JSON.stringify(draft));
      else window.sessionStorage.removeItem(key);
    } catch (error) {
      // Full or switched off: the form works as it does without drafts.
    }
  }

  // What a reader writes is kept in this tab until the page says it arrived, so an outage on
  // the way (the proxy's error page, a lost connection, the database's) costs them nothing:
  // back on the article, their text is in the form again. One draft per article, with the
  // comment it answers. "sent" marks a post not yet known to have arrived.
  function keepDraft(form) {
    var body = form.elements.namedItem("body");
    var parent = form.elements.namedItem("parent");
    if (!body || !parent) return;
    var key = DRAFT_KEY + form.getAttribute("action").split("#")[0];

    function save(sent) {
      var text = body.value.trim() ? body.value : "";
      storeDraft(key, text && { text: text, parent: parent.value, sent: sent });
    }

    // Whatever page follows a post says whether it arrived: any other page, or a return by
    // Back, means it did not (a success on this page later may be a report's).
    function notSent() {
      var draft = storedDraft(key);
      if (draft && draft.sent) storeDraft(key, { text: draft.text, parent: draft.parent });
    }

    function say(text) {
      var note = form.querySelector(".comment-draft-note");
      if (!note && !text) return;
      if (!note) {
        note = document.createElement("p");
        note.className = "form-text comment-draft-note";
        note.setAttribute("role", "status");
        body.parentNode.appendChild(note);
      }
      // Filled after the live region is in the page, so screen readers announce it.
      window.setTimeout(function () {
        note.textContent = text;
      }, 100);
    }

    function restore(draft) {
      var reply = Boolean(draft.parent);
      if (draft.parent !== parent.value) {
        if (parent.value) return; // drawn to answer another comment: not this text's place
        var open = replyOpeners.get(form);
        // A reply whose comment is no longer shown comes back as a comment, not lost.
        reply = Boolean(open && open(draft.parent));
      }
      body.value = draft.text;
      say(reply ? "Your unsent reply was restored." : "Your unsent comment was restored.");
    }

    var draft = storedDraft(key);
    if (draft && draft.sent && document.querySelector("#comments .messages .alert-success")) {
      storeDraft(key, null);
    } else if (draft) {
      notSent();
      if (!body.value && draft.text) restore(draft);
    }
    body.addEventListener("input", function () {
      save(false);
      if (!body.value.trim()) say("");
    });
    form.addEventListener("comment-form-moved", function () {
      if (body.value.trim()) save(false);
    });
    form.addEventListener("submit", function () {
      save(true);
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) notSent();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-load-more-nav]").forEach(enhancePager);
    document.querySelectorAll("form[data-token-url]").forEach(enhanceCommentForm);
    document.querySelectorAll("form#comment-form").forEach(enhanceReplies);
    document.querySelectorAll("form#comment-form").forEach(keepDraft);
    document.querySelectorAll("form#report-form").forEach(enhanceReports);
    document.querySelectorAll("a[data-search-toggle]").forEach(enhanceSearchToggle);
    document.querySelectorAll(".section-nav ul").forEach(revealCurrentSection);
    enhanceCopyLinks();
  });
})();
