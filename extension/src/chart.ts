/**
 * Draws the workbook's charts in the page: a mime renderer for Vega-Lite 6 specs
 * (`application/vnd.vegalite.v6.json`, what altair 6 emits, and `...v6+json`, the name a
 * notebook file can keep as JSON, which the workbook's renderer for cell outputs uses).
 * JupyterLab 4 and Voilà 0.5 bundle a renderer for Vega-Lite 5 only; both load this one
 * from the labextension.
 *
 * vega and vega-lite are bundled (a chunk loaded on the first chart, not with the page) so
 * nothing is fetched from outside. Expressions run in vega's interpreter, not through
 * `new Function`, and text in a chart is drawn as SVG text, never parsed as markup.
 */

import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { workbookWords } from './words';

export const VEGALITE6_MIME = 'application/vnd.vegalite.v6.json';
export const VEGALITE6_CELL_MIME = 'application/vnd.vegalite.v6+json';

const CLASS_NAME = 'bw-VegaChart';

/** Charts drawn in this page so far: each drawing is stamped `data-drawn` (a count), so a
 * test or benchmark can tell a redrawn chart from the one before. */
let chartsDrawn = 0;

type VegaModules = [typeof import('vega'), typeof import('vega-lite'), unknown];

/** The renderer's modules, loaded once on first use. */
let vegaModules: Promise<VegaModules> | null = null;

function loadVega(): Promise<VegaModules> {
  vegaModules ??= Promise.all([
    import('vega'),
    import('vega-lite'),
    import('vega-interpreter').then(module => module.expressionInterpreter)
  ]).catch(reason => {
    vegaModules = null; // a chunk that failed to load is asked for again by the next chart
    throw reason;
  });
  return vegaModules;
}

function textAlternative(model: IRenderMime.IMimeModel): string {
  const text = model.data['text/plain'];
  return typeof text === 'string' ? text : '';
}

/** Below this width a chart is drawn anew to fit, its text kept at its own size, instead of
 * its picture being scaled down until the text is too small to read (a phone's 390 px). */
function fitted(spec: import('vega-lite').TopLevelSpec, available: number) {
  const width = (spec as { width?: unknown }).width;
  if (typeof width !== 'number' || available <= 0 || available >= width + FRAME_ALLOWANCE) {
    return spec;
  }
  return {
    ...spec,
    width: Math.max(MIN_FIT_WIDTH, Math.floor(available)),
    autosize: { type: 'fit-x', contains: 'padding' }
  } as import('vega-lite').TopLevelSpec;
}

/** Room a chart's axes, labels and legend take beside its plot, at the most. */
const FRAME_ALLOWANCE = 280;
const MIN_FIT_WIDTH = 240;

export class ChartRenderer extends Widget implements IRenderMime.IRenderer {
  private view: import('vega').View | null = null;
  private model: IRenderMime.IMimeModel | null = null;
  /** The width the chart was last drawn for (0: as its spec says). */
  private drawnFor = 0;
  /** Which drawing is the latest: one started before it stops at its next step. */
  private drawing = 0;
  private readonly resizes = new ResizeObserver(() => this.redrawIfNarrowed());

  constructor(
    private readonly mimeType: string,
    private readonly trans: TranslationBundle = workbookWords()
  ) {
    super();
    this.addClass(CLASS_NAME);
    this.resizes.observe(this.node);
  }

  private available(): number {
    return this.node.parentElement?.clientWidth ?? this.node.clientWidth;
  }

  private redrawIfNarrowed(): void {
    const available = this.available();
    if (this.model && available > 0 && Math.abs(available - this.drawnFor) > 24) {
      void this.renderModel(this.model);
    }
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.model = model;
    const available = this.available();
    this.drawnFor = available;
    const spec = fitted(
      model.data[this.mimeType] as unknown as import('vega-lite').TopLevelSpec,
      available
    );
    const label = textAlternative(model);
    const drawing = ++this.drawing;
    this.finalizeView();
    this.node.textContent = '';
    try {
      const [vega, vegaLite, interpreter] = await loadVega();
      if (drawing !== this.drawing) {
        return;
      }
      const compiled = vegaLite.compile(spec).spec;
      const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
        container: this.node,
        // biome-ignore lint/suspicious/noExplicitAny: vega types the interpreter loosely
        expr: interpreter as any,
        hover: true,
        renderer: 'svg'
      });
      this.view = view;
      await view.runAsync();
      if (drawing !== this.drawing) {
        return;
      }
      // One name for the whole chart, the text alternative the kernel sends beside the spec
      // (vega names its container after the spec's description, with a graphics role).
      this.node.setAttribute('role', 'img');
      this.node.setAttribute('aria-label', label || this.trans.__('Chart'));
      this.node.removeAttribute('aria-roledescription');
      this.node.querySelector('svg')?.setAttribute('aria-hidden', 'true');
      chartsDrawn += 1;
      this.node.dataset.drawn = String(chartsDrawn);
    } catch (reason) {
      console.error('Buy-in Workbook: a chart could not be drawn', reason);
      this.finalizeView();
      const message = document.createElement('p');
      message.className = 'bw-VegaChart-error';
      message.textContent = label
        ? this.trans.__('The chart could not be drawn. What it shows: %1', label)
        : this.trans.__('The chart could not be drawn.');
      this.node.replaceChildren(message);
      for (const name of ['role', 'aria-label', 'aria-roledescription']) {
        this.node.removeAttribute(name);
      }
    }
  }

  dispose(): void {
    this.resizes.disconnect();
    this.finalizeView();
    super.dispose();
  }

  private finalizeView(): void {
    this.view?.finalize();
    this.view = null;
  }
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [VEGALITE6_MIME, VEGALITE6_CELL_MIME],
  defaultRank: 57,
  createRenderer: options => new ChartRenderer(options.mimeType, workbookWords(options.translator))
};

const extension: IRenderMime.IExtension = {
  id: 'buyin-workbook:vegalite6',
  description: 'Draws Vega-Lite 6 charts in the page, offline.',
  rendererFactory,
  dataType: 'json'
};

export default extension;
