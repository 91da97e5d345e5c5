// The presenter view from the keyboard: ← and → move between exercises, ↑ and ↓ (or a
// clicker's Page Up and Page Down) between the revealed figures, shown one at a time so each
// is large enough for the back of the room, and R reveals or hides the exercise shown (the
// same links and buttons a mouse or Tab would use).
(() => {
  const figures = () => [...document.querySelectorAll(".bw-present-exercise .bw-cohort-measure")];
  const controls = document.querySelector("[data-present-figures]");
  const place = document.querySelector("[data-present-figure-place]");
  const key = () => {
    const exercise = document.querySelector(".bw-present-exercise");
    return `bw-present-figure:${exercise ? exercise.dataset.exercise : ""}`;
  };

  // Which figure is shown survives the page's own updates and a reload.
  const show = (index) => {
    const all = figures();
    if (controls) controls.hidden = all.length < 2;
    if (all.length === 0) return;
    const at = Math.min(Math.max(index, 0), all.length - 1);
    all.forEach((figure, i) => {
      figure.hidden = i !== at;
    });
    sessionStorage.setItem(key(), String(at));
    if (place) {
      const words = place.dataset.words || "Figure {position} of {count}";
      place.textContent = words.replace("{position}", at + 1).replace("{count}", all.length);
    }
  };
  const current = () => Number(sessionStorage.getItem(key()) || 0);

  document.querySelector("[data-present-figure-previous]")?.addEventListener("click", () => {
    show(current() - 1);
  });
  document.querySelector("[data-present-figure-next]")?.addEventListener("click", () => {
    show(current() + 1);
  });
  document.addEventListener("bw-live-swapped", () => show(current()));
  show(current());

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea")) {
      return;
    }
    const step = { ArrowDown: 1, PageDown: 1, ArrowUp: -1, PageUp: -1 }[event.key];
    if (step && figures().length > 1) {
      event.preventDefault();
      show(current() + step);
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
})();
