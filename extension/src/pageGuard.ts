/**
 * The page guard's frontend (its kernel side is `buyin_workbook/_page_guard.py`).
 *
 * A page keeps looking saved after its kernel is gone (a restarted server, a killed
 * kernel, a lost network): nothing else tells the person that their typing goes nowhere.
 * This view watches the page's connection to its kernel and says so in a banner, with a
 * reload that keeps what was typed: the page's text boxes are kept in this browser tab
 * (sessionStorage) and put back once the exercise is on screen again. On the way out of
 * the page it also sends the widget changes the browser still held back (ipywidgets sends
 * one change at a time and holds the rest until the kernel answers), then "leaving" on the
 * same connection: the kernel saves them all before it lets itself be shut down, so a tab
 * closed right after typing loses nothing. It sends them too before Enter's "submit" and a
 * button's "click" reach the kernel, so neither overtakes the typing it acts on.
 */
import { DOMWidgetModel, DOMWidgetView, type WidgetModel } from '@jupyter-widgets/base';
import { URLExt } from '@jupyterlab/coreutils';
import { type Kernel, ServerConnection } from '@jupyterlab/services';
import type { CommandRegistry } from '@lumino/commands';

import { watchNewControls } from './focus';

export const MODULE_NAME = 'buyin-workbook';
/** Kept equal to package.json's version (a test checks it, and the Python side's range). */
export const MODULE_VERSION = '0.1.0';

/** JupyterLab's command that runs a notebook again (absent in Voila: there, reload). */
const RUN_ALL = 'notebook:run-all-cells';
/** How long a broken connection may try to come back before the page counts it as lost. */
const LOST_AFTER_MS = 20000;
/** How soon, and how often, to ask the server whether the kernel still exists. */
const PROBE_MS = 2000;
/** How long to wait for the exercise to be drawn again before putting typing back. */
const RESTORE_WITHIN_MS = 30000;
/** What is on screen once a page is drawn: an exercise's plan picker, or a page with no
 * plan to pick (a team member's, the "about me" file's). */
const DRAWN = '.bw-plan-picker, .bw-member-page, .bw-about-ranking';

let appCommands: CommandRegistry | null = null;

/** The application's commands, for the reload (set when the plugin starts). */
export function useCommands(commands: CommandRegistry): void {
  appCommands = commands;
}

interface IWords {
  interrupted: string;
  lost: string;
  reload: string;
  restored: string;
  restored_one: string;
  problem_title: string;
}

interface IKept {
  plan: string;
  fields: Record<string, string>;
  /** Every box's text in the page's order: a page in another language (the language
   * switch) labels its boxes in other words, but draws them in the same order. */
  order?: string[];
}

/** What ipywidgets keeps of a model, beyond its typed surface. */
interface IHeldChanges {
  _msg_buffer: Record<string, unknown> | null;
  _msg_buffer_callbacks: unknown;
  send_sync_message(state: Record<string, unknown>, callbacks?: unknown): string;
  rememberLastUpdateFor?(msgId: string): void;
}

/** What the widget managers of JupyterLab and Voila have in common, beyond the types. */
interface IManagerInternals {
  kernel?: Kernel.IKernelConnection | null;
  _modelsSync?: Map<string, WidgetModel>;
}

const STYLE = `
.bw-page-guard-banner { position: fixed; left: 50%; bottom: 16px; transform: translateX(-50%);
  z-index: 10000; box-sizing: border-box; width: min(720px, calc(100vw - 24px));
  padding: 12px 16px; border: 2px solid #a15c00; border-radius: 8px; background: #fff8eb;
  color: #1f2933; font: 15px/1.45 system-ui, sans-serif; box-shadow: 0 4px 16px #0003; }
.bw-page-guard-banner[hidden] { display: none; }
.bw-page-guard-banner.bw-in-notebook { position: sticky; left: auto; bottom: 8px;
  transform: none; width: auto; margin: 8px 0; }
/* The banner says what happened; ipywidgets' broken-link marks on every control add noise. */
.bw-exercise .jupyter-widgets-disconnected::before { display: none; }
.bw-page-guard-banner.bw-ok { border-color: #2e7d32; background: #f0faf1; }
.bw-page-guard-banner p { margin: 0 0 8px; }
.bw-page-guard-banner p:last-child { margin: 0; }
.bw-page-guard-banner button { font: inherit; padding: 6px 14px; border-radius: 4px;
  border: 1px solid #7a4b00; background: #a15c00; color: #fff; cursor: pointer; }
.bw-page-guard-banner button:focus-visible { outline: 3px solid #1f6feb; outline-offset: 2px; }
`;

function addStyle(): void {
  if (!document.getElementById('bw-page-guard-style')) {
    const style = document.createElement('style');
    style.id = 'bw-page-guard-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
}

/** The names a model of this package gives ipywidgets for itself and its view. */
export function workbookModelNames(model: string, view: string) {
  return {
    _model_name: model,
    _view_name: view,
    _model_module: MODULE_NAME,
    _view_module: MODULE_NAME,
    _model_module_version: MODULE_VERSION,
    _view_module_version: MODULE_VERSION
  };
}

export class PageGuardModel extends DOMWidgetModel {
  defaults() {
    return {
      ...super.defaults(),
      ...workbookModelNames('PageGuardModel', 'PageGuardView'),
      page: '',
      problem: '',
      words: {},
      language: ''
    };
  }
}

export class PageGuardView extends DOMWidgetView {
  private _banner: HTMLDivElement | null = null;
  private _state: 'ok' | 'interrupted' | 'lost' | 'problem' = 'ok';
  private _lostAt: Date | null = null;
  private _timer: number | null = null;
  private _kernel: Kernel.IKernelConnection | null = null;
  private _left = false;
  /** On the way out: what ipywidgets held back, then "leaving", on the same connection. */
  private readonly _onLeave = () => {
    // Once only (beforeunload, then pagehide), and only while the connection is there.
    if (this._left || !this.model.comm_live || this._kernel?.connectionStatus !== 'connected') {
      return;
    }
    this._left = true;
    try {
      flushHeldChanges(this.model.widget_manager);
      this.send({ event: 'leaving' });
    } catch (error) {
      console.warn('Buy-in Workbook: could not send the last changes as the page closed.', error);
    }
  };

  /**
   * Enter in a workbook text box: send the typing ipywidgets still holds back first, so the
   * kernel has the whole text when Enter's "submit" arrives (a custom message, never held).
   */
  private readonly _onEnter = (event: KeyboardEvent) => {
    const target = event.target;
    if (
      event.key === 'Enter' &&
      target instanceof HTMLInputElement &&
      target.closest('.bw-exercise') &&
      this.model.comm_live
    ) {
      flushHeldChanges(this.model.widget_manager);
    }
  };

  /**
   * A press of a workbook button (by mouse or keyboard): send the typing still held back
   * first, as for Enter, so "Add" adds the whole name typed just before (a click is a custom
   * message and would overtake it).
   */
  private readonly _onPress = (event: MouseEvent) => {
    const target = event.target;
    if (
      target instanceof Element &&
      target.closest('.bw-exercise button, .bw-exercise .jupyter-button') &&
      this.model.comm_live
    ) {
      flushHeldChanges(this.model.widget_manager);
    }
  };

  render(): void {
    addStyle();
    watchNewControls(); // every exercise page has a guard: it brings the focus watcher along
    this.el.classList.add('bw-page-guard');
    // A Voila app is the exercise's own page: its <html lang> is the exercise's language.
    const language = this.model.get('language') as string;
    if (language && !inJupyterLab()) {
      document.documentElement.lang = language;
    }
    const banner = document.createElement('div');
    banner.className = 'bw-page-guard-banner';
    banner.setAttribute('role', 'alert');
    banner.hidden = true;
    this._banner = banner;
    this.el.appendChild(banner);

    const manager = this.model.widget_manager as unknown as IManagerInternals;
    this._kernel = manager.kernel ?? null;
    this._kernel?.statusChanged.connect(this._onStatus, this);
    this._kernel?.connectionStatusChanged.connect(this._onConnection, this);
    this.listenTo(this.model, 'comm_live_update', () => {
      if (!this.model.comm_live) {
        this._lose();
      }
    });
    this.listenTo(this.model, 'change:problem', () => this._showProblem());
    // Capture: before Voila's own listener closes the kernel connection.
    window.addEventListener('beforeunload', this._onLeave, { capture: true });
    window.addEventListener('pagehide', this._onLeave, { capture: true });
    // Capture: before the text box's own handler sends "submit".
    document.addEventListener('keydown', this._onEnter, { capture: true });
    // Capture: before the button's own handler sends "click".
    document.addEventListener('click', this._onPress, { capture: true });
    // The served pages bar's language switch asks for the typing to be kept as it leaves.
    window.addEventListener('bw-keep-typing', this._onKeep);
    this._showProblem();
    void this._putTypingBack();
  }

  remove(): void {
    this._kernel?.statusChanged.disconnect(this._onStatus, this);
    this._kernel?.connectionStatusChanged.disconnect(this._onConnection, this);
    window.removeEventListener('beforeunload', this._onLeave, { capture: true });
    window.removeEventListener('pagehide', this._onLeave, { capture: true });
    document.removeEventListener('keydown', this._onEnter, { capture: true });
    document.removeEventListener('click', this._onPress, { capture: true });
    window.removeEventListener('bw-keep-typing', this._onKeep);
    this._stopTimer();
    this._banner?.remove();
    super.remove();
  }

  private get _words(): IWords {
    return this.model.get('words') as IWords;
  }

  // -- watching ----------------------------------------------------------------------------

  private _onStatus(_kernel: Kernel.IKernelConnection, status: Kernel.Status): void {
    // The kernel died or was started afresh: the page's widgets have nobody behind them.
    if (status === 'dead' || status === 'restarting' || status === 'autorestarting') {
      this._lose();
    }
  }

  private _onConnection(_kernel: Kernel.IKernelConnection, status: Kernel.ConnectionStatus): void {
    if (status === 'connected') {
      if (this._state === 'interrupted') {
        this._setState('ok');
      }
    } else if (status === 'disconnected') {
      this._lose();
    } else if (this._state === 'ok') {
      this._setState('interrupted');
      this._probe(Date.now());
    }
  }

  /** While the connection tries to come back: does the server still know the kernel? */
  private _probe(since: number): void {
    this._stopTimer();
    this._timer = window.setTimeout(async () => {
      if (this._state !== 'interrupted') {
        return;
      }
      const gone = await kernelIsGone(this._kernel);
      if (gone || Date.now() - since > LOST_AFTER_MS) {
        this._lose();
      } else {
        this._probe(since);
      }
    }, PROBE_MS);
  }

  private _stopTimer(): void {
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
      this._timer = null;
    }
  }

  // -- showing -----------------------------------------------------------------------------

  private _lose(): void {
    if (this._state === 'lost' || this._state === 'problem') {
      return;
    }
    this._lostAt = this._lostAt ?? new Date();
    this._setState('lost');
  }

  private _showProblem(): void {
    const problem = this.model.get('problem') as string;
    if (problem) {
      this._setState('problem');
    }
  }

  private _setState(state: 'ok' | 'interrupted' | 'lost' | 'problem'): void {
    this._state = state;
    const banner = this._banner;
    if (!banner) {
      return;
    }
    banner.replaceChildren();
    banner.classList.remove('bw-ok');
    banner.hidden = state === 'ok';
    this._place(banner);
    if (state === 'interrupted') {
      banner.appendChild(paragraph(this._words.interrupted));
      banner.dataset.state = 'interrupted';
    } else if (state === 'lost') {
      this._stopTimer();
      const time = (this._lostAt ?? new Date()).toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit'
      });
      banner.appendChild(paragraph(this._words.lost.replace('{time}', time)));
      const reload = document.createElement('button');
      reload.type = 'button';
      reload.className = 'bw-page-guard-reload';
      reload.textContent = this._words.reload;
      reload.addEventListener('click', () => this._reload());
      banner.appendChild(reload);
      banner.dataset.state = 'lost';
    } else if (state === 'problem') {
      this._stopTimer();
      const title = paragraph(this._words.problem_title);
      title.style.fontWeight = '600';
      banner.append(title, paragraph(this.model.get('problem') as string));
      banner.dataset.state = 'problem';
    } else {
      delete banner.dataset.state;
    }
  }

  /**
   * In a notebook, the banner stays in its output (sticky at the bottom of the view while
   * the exercise is on screen); on an app page it goes to the page itself, where nothing
   * around it can clip it.
   */
  private _place(banner: HTMLElement): void {
    const inNotebook = this.el.isConnected && inJupyterLab();
    banner.classList.toggle('bw-in-notebook', inNotebook);
    const home = inNotebook ? this.el : document.body;
    if (banner.parentElement !== home) {
      home.appendChild(banner);
    }
  }

  // -- keeping typing over a reload --------------------------------------------------------

  private get _storageKey(): string {
    return `bw-kept:${window.location.pathname}:${this.model.get('page') as string}`;
  }

  private _onKeep = (): void => {
    this._keep();
  };

  /** Keep the page's typing in this tab, for the page that comes next (a reload). */
  private _keep(): void {
    const root = this._exercise();
    try {
      const kept: IKept = { plan: chosenPlan(root), fields: {}, order: [] };
      fieldsOf(root).forEach((field, id) => {
        kept.order?.push(field.value);
        if (field.value) {
          kept.fields[id] = field.value;
        }
      });
      window.sessionStorage.setItem(this._storageKey, JSON.stringify(kept));
    } catch (error) {
      console.warn('Buy-in Workbook: could not keep the typing for the reload.', error);
    }
  }

  private _reload(): void {
    this._keep();
    if (inJupyterLab()) {
      void appCommands?.execute(RUN_ALL);
    } else {
      window.location.reload();
    }
  }

  /** After a reload: put the kept typing back once the exercise is drawn again. */
  private async _putTypingBack(): Promise<void> {
    let kept: IKept | null = null;
    try {
      const stored = window.sessionStorage.getItem(this._storageKey);
      kept = stored ? (JSON.parse(stored) as IKept) : null;
    } catch {
      kept = null;
    }
    if (!kept) {
      return;
    }
    const root = await this._drawn();
    window.sessionStorage.removeItem(this._storageKey);
    if (!root || chosenPlan(root) !== kept.plan) {
      return;
    }
    let count = 0;
    const fields = fieldsOf(root);
    // The same labels: by label. None of them (the page now speaks another language): by
    // the boxes' order, when the page has as many as it had.
    const byLabel = Object.keys(kept.fields).some(id => fields.has(id));
    const order = kept.order ?? [];
    const byOrder = !byLabel && order.length === fields.size;
    [...fields].forEach(([id, field], position) => {
      const value = byLabel ? kept?.fields[id] : byOrder ? order[position] || undefined : undefined;
      if (value !== undefined && field.value !== value) {
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
        field.dispatchEvent(new Event('change', { bubbles: true }));
        count += 1;
      }
    });
    if (count > 0 && this._banner && this._state === 'ok') {
      this._place(this._banner);
      this._banner.replaceChildren(
        paragraph(
          (count === 1 ? this._words.restored_one : this._words.restored).replace(
            '{count}',
            String(count)
          )
        )
      );
      this._banner.classList.add('bw-ok');
      this._banner.setAttribute('role', 'status');
      this._banner.hidden = false;
      window.setTimeout(() => {
        if (this._state === 'ok' && this._banner) {
          this._banner.hidden = true;
          this._banner.setAttribute('role', 'alert');
        }
      }, 10000);
    }
  }

  /** The exercise around the guard, once its boxes stop appearing (or null). */
  private async _drawn(): Promise<HTMLElement | null> {
    const until = Date.now() + RESTORE_WITHIN_MS;
    let last = -1;
    while (Date.now() < until) {
      await new Promise(resolve => window.setTimeout(resolve, 300));
      const root = this._exercise();
      const count = root.querySelectorAll('input, textarea, select').length;
      if (count > 0 && count === last && (root.matches(DRAWN) || root.querySelector(DRAWN))) {
        return root;
      }
      last = count;
    }
    return null;
  }

  private _exercise(): HTMLElement {
    return (this.el.closest('.bw-exercise') as HTMLElement | null) ?? document.body;
  }
}

/** In JupyterLab (not in a Voila app, whose page also draws a `.jp-Notebook`). */
function inJupyterLab(): boolean {
  return appCommands?.hasCommand(RUN_ALL) ?? false;
}

function paragraph(text: string): HTMLParagraphElement {
  const node = document.createElement('p');
  node.textContent = text;
  return node;
}

/** The page's text boxes by a name that survives a reload: their label, and which one. */
function fieldsOf(root: HTMLElement): Map<string, HTMLInputElement | HTMLTextAreaElement> {
  const fields = new Map<string, HTMLInputElement | HTMLTextAreaElement>();
  const seen = new Map<string, number>();
  root
    .querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[type="text"], textarea')
    .forEach(field => {
      const label =
        field.parentElement?.querySelector('label')?.textContent?.trim() ||
        field.getAttribute('placeholder') ||
        '';
      const nth = seen.get(label) ?? 0;
      seen.set(label, nth + 1);
      fields.set(`${label}#${nth}`, field);
    });
  return fields;
}

function chosenPlan(root: HTMLElement): string {
  const select = root.querySelector<HTMLSelectElement>('.bw-plan-select select');
  return select?.selectedOptions[0]?.textContent ?? '';
}

/** Whether the server no longer knows the kernel (it restarted, or culled it). */
async function kernelIsGone(kernel: Kernel.IKernelConnection | null): Promise<boolean> {
  if (!kernel) {
    return true;
  }
  const settings = kernel.serverSettings;
  const url = URLExt.join(settings.baseUrl, 'api/kernels', encodeURIComponent(kernel.id));
  try {
    const response = await ServerConnection.makeRequest(url, {}, settings);
    return response.status === 404 || response.status === 403;
  } catch {
    return false; // the server does not answer at all: keep trying a while
  }
}

/** Send what ipywidgets still holds back for the kernel (see the module's comment). */
function flushHeldChanges(manager: unknown): void {
  const models = (manager as IManagerInternals)._modelsSync;
  models?.forEach(model => {
    const held = model as unknown as IHeldChanges;
    if (held._msg_buffer && model.comm_live) {
      const msgId = held.send_sync_message(held._msg_buffer, held._msg_buffer_callbacks);
      held.rememberLastUpdateFor?.(msgId);
      held._msg_buffer = null;
      held._msg_buffer_callbacks = null;
    }
  });
}
