// The progress of a batch of agreements: polls its JSON every two seconds until every PDF is rendered.
(function () {
  "use strict";
  var root = document.querySelector(".jip-batch[data-progress-url]");
  if (!root || root.dataset.done === "true") { return; }
  var url = root.dataset.progressUrl;
  var bar = document.getElementById("batch-bar");
  var state = document.getElementById("batch-state");
  var failures = 0;

  function show(data) {
    Object.keys(data).forEach(function (key) {
      var cell = root.querySelector('[data-count="' + key + '"]');
      if (cell) { cell.textContent = String(data[key]); }
    });
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    root.dataset.done = data.done ? "true" : "false";
    if (data.done) {
      state.textContent = state.dataset.doneText || state.textContent;
      document.getElementById("batch-reload").hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (!data.done) { window.setTimeout(poll, 2000); }
      })
      .catch(function () {
        failures += 1;
        if (failures < 10) { window.setTimeout(poll, 5000); }
      });
  }

  window.setTimeout(poll, 1000);
})();
