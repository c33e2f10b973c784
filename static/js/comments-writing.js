// What the reader writes in the comment form: kept in the tab as a draft until the page says
// it arrived, and its characters counted near the limit. Progressive enhancement only, like
// comments.js, which loads first on an article: this file adds to its comment form through
// window.commentSection (comments.js's one global), after replies open in place. A page
// without comments.js (the status page's edit form) gets the count alone.
(function () {
  "use strict";

  var comments = window.commentSection;
  var DRAFT_KEY = "newsportal:comment-draft:";
  var ARRIVED_KEY = "newsportal:comment-arrived:";

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

  // Which text arrived, without keeping the text itself once it is no longer a draft.
  function fingerprint(text) {
    var hash = 0x811c9dc5; // FNV-1a, 32 bits
    for (var i = 0; i < text.length; i += 1) {
      hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    }
    return text.length + ":" + hash.toString(36);
  }

  // A page loaded again by Back or Forward, when the browser did not keep it whole: it puts
  // back what the page's fields held when it was left.
  function shownAgainFromHistory() {
    var entries = window.performance && window.performance.getEntriesByType
      ? window.performance.getEntriesByType("navigation")
      : [];
    return Boolean(entries[0] && entries[0].type === "back_forward");
  }

  // Set by the site on this article's path when it stored a comment (SENT_COOKIE in
  // comments/views.py); read once, by the first page to run this script after it.
  function takeSentCookie() {
    var name = "comment-sent=";
    var found = document.cookie.split("; ").some(function (cookie) {
      return cookie.indexOf(name) === 0;
    });
    if (found) document.cookie = name + "; Max-Age=0; Path=" + window.location.pathname;
    return found;
  }

  // What a reader writes is kept in this tab until the page says it arrived, so an outage on
  // the way (the proxy's error page, a lost connection) costs them nothing. The text alone, one
  // per article with the comment it answers: never a name or address, for the next person at a
  // shared computer to read (README). "sent" marks a post not yet known to have arrived, "post"
  // which press of Send it was.
  function keepDraft(form, openReply) {
    var body = form.elements.namedItem("body");
    var parent = form.elements.namedItem("parent");
    if (!body || !parent) return;
    var key = DRAFT_KEY + form.getAttribute("action").split("#")[0];

    function save(sent, post) {
      var text = body.value.trim() ? body.value : "";
      storeDraft(key, text && { text: text, parent: parent.value, sent: sent, post: post });
    }

    // Whatever page follows a post says whether it arrived: any other page, or a return by
    // Back, means it did not (a success on this page later may be a report's).
    function notSent() {
      var draft = storedDraft(key);
      if (draft && draft.sent) {
        storeDraft(key, { text: draft.text, parent: draft.parent, post: draft.post });
      }
    }

    function say(text) {
      comments.say(form, text);
    }

    function saySent(reply) {
      say(reply ? "Your reply was sent." : "Your comment was sent.");
    }

    // A draft gone is no proof its text was sent (emptied on another page, or never stored,
    // the tab's storage full): only this record, made as the page after a post said it
    // arrived, lets the form be emptied for a text the browser puts back. Used once.
    var arrivedKey = ARRIVED_KEY + key.slice(DRAFT_KEY.length);
    function takeArrived(text) {
      var record = storedDraft(arrivedKey);
      if (!record || record.hash !== fingerprint(text)) return null;
      storeDraft(arrivedKey, null);
      return record;
    }

    function restore(draft) {
      var reply = Boolean(draft.parent);
      if (draft.parent !== parent.value) {
        if (parent.value) return; // drawn to answer another comment: not this text's place
        // A reply whose comment is no longer shown comes back as a comment, not lost.
        reply = Boolean(openReply && openReply(draft.parent));
      }
      body.value = draft.text;
      say(reply ? "Your unsent reply was restored." : "Your unsent comment was restored.");
    }

    var draft = storedDraft(key);
    // Arrived: the page links to the comment's private status page (a report's thanks do not),
    // or, when the reader reloaded before this script ran there, the site's cookie says so.
    var sentCookie = takeSentCookie(); // taken on every page, so it speaks of one post only
    var arrived = sentCookie || document.querySelector("#comments .messages .comment-status-link");
    if (!shownAgainFromHistory()) storeDraft(arrivedKey, null); // a record of an older visit
    if (draft && draft.sent && arrived) {
      storeDraft(key, null);
      storeDraft(arrivedKey, { hash: fingerprint(draft.text), parent: draft.parent });
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
    // This page's last post, while the tab keeps its draft: shown again from history (Back),
    // the page still holds the text it sent, which a press of Send would send again.
    var posted = null;
    form.addEventListener("submit", function () {
      var post = String(Date.now()) + Math.random();
      save(true, post);
      var kept = storedDraft(key);
      posted = kept && kept.post === post ? post : null;
    });

    // Its draft gone, and the page after it recorded this text as arrived (or the site's cookie
    // says so, when that page's script never ran): the form empties, as a reload would, and
    // says why. A draft written since comes back instead; with neither, the text stays.
    function forgetSent() {
      var draft = storedDraft(key);
      var sent = null;
      if (draft && draft.post === posted && draft.sent && takeSentCookie()) {
        storeDraft(key, null);
        draft = null;
        sent = { parent: parent.value };
      }
      if (draft && draft.post === posted) return notSent();
      posted = null;
      if (!draft) sent = sent || takeArrived(body.value);
      if (!draft && !sent) return; // no sign it arrived: the text stays
      body.value = "";
      if (draft && draft.text) restore(draft);
      else if (sent) saySent(sent.parent);
    }
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        if (posted) forgetSent();
        else notSent();
        return;
      }
      // Loaded again, the browser put back (just before this event) the text the page held
      // when it was left: the page after its post said that very text arrived.
      var sent = shownAgainFromHistory() && !storedDraft(key) && body.value.trim()
        ? takeArrived(body.value)
        : null;
      if (sent) {
        body.value = "";
        saySent(sent.parent);
      }
    });
  }

  // Python's str.strip() blanks, which the site drops at both ends before it counts (JavaScript's
  // trim() differs: it keeps U+001C-U+001F and U+0085, drops U+FEFF).
  var BLANK = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

  function strip(text) {
    var start = 0;
    var end = text.length;
    while (start < end && BLANK.test(text[start])) start += 1;
    while (end > start && BLANK.test(text[end - 1])) end -= 1;
    return text.slice(start, end);
  }

  // The text as the site keeps it (comments/forms.py's MultilineTextField): the blanks at its
  // ends dropped, a line break one character whatever wrote it, a run of blank lines one.
  // Counted otherwise, "word " typed past the limit was one character "too many" more here
  // than in the site's refusal.
  function asTheSiteKeepsIt(text) {
    return strip(text)
      .replace(/\r\n?/g, "\n")
      .replace(/[\x0b\x0c\u2028\u2029]/g, "\n")
      .replace(/\n(?:[ \t]*\n){2,}/g, "\n\n");
  }

  // Near the limit, how many characters are left, and past it how many too many (the box has
  // no maxlength, which would cut a paste without a word: comments/forms.py). Counted as the
  // site counts them, by character, on the text it keeps (asTheSiteKeepsIt). Said to screen
  // readers once typing pauses, not at every key.
  function countCharacters(form) {
    var body = form.querySelector("textarea[data-max-characters]");
    if (!body) return;
    var limit = Number(body.getAttribute("data-max-characters"));
    var count = document.createElement("p");
    count.className = "form-text character-count";
    count.id = body.id + "-count";
    count.setAttribute("aria-live", "polite");
    body.after(count);
    var described = body.getAttribute("aria-describedby");
    body.setAttribute("aria-describedby", (described ? described + " " : "") + count.id);
    function characters(n) {
      return n + (n === 1 ? " character" : " characters");
    }
    var timer = null;
    function update() {
      var left = limit - Array.from(asTheSiteKeepsIt(body.value)).length;
      var said = "";
      if (left < 0) said = "You have " + characters(-left) + " too many";
      else if (left <= limit / 10) said = "You have " + characters(left) + " left";
      count.classList.toggle("is-over", left < 0);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (count.textContent !== said) count.textContent = said;
      }, 300);
    }
    body.addEventListener("input", update);
    form.addEventListener("comment-form-moved", update);
    // The browser puts a page's text back just before this, when Back loads the page again.
    window.addEventListener("pageshow", update);
    update();
  }

  if (comments) {
    comments.formExtensions.push(keepDraft, countCharacters);
  } else {
    Array.prototype.forEach.call(document.forms, countCharacters);
  }
})();
