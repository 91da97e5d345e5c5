// A facilitator's page that keeps itself current: every few seconds it asks its own server
// for the page again (answered only when something it shows changed, by the fingerprint in
// its bw-activity meta) and swaps in the parts marked data-live, keeping the keyboard's place.
(() => {
  const EVERY_MS = 2000;
  const meta = document.querySelector('meta[name="bw-activity"]');
  const status = document.querySelector("[data-live-status]");
  if (!meta) return;
  let since = meta.content;

  const say = (text) => {
    if (status && status.textContent !== text) status.textContent = text;
  };

  const swap = (page) => {
    const focused = document.activeElement ? document.activeElement.id : "";
    for (const region of document.querySelectorAll("[data-live]")) {
      const fresh = page.querySelector(`[data-live="${CSS.escape(region.dataset.live)}"]`);
      if (fresh && fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML;
    }
    if (focused && !document.activeElement?.id) document.getElementById(focused)?.focus();
    document.dispatchEvent(new Event("bw-live-swapped"));
  };

  const poll = async () => {
    const url = new URL(window.location.href);
    url.searchParams.set("since", since);
    try {
      const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
      if (response.status === 200) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = page.querySelector('meta[name="bw-activity"]');
        if (next) {
          since = next.content;
          swap(page);
        }
        say("");
      } else if (response.status === 204) {
        // Nothing new to show; the server may still name what the page now stands for.
        since = response.headers.get("X-Workbook-Since") || since;
        say("");
      } else {
        say(status?.dataset.refused ?? "");
      }
    } catch {
      say(status?.dataset.unreachable ?? "");
    }
    window.setTimeout(poll, EVERY_MS);
  };
  window.setTimeout(poll, EVERY_MS);
})();
