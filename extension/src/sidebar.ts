/**
 * The left sidebar: the user's plans, each exercise's progress as the server reports it,
 * and buttons to open an exercise or the summary for a plan.
 */
import { showErrorMessage } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { getExercises, getPlans, type IPlan, type Progress, setCurrentPlan } from './api';
import { workbookIcon } from './icon';

/** How often the panel asks for the plans again while it is visible. */
const REFRESH_MS = 3000;

export interface ISidebarOptions {
  /** The extension's words in JupyterLab's language. */
  trans: TranslationBundle;
  /** Open an exercise (the `open-exercise` command). */
  openExercise: (exercise: string) => Promise<unknown>;
  /** Open the summary (the `open-summary` command). */
  openSummary: () => Promise<unknown>;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function button(className: string, text: string, title: string, onClick: () => void) {
  const node = element('button', `bw-lab-button jp-mod-styled ${className}`, text);
  node.type = 'button';
  node.title = title;
  node.addEventListener('click', onClick);
  return node;
}

/** A stored ISO time in the page's language; "never" when nothing was saved yet. */
function when(iso: string | null, trans: TranslationBundle): string {
  if (!iso) {
    return trans.__('never');
  }
  const date = new Date(iso);
  const language = document.documentElement.lang || undefined;
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

/** An exercise's progress as the server reports it, in the page's words. */
function progressWords(progress: Progress, trans: TranslationBundle): string {
  switch (progress) {
    case 'not started':
      return trans.__('not started');
    case 'in progress':
      return trans.__('in progress');
    case 'done':
      return trans.__('done');
    default:
      return progress;
  }
}

export class WorkbookSidebar extends Widget {
  constructor(private readonly options: ISidebarOptions) {
    super();
    this.id = 'buyin-workbook-sidebar';
    this.addClass('bw-lab-sidebar');
    this.title.icon = workbookIcon;
    this.title.caption = 'Buy-in Workbook';

    const header = element('header', 'bw-lab-header');
    header.appendChild(element('h2', 'bw-lab-title', 'Buy-in Workbook'));
    this._status = element('p', 'bw-lab-status');
    this._status.setAttribute('role', 'status');
    this._list = element('div', 'bw-lab-plans');
    this.node.append(header, this._status, this._list);
  }

  /** Ask the server for the plans and redraw if anything changed. */
  async refresh(): Promise<void> {
    let plans: IPlan[];
    try {
      plans = await getPlans();
    } catch (error) {
      this._showError(this._trans.__('Could not load your plans. %1', (error as Error).message));
      return;
    }
    if (this.isDisposed) {
      return;
    }
    this._status.textContent = '';
    this._status.classList.remove('bw-lab-error');
    // Redraw only on change, so a refresh never moves focus or a hovered button.
    const shown = JSON.stringify(plans);
    if (shown === this._shown) {
      return;
    }
    this._shown = shown;
    this._list.replaceChildren(
      ...(plans.length ? plans.map(plan => this._renderPlan(plan)) : [this._renderEmpty()])
    );
  }

  dispose(): void {
    this._stopTimer();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.refresh();
    this._stopTimer();
    this._timer = window.setInterval(() => {
      if (this.isVisible) {
        void this.refresh();
      }
    }, REFRESH_MS);
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._stopTimer();
  }

  private _stopTimer(): void {
    if (this._timer !== null) {
      window.clearInterval(this._timer);
      this._timer = null;
    }
  }

  private _showError(message: string): void {
    this._status.textContent = message;
    this._status.classList.add('bw-lab-error');
  }

  /** Run an action from a button; what went wrong is shown in a dialog. */
  private async _run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      void this.refresh();
    } catch (error) {
      void showErrorMessage('Buy-in Workbook', error as Error);
    }
  }

  private _renderPlan(plan: IPlan): HTMLElement {
    const trans = this._trans;
    const section = element('section', 'bw-lab-plan');
    section.dataset.planId = String(plan.id);
    if (plan.current) {
      section.classList.add('bw-lab-current');
    }
    const heading = element('h3', 'bw-lab-plan-heading');
    heading.appendChild(element('span', 'bw-lab-plan-name', plan.name));
    if (plan.current) {
      const badge = element('span', 'bw-lab-current-badge', trans.__('current'));
      badge.title = trans.__('The plan the notebooks open next');
      heading.appendChild(badge);
    }
    section.appendChild(heading);

    const list = element('ul', 'bw-lab-exercises');
    for (const exercise of plan.exercises) {
      const row = element('li', 'bw-lab-exercise');
      row.dataset.exercise = exercise.id;
      row.dataset.progress = exercise.progress;
      const text = element('div', 'bw-lab-exercise-text');
      text.appendChild(element('span', 'bw-lab-exercise-title', exercise.title));
      const meta = element('span', 'bw-lab-exercise-meta');
      meta.appendChild(element('span', 'bw-lab-progress', progressWords(exercise.progress, trans)));
      meta.appendChild(document.createTextNode(' · '));
      const changed = element('span', 'bw-lab-changed', when(exercise.last_changed, trans));
      changed.title = exercise.last_changed
        ? trans.__('Last changed')
        : trans.__('Nothing saved yet');
      meta.appendChild(changed);
      text.appendChild(meta);
      row.appendChild(text);
      row.appendChild(
        button(
          'bw-lab-open',
          trans.__('Open'),
          trans.__('Open “%1” for %2', exercise.title, plan.name),
          () => {
            void this._run(async () => {
              await setCurrentPlan(plan.id);
              await this.options.openExercise(exercise.id);
            });
          }
        )
      );
      list.appendChild(row);
    }
    section.appendChild(list);
    section.appendChild(
      button(
        'bw-lab-summary',
        trans.__('Open summary report'),
        trans.__('The summary of %1', plan.name),
        () => {
          void this._run(async () => {
            await setCurrentPlan(plan.id);
            await this.options.openSummary();
          });
        }
      )
    );
    return section;
  }

  private _renderEmpty(): HTMLElement {
    const empty = element('div', 'bw-lab-empty');
    empty.appendChild(
      element(
        'p',
        'bw-lab-empty-text',
        this._trans.__('No plans yet. Start with the first exercise: it asks for your plan.')
      )
    );
    empty.appendChild(
      button(
        'bw-lab-start',
        this._trans.__('Open the first exercise'),
        this._trans.__('Open the first exercise'),
        () => {
          void this._run(async () => {
            const [first] = await getExercises();
            await this.options.openExercise(first.id);
          });
        }
      )
    );
    return empty;
  }

  private get _trans(): TranslationBundle {
    return this.options.trans;
  }

  private readonly _status: HTMLElement;
  private readonly _list: HTMLElement;
  private _shown = '';
  private _timer: number | null = null;
}
