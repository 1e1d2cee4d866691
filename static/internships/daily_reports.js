// The company's inbox: "Tick all" ticks (or unticks) every report of the form.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-tick-all]").forEach((box) => {
    const form = box.closest("form");
    box.addEventListener("change", () => {
      form.querySelectorAll(`input[name="${box.dataset.tickAll}"]`).forEach((tick) => {
        tick.checked = box.checked;
      });
    });
  });
});
