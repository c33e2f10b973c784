// A story followed live (includes/live_updates.html): while its coverage is live and the tab is
// in view, look for new updates every minute, asking for the page through the same caches as
// any reader (a kept copy, purged by each update), and offer them with a button rather than
// moving the words under the reader's eyes; more than the page holds (a tab hidden for an hour)
// are counted on the earlier pages, and those it has no room for said and linked to, so none
// passes for read. Without this file, reloading the page shows them.
// On every page of a coverage, it finds an update whose #update-<id> address it has moved from.
(function () {
  "use strict";

  var EVERY_MS = 60000;
  var section = document.getElementById("live-updates");
  if (!section) return;

  // An address ending in #update-<id> whose update is not on this page (shared when the time
  // link said so, or an earlier page that moved on since): newer updates pushed it to an earlier
  // page. Its own address (the time links', /updates/at/<id>/) says which: asked first, so that
  // a deleted update, or another story's, leaves the reader on the story rather than on a 404.
  function seek() {
    var found = /^#update-([1-9][0-9]*)$/.exec(window.location.hash);
    var link = section.querySelector(".live-update-time");
    if (!found || !link || document.getElementById("update-" + found[1]) || !window.fetch) return;
    var id = found[1];
    fetch(link.getAttribute("href").replace(/[0-9]+\/$/, id + "/"), {
      // HEAD: where it leads is all that is wanted. With the reader's cookies, as going there
      // would be: an editor's preview has its updates' addresses for editors alone.
      method: "HEAD",
      mode: "same-origin",
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok || !response.redirected || window.location.hash !== "#update-" + id) {
          return;
        }
        var there = new URL(response.url);
        // This very page (a cache's older copy of it): going there again would change nothing.
        if (there.pathname === window.location.pathname) return;
        there.hash = "update-" + id;
        window.location.replace(there.href);
      })
      .catch(function () {
        // Offline, or led off the site: the reader stays on the story.
      });
  }
  seek();
  window.addEventListener("hashchange", seek);

  // An update's time links to its own address (to copy, and without this file), a round trip
  // that reloads this very page: a plain click on one shown here moves to it, as "#update-<id>"
  // did. On the document: "show them" puts new updates (and their links) in the section's place.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var time = event.target.closest && event.target.closest(".live-update-time");
    var update = time && time.closest(".live-update");
    if (!update || !update.id || document.getElementById(update.id) !== update) return;
    event.preventDefault();
    if (window.location.hash === "#" + update.id) update.scrollIntoView();
    else window.location.hash = update.id;
  });

  // The rest on the first page of a coverage still live alone: nothing new comes to the others.
  if (!section.hasAttribute("data-live") || !window.fetch || !window.DOMParser) return;

  var bar = document.createElement("div");
  bar.className = "live-new";
  bar.hidden = true;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-primary btn-sm";
  bar.appendChild(button);
  // Said once by screen readers, without taking them from where they read: a live region in
  // the page from the start (one added, or hidden, as its words change is often not read).
  var said = document.createElement("p");
  said.className = "visually-hidden";
  said.setAttribute("role", "status");
  section.parentNode.insertBefore(said, section);
  var waiting = null;
  // The byline's times from the same fetch: "Latest update" (and "Updated") say the newest shown.
  // Those alone: the rest of the fetched byline may lead to what this page lacks (a correction
  // appended meanwhile, its "Correction at the end" to a #corrections not drawn here).
  var TIMES = [".byline-updated", ".byline-live"];
  var waitingTimes = null;
  var waitingMissed = null;
  var timer = null;
  var stopped = false;
  // How many times "show them" has put fetched updates in: a look begun before compared the
  // fetched pages with the updates shown then, and would offer again (and announce) those just
  // shown. Its result is dropped; the next look compares with what the reader has now.
  var showings = 0;

  function place() {
    var heading = section.querySelector(".live-coverage-heading");
    section.insertBefore(bar, heading ? heading.nextSibling : section.firstChild);
  }

  // The coverage ended, or the story left the site: nothing more will come.
  function stop() {
    stopped = true;
    window.clearInterval(timer);
  }

  function updateIds(root) {
    return Array.prototype.map.call(root.querySelectorAll(".live-update"), function (update) {
      return update.id;
    });
  }

  function ask(path) {
    return fetch(path, {
      // The updates are the same for everyone: asked without cookies, a signed-in reader's poll
      // is the shared page a cache in front answers, not a page drawn for them each minute.
      credentials: "omit",
      headers: { Accept: "text/html" },
      // Asked again of the caches in front (a 304 when nothing changed), not the tab's own copy.
      cache: "no-cache",
    });
  }

  function coverageOf(text) {
    var doc = new DOMParser().parseFromString(text, "text/html");
    return { doc: doc, section: doc.getElementById("live-updates") };
  }

  function earlierPage(coverage) {
    var link = coverage.querySelector('.live-pages a[rel="next"]');
    return link ? link.getAttribute("href").split("#")[0] : null;
  }

  // More came than the first page holds (a tab hidden for an hour): the new ones it has no room
  // for are on the earlier pages, which are read, as any reader would, until an update this
  // reader was shown (MISSED_PAGES at most). Left unsaid, they would pass for read. Resolves to
  // { ids: those not shown, the newest first; pages: how many pages they take; more: perhaps
  // others after them, on pages not read or that did not come; path: the first of them }.
  var MISSED_PAGES = 5;
  function missedAfter(fresh, shown) {
    var onFirst = updateIds(fresh);
    // Every update met so far, the first page's too: one posted while the pages are read pushes
    // each page's last update onto the next, where it is met again.
    var counted = new Set(onFirst);
    var missed = { ids: [], pages: 0, more: false, path: earlierPage(fresh) };
    function read(path, pages) {
      if (!path) return missed;
      if (pages === MISSED_PAGES) {
        // Unread, the next page may start with an update the reader was shown: "at least".
        missed.more = true;
        return missed;
      }
      return ask(path)
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .catch(function () {
          return null; // offline for a moment
        })
        .then(function (text) {
          var earlier = text && coverageOf(text).section;
          if (!earlier) {
            // The page did not come (offline, the site busy, gone as deletes shortened the
            // coverage): what was counted still stands, rather than no offer at all, but as "at
            // least", since that page may hold more.
            missed.more = true;
            return missed;
          }
          var ids = updateIds(earlier);
          for (var i = 0; i < ids.length; i++) {
            if (shown.indexOf(ids[i]) !== -1) return missed;
            if (counted.has(ids[i])) continue;
            counted.add(ids[i]);
            missed.ids.push(ids[i]);
            missed.pages = pages + 1;
          }
          return read(earlierPage(earlier), pages + 1);
        });
    }
    var readBefore = onFirst.some(function (id) {
      return shown.indexOf(id) !== -1;
    });
    // Most often the first page still shows what the reader had: nothing more to read.
    return Promise.resolve(readBefore ? missed : read(missed.path, 0));
  }

  function newUpdates(count, more) {
    var words = count === 1 ? "1 new update" : count + " new updates";
    return more ? "At least " + words : words;
  }

  // Said where the new updates begin (before the newest), with the link to the newest of those
  // not shown.
  function missedNote(shownCount, missed) {
    var counted = missed.ids.length;
    var note = document.createElement("p");
    note.className = "live-missed";
    var total = newUpdates(shownCount + counted, missed.more).replace("At", "at");
    // None counted past this page (the next did not come): whether it holds any is not known.
    note.textContent = counted
      ? "These are the newest " + shownCount + " of " + total + ". "
      : "These are the newest " + newUpdates(shownCount, false) + "; there may be more. ";
    var link = document.createElement("a");
    link.href = missed.path + (counted ? "#" + missed.ids[0] : "#live-updates");
    var others = missed.more ? (counted ? "the others" : "any others") : "the other " + counted;
    var where = "the next " + (missed.pages === 1 ? "page" : missed.pages + " pages");
    link.textContent = "Read " + others + " on " + (missed.more ? "the earlier pages" : where);
    note.appendChild(link);
    note.appendChild(document.createTextNode("."));
    return note;
  }

  function check() {
    if (document.hidden || stopped) return;
    var doc, fresh, count;
    var showingsAtStart = showings;
    ask(window.location.pathname)
      .then(function (response) {
        if (response.status === 404 || response.status === 410) stop();
        return response.ok ? response.text() : null;
      })
      .then(function (text) {
        if (!text) return null;
        doc = coverageOf(text).doc;
        fresh = doc.getElementById("live-updates");
        if (!fresh) return null;
        var shown = updateIds(section);
        count = updateIds(fresh).filter(function (id) {
          return shown.indexOf(id) === -1;
        }).length;
        if (!fresh.hasAttribute("data-live")) stop();
        return count ? missedAfter(fresh, shown) : null;
      })
      .then(function (missed) {
        if (!missed || showings !== showingsAtStart) return;
        waiting = fresh;
        waitingMissed = missed.ids.length || missed.more ? missedNote(count, missed) : null;
        waitingTimes = TIMES.map(function (selector) {
          return doc.querySelector(".byline-dates " + selector);
        });
        var all = count + missed.ids.length;
        var words = newUpdates(all, missed.more);
        button.textContent = words + ": show " + (all === 1 ? "it" : "them");
        if (bar.hidden) said.textContent = words + " above the latest you read.";
        bar.hidden = false;
      })
      .catch(function () {
        // Offline for a moment, or the site busy: the next minute asks again.
      });
  }

  // Each time in the byline replaced by the fetched one; one the page lacks ("Updated" on a story
  // never updated before) put in its place, before those that follow it.
  function showTimes(fresh) {
    var dates = document.querySelector(".byline-dates");
    if (!dates || !fresh) return;
    TIMES.forEach(function (selector, index) {
      if (!fresh[index]) return;
      var time = document.importNode(fresh[index], true);
      var old = dates.querySelector(selector);
      if (old) {
        old.replaceWith(time);
        return;
      }
      var next = dates.querySelector(TIMES.slice(index + 1).concat(".byline-corrected").join(","));
      dates.insertBefore(time, next);
      dates.insertBefore(document.createTextNode(" "), time);
    });
  }

  button.addEventListener("click", function () {
    if (!waiting) return;
    showings += 1;
    var fresh = document.importNode(waiting, true);
    section.replaceWith(fresh);
    section = fresh;
    showTimes(waitingTimes);
    bar.hidden = true;
    said.textContent = "";
    place();
    var newest = section.querySelector(".live-update");
    if (waitingMissed) section.insertBefore(waitingMissed, newest);
    // The reader goes on reading at the newest update, or at the note just before it: a message
    // that takes focus is read out, then what follows it. Not said by the status region too: the
    // move of focus would cut its words short, or they would come twice.
    var start = waitingMissed || newest;
    waiting = waitingTimes = waitingMissed = null;
    if (start) {
      start.setAttribute("tabindex", "-1");
      start.focus();
    }
  });

  place();
  timer = window.setInterval(check, EVERY_MS);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) check();
  });
})();
