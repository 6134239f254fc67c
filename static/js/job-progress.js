// The progress bar of a background job (templates/placements/import_detail.html): asks
// the job's progress address every second, moves the bar and its words, and reloads
// the page once the job has ended, to show its result. Without script, the page's
// "Refresh the page" link does the same by hand.
(function () {
  "use strict";
  var section = document.querySelector("section.job[data-progress]");
  if (!section || !window.fetch) return;
  var bar = section.querySelector("progress");
  var status = document.getElementById("job-status");
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  function fill(text, data) {
    return text.replace(/\{(done|total|percent)\}/g, function (_, key) {
      return number.format(data[key] || 0);
    });
  }
  function ask() {
    fetch(section.dataset.progress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data.working || data.stopped) {
          window.location.reload();
          return;
        }
        if (data.stage) {
          bar.value = data.percent;
          bar.textContent = data.percent + " %";
          status.textContent = fill(data.stage === "write" ? section.dataset.write : section.dataset.check, data);
        }
        window.setTimeout(ask, 1000);
      })
      .catch(function () {
        window.setTimeout(ask, 5000);  // the server is away for a moment: ask less often
      });
  }
  window.setTimeout(ask, 1000);
})();
