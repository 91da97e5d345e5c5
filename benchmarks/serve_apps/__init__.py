"""Serving the exercise apps: how fast, how heavy and how many at once, against a floor.

The floor is a bare notebook with one ipywidgets IntSlider, written at run time and served
the same way (``jupyter workbook serve``: the same flags, template and key check), so each
ratio shows what the workbook adds on top of Voila itself. Floor and workbook servers run
side by side and are measured in turns, so both see the same machine. Targets (issue:
serving the apps to many clients):

1. time to interactive in headless Chromium, page requested -> first exercise control usable
   (the choice exercise: and, after one rating, its chart drawn), for every exercise app:
   cold (no pool) <= 1.3x the floor cold; pre-heated (pool) <= 1.2x the floor pre-heated;
2. kernel memory per client (RSS and PSS of the kernel process) <= 1.5x the floor's kernel;
3. N clients at once (separate browser contexts started together; 20 in full mode): N of N
   interactive within the deadline, p95 <= 3x the single-client (pre-heated) time;
4. kernels alive a while after the clients drop their pages (culling set short for the run):
   back to the pool size;
5. answer typed -> held by the store <= 10 ms after the autosave delay; rating changed ->
   chart redrawn in the page <= 100 ms p95 on a quiet machine (<= 300 ms under load; the
   floor: a slider's round trip to the kernel and back).

Prints a table; it asserts nothing about time, so a slow machine reports rather than fails.
Every request that would leave the machine is blocked, as in the browser tests. The browser
runs on the same CPUs as the servers: with many clients at once it takes a large share (the
table shows both), so those rows are a worst case for the server.

    python -m benchmarks.serve_apps [--quick] [--clients N] [--pool-size N] [--keep]

On 2 CPUs shared with other work: ``--quick`` took 4-5 minutes, the full run 12-15.

The modules: ``cli`` reads the options into a :class:`run.Plan`, handed down to ``run``
(the measurements in order, the rows), ``servers``, ``browser``, ``measurements``,
``processes`` (Linux /proc) and ``table``; ``constants`` holds what every part aims at.
"""
