// The presenter view from the keyboard: ← and → move between exercises, R reveals or hides
// the one shown (the same links and button a mouse or Tab would use).
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea")) {
    return;
  }
  const target = {
    ArrowLeft: "[data-present-previous]",
    ArrowRight: "[data-present-next]",
    r: "[data-present-reveal]",
    R: "[data-present-reveal]",
  }[event.key];
  const control = target && document.querySelector(target);
  if (control) {
    event.preventDefault();
    control.click();
  }
});
