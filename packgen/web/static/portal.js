// The download portal's small enhancements. Everything works without this
// file: the form posts normally and the pack page refreshes itself.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    // focus the summary, again after the browser has gone to the page's #fragment
    // (which moves the focus away from it)
    summary.focus();
    window.addEventListener("load", function () {
      window.setTimeout(function () { summary.focus(); }, 0);
    });
    // a summary link goes to the field's group (label in view without scripts);
    // with scripts, it also puts the focus in the field itself
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      if (!link) { return; }
      var group = document.getElementById("group-" + link.getAttribute("data-field"));
      var input = group && group.querySelector("input:not([type=hidden])");
      if (!input) { return; }
      event.preventDefault();
      group.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  var form = document.querySelector("form.personalise");
  if (form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      var limit = parseInt(form.getAttribute("data-max-logo"), 10);
      if (input && input.files && input.files[0] && input.files[0].size > limit) {
        event.preventDefault();
        var group = document.getElementById("group-logo");
        var note = document.getElementById("error-logo-size");
        if (!note) {
          note = document.createElement("p");
          note.className = "error";
          note.id = "error-logo-size";
          input.parentNode.insertBefore(note, input);
          input.setAttribute("aria-describedby",
            (input.getAttribute("aria-describedby") || "") + " error-logo-size");
        }
        note.textContent = form.getAttribute("data-too-large");
        group.classList.add("has-error");
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      var status = form.querySelector(".status");
      status.textContent = status.getAttribute("data-building");
      form.classList.add("busy");
      var button = form.querySelector("button[type=submit]");
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  }

  var READY = "packgen-ready";
  var ready = document.getElementById("ready");
  if (ready && window.sessionStorage && sessionStorage.getItem(READY) === location.pathname) {
    sessionStorage.removeItem(READY);
    ready.focus();  // came from the building page: say the pack is ready
  }

  var pack = document.querySelector(".pack[data-state=building]");
  if (pack && window.fetch) {
    // poll quietly: the bar moves on every answer, the live text changes at most every 10 s
    var url = pack.getAttribute("data-status-url");
    var bar = document.getElementById("progress");
    var text = document.getElementById("progress-text");
    var failures = 0;
    var spoken = Date.now();
    var finish = function () {
      text.textContent = text.getAttribute("data-ready");
      try { sessionStorage.setItem(READY, location.pathname); } catch (e) { /* private mode */ }
      window.location.reload();
    };
    var poll = function () {
      window.fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          failures = 0;
          if (status.state !== "building" && status.state !== "busy") { finish(); return; }
          if (status.total) {
            bar.max = status.total;
            bar.value = status.done;
            if (Date.now() - spoken > 10000) {
              spoken = Date.now();
              text.textContent = text.getAttribute("data-template")
                .replace("{done}", status.done).replace("{total}", status.total);
            }
          }
          delay = Math.min(1500, delay * 1.5);
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          failures += 1;
          if (failures > 5) { window.location.reload(); return; }
          window.setTimeout(poll, 3000);
        });
    };
    // soon at first (a small pack is ready in a second or two), then every 1.5 s
    var delay = 250;
    window.setTimeout(poll, delay);
  }

  var preparing = document.querySelector(".preparing[data-file-url]");
  if (preparing && window.fetch) {
    // ask quietly whether the file is made; the status line changes once, when it is
    var fileUrl = preparing.getAttribute("data-file-url");
    var every = (parseInt(preparing.getAttribute("data-seconds"), 10) || 10) * 1000;
    var line = document.getElementById("preparing-text");
    var ask = function () {
      window.fetch(fileUrl, { cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.ready) {
            line.textContent = line.getAttribute("data-ready");
            window.location.href = fileUrl;
            return;
          }
          window.setTimeout(ask, every);
        })
        .catch(function () { window.setTimeout(ask, every * 2); });
    };
    window.setTimeout(ask, Math.min(every, 3000));
  }
})();
