/**
 * The extension's own words, through JupyterLab's translation API: in the language chosen
 * in JupyterLab's Settings → Language. Their catalogues are the workbook's (its `.po` files,
 * compiled to JupyterLab's JSON when the Python package is built, and found through the
 * package's `jupyterlab.locale` entry point); JupyterLab loads them once its language pack
 * for that language is installed, as it does for every extension.
 */
import { type ITranslator, nullTranslator, type TranslationBundle } from '@jupyterlab/translation';

/** The workbook's gettext domain (the Python package's name). */
export const DOMAIN = 'buyin_workbook';

/** The extension's words in JupyterLab's language (English without a translator). */
export function workbookWords(translator?: ITranslator | null): TranslationBundle {
  return (translator ?? nullTranslator).load(DOMAIN);
}
