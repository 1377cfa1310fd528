// The download portal's small enhancements. Everything works without this
// file: the form posts normally and the pack page refreshes itself.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

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

  var pack = document.querySelector(".pack[data-state=building]");
  if (pack && window.fetch) {
    var url = pack.getAttribute("data-status-url");
    var bar = document.getElementById("progress");
    var text = document.getElementById("progress-text");
    var failures = 0;
    var poll = function () {
      window.fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          failures = 0;
          if (status.state !== "building") { window.location.reload(); return; }
          if (status.total) {
            bar.max = status.total;
            bar.value = status.done;
            text.textContent = text.getAttribute("data-template")
              .replace("{done}", status.done).replace("{total}", status.total);
          }
          window.setTimeout(poll, 700);
        })
        .catch(function () {
          failures += 1;
          if (failures > 5) { window.location.reload(); return; }
          window.setTimeout(poll, 1500);
        });
    };
    window.setTimeout(poll, 500);
  }
})();
