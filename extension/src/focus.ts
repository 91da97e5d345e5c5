/**
 * Where the keyboard's focus goes when the kernel adds a control (a new row, say).
 *
 * ipywidgets can focus a control only once its view exists, and a new control's view is
 * drawn after the kernel's request to focus it has come and gone. So the kernel marks the
 * new control with the class `bw-focus-new` (buyin_workbook/widgets/_ui.py, `focus_when_shown`)
 * and this watcher focuses it as it enters the page, once.
 */

export const FOCUS_CLASS = 'bw-focus-new';

const FOCUSABLE = ['input', 'textarea', 'select', 'button']
  .map(tag => `${tag}:not([disabled])`)
  .join(', ');

function focusTarget(node: Node): HTMLElement | null {
  if (!(node instanceof HTMLElement)) {
    return null;
  }
  const marked = node.classList.contains(FOCUS_CLASS)
    ? node
    : node.querySelector<HTMLElement>(`.${FOCUS_CLASS}`);
  if (!marked) {
    return null;
  }
  marked.classList.remove(FOCUS_CLASS); // once: a later redraw must not take the focus again
  return marked.matches(FOCUSABLE) ? marked : marked.querySelector<HTMLElement>(FOCUSABLE);
}

let watcher: MutationObserver | null = null;

/** Start watching the page for marked controls (once per page, however many exercises). */
export function watchNewControls(): void {
  if (watcher) {
    return;
  }
  watcher = new MutationObserver(records => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        const target = focusTarget(node);
        if (target) {
          target.focus();
          return;
        }
      }
    }
  });
  watcher.observe(document.body, { childList: true, subtree: true });
}
