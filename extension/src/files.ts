/**
 * Files in and out of the kernel, one step each (kernel side: `buyin_workbook/widgets/files.py`).
 *
 * FileChooser: a button that opens the browser's file chooser and sends the chosen file to
 * the kernel once, as a message with the bytes attached (ipywidgets' FileUpload shows a
 * count beside its label, "Import a plan file (0)", and keeps the file in its state).
 *
 * DownloadButton: a button that asks the kernel for a file and saves what comes back, so a
 * press downloads (no second "Download ..." link to press). Nothing is written on the server.
 */
import { DOMWidgetModel, DOMWidgetView } from '@jupyter-widgets/base';

import { workbookModelNames } from './pageGuard';

export class FileChooserModel extends DOMWidgetModel {
  defaults() {
    return {
      ...super.defaults(),
      ...workbookModelNames('FileChooserModel', 'FileChooserView'),
      description: '',
      accept: '',
      disabled: false
    };
  }
}

export class FileChooserView extends DOMWidgetView {
  private _button: HTMLButtonElement | null = null;
  private _input: HTMLInputElement | null = null;

  render(): void {
    this.el.classList.add('jupyter-widgets', 'widget-inline-hbox', 'bw-file-chooser');
    const input = document.createElement('input');
    input.type = 'file';
    input.hidden = true;
    input.tabIndex = -1;
    input.addEventListener('change', () => void this._send());
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jupyter-widgets jupyter-button widget-button';
    button.addEventListener('click', () => {
      input.value = ''; // the same file chosen twice is sent twice
      input.click();
    });
    this._input = input;
    this._button = button;
    this.el.append(button, input);
    this.listenTo(this.model, 'change', this._update);
    this._update();
  }

  handle_message(content: { do?: string }): void {
    if (content.do === 'focus') {
      this._button?.focus();
    }
  }

  private _update(): void {
    if (!this._button || !this._input) {
      return;
    }
    this._button.textContent = this.model.get('description') as string;
    this._button.disabled = Boolean(this.model.get('disabled'));
    this._input.accept = this.model.get('accept') as string;
  }

  private async _send(): Promise<void> {
    const file = this._input?.files?.[0];
    if (!file) {
      return;
    }
    const content = await file.arrayBuffer();
    this.send({ event: 'file', name: file.name, size: file.size }, [content]);
  }
}

export class DownloadButtonModel extends DOMWidgetModel {
  defaults() {
    return {
      ...super.defaults(),
      ...workbookModelNames('DownloadButtonModel', 'DownloadButtonView'),
      description: '',
      tooltip: '',
      disabled: false
    };
  }
}

interface ISaveMessage {
  do?: string;
  name?: string;
  mime?: string;
}

export class DownloadButtonView extends DOMWidgetView {
  private _button: HTMLButtonElement | null = null;

  render(): void {
    this.el.classList.add('jupyter-widgets', 'widget-inline-hbox', 'bw-download');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jupyter-widgets jupyter-button widget-button';
    button.addEventListener('click', () => this.send({ event: 'click' }));
    this._button = button;
    this.el.append(button);
    this.listenTo(this.model, 'change', this._update);
    this._update();
  }

  handle_message(content: ISaveMessage, buffers?: (ArrayBuffer | ArrayBufferView)[]): void {
    if (content.do === 'focus') {
      this._button?.focus();
    } else if (content.do === 'save' && buffers?.length) {
      const blob = new Blob([buffers[0] as BlobPart], {
        type: content.mime || 'application/octet-stream'
      });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = content.name || 'download';
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    }
  }

  private _update(): void {
    if (!this._button) {
      return;
    }
    this._button.textContent = this.model.get('description') as string;
    this._button.title = this.model.get('tooltip') as string;
    this._button.disabled = Boolean(this.model.get('disabled'));
  }
}
