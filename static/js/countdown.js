// Keeps the application-deadline countdown current without a page reload (the server renders the first value).
(function () {
  "use strict";
  function update(el) {
    var left = Math.max(0, Date.parse(el.dataset.countdownTo) - Date.now());
    var minutes = Math.floor(left / 60000);
    var values = { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
    el.querySelectorAll("[data-unit]").forEach(function (span) {
      span.textContent = values[span.dataset.unit];
    });
  }
  document.querySelectorAll("[data-countdown-to]").forEach(function (el) {
    update(el);
    window.setInterval(function () { update(el); }, 30000);
  });
})();
