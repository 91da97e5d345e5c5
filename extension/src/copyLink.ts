/**
 * CopyLink: a link to hand on, with a button that copies it (kernel side:
 * `buyin_workbook/widgets/copy_link.py`). Where the clipboard is refused (a page served
 * over plain http to another machine), the link is selected and the page says to copy it.
 */
import { DOMWidgetModel, DOMWidgetView } from '@jupyter-widgets/base';

import { workbookModelNames } from './pageGuard';

interface ICopyWords {
  copy: string;
  copied: string;
  select: string;
}

export class CopyLinkModel extends DOMWidgetModel {
  defaults() {
    return {
      ...super.defaults(),
      ...workbookModelNames('CopyLinkModel', 'CopyLinkView'),
      value: '',
      link_class: '',
      words: { copy: '', copied: '', select: '' }
    };
  }
}

export class CopyLinkView extends DOMWidgetView {
  private _link: HTMLElement | null = null;
  private _button: HTMLButtonElement | null = null;
  private _status: HTMLElement | null = null;

  render(): void {
    this.el.classList.add('jupyter-widgets', 'bw-copy-link');
    const link = document.createElement('code');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jupyter-widgets jupyter-button widget-button bw-copy-link-button';
    button.addEventListener('click', () => void this._copy());
    const status = document.createElement('span');
    status.className = 'bw-copy-link-status';
    status.setAttribute('role', 'status');
    this._link = link;
    this._button = button;
    this._status = status;
    this.el.append(link, button, status);
    this.listenTo(this.model, 'change', this._update);
    this._update();
  }

  private _words(): ICopyWords {
    return this.model.get('words') as ICopyWords;
  }

  private _update(): void {
    if (!this._link || !this._button || !this._status) {
      return;
    }
    const value = this.model.get('value') as string;
    // The link's class only once there is a link: a page waits on it, not on an empty box.
    this._link.className = value ? (this.model.get('link_class') as string) : '';
    this._link.textContent = value;
    this._button.textContent = this._words().copy;
    this._status.textContent = '';
  }

  private async _copy(): Promise<void> {
    const url = this.model.get('value') as string;
    const words = this._words();
    if (!this._status || !this._link) {
      return;
    }
    try {
      await navigator.clipboard.writeText(url);
      this._status.textContent = words.copied;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(this._link);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      this._status.textContent = words.select;
    }
  }
}
