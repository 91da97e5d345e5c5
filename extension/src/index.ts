/**
 * Buy-in Workbook in JupyterLab: a launcher card per exercise, a sidebar with the user's
 * plans and their progress, and palette commands. Everything it shows comes from the
 * workbook's server extension (see ./api.ts).
 */

import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import {
  ILabShell,
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import {
  FACILITATOR_ID,
  getExercises,
  type IExercise,
  makeCopy,
  SUMMARY_ID,
  setCurrentPlan,
  useWords
} from './api';
import { CopyLinkModel, CopyLinkView } from './copyLink';
import {
  DownloadButtonModel,
  DownloadButtonView,
  FileChooserModel,
  FileChooserView
} from './files';
import { workbookIcon } from './icon';
import {
  MODULE_NAME,
  MODULE_VERSION,
  PageGuardModel,
  PageGuardView,
  useCommands
} from './pageGuard';
import { WorkbookSidebar } from './sidebar';
import { workbookWords } from './words';

const CATEGORY = 'Buy-in Workbook';

export namespace CommandIDs {
  /** Args `{exercise: id}`: open the user's own copy of that exercise notebook. */
  export const openExercise = 'buyin-workbook:open-exercise';
  /** Args `{plan?: id}`: open the summary (for that plan, made current first). */
  export const openSummary = 'buyin-workbook:open-summary';
  /** Show the current notebook as an app, in Voilà's preview. */
  export const openAsApp = 'buyin-workbook:open-as-app';
}

/** Voilà's own JupyterLab preview command (@voila-dashboards/jupyterlab-preview). */
const VOILA_PREVIEW = 'notebook:render-with-voila';

/**
 * A copy opens ready to use: its cells run as soon as its kernel is there (what the packaged
 * notebook saved is only a picture of the page, with no controls that work).
 */
async function runWhenReady(app: JupyterFrontEnd, widget: unknown): Promise<void> {
  const panel = widget as { id?: string; sessionContext?: { ready: Promise<void> } } | null;
  if (!panel?.sessionContext || !panel.id) {
    return;
  }
  await panel.sessionContext.ready;
  if (app.shell.currentWidget?.id !== panel.id) {
    app.shell.activateById(panel.id);
  }
  await app.commands.execute('notebook:run-all-cells');
}

function exerciseArg(args: ReadonlyPartialJSONObject): string {
  return typeof args.exercise === 'string' ? args.exercise : '';
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'buyin-workbook:plugin',
  description: 'Launcher cards, a plans sidebar and commands for the Buy-in Workbook.',
  autoStart: true,
  // ILauncher is resolved in `activate`, not listed here: see there.
  optional: [ICommandPalette, ILabShell, ILayoutRestorer, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ): Promise<void> => {
    if (!labShell) {
      // Voilà's pages load every installed labextension too: none of this belongs there.
      return;
    }
    // Voilà's pages do not share @jupyterlab/launcher, so importing it at the top of this
    // module fails to load there (an error in every app's console); here it is only
    // imported in JupyterLab, from JupyterLab's own shared copy (the same token).
    const { ILauncher } = await import('@jupyterlab/launcher');
    const launcher = await app.resolveOptionalService(ILauncher);
    const { commands, shell } = app;
    const trans = workbookWords(translator);
    useWords(trans);
    /** The exercises as the server lists them, once they have arrived (for labels). */
    const exercises = new Map<string, IExercise>();

    commands.addCommand(CommandIDs.openExercise, {
      label: args => {
        const exercise = exercises.get(exerciseArg(args));
        if (!exercise) {
          return trans.__('Open a Buy-in Workbook exercise');
        }
        return args.isPalette ? trans.__('Open exercise: %1', exercise.title) : exercise.title;
      },
      caption: args => exercises.get(exerciseArg(args))?.question ?? '',
      icon: workbookIcon,
      execute: async args => {
        const exercise = exerciseArg(args);
        try {
          const copy = await makeCopy(exercise);
          const widget = await commands.execute('docmanager:open', { path: copy.path });
          await runWhenReady(app, widget);
          return widget;
        } catch (error) {
          void showErrorMessage(trans.__('Could not open the exercise'), error as Error);
        }
      }
    });

    commands.addCommand(CommandIDs.openSummary, {
      label: trans.__('Open the summary report'),
      caption: trans.__('Every exercise done so far for the current plan, and the exports.'),
      icon: workbookIcon,
      execute: async args => {
        try {
          if (typeof args.plan === 'number') {
            await setCurrentPlan(args.plan);
          }
        } catch (error) {
          void showErrorMessage(trans.__('Could not open the summary'), error as Error);
          return;
        }
        return commands.execute(CommandIDs.openExercise, { exercise: SUMMARY_ID });
      }
    });

    commands.addCommand(CommandIDs.openAsApp, {
      label: trans.__('Open the notebook as an app (Voilà preview)'),
      caption: trans.__(
        'Show the current notebook as its users see it: no code, only the questions.'
      ),
      // Voilà's command is enabled exactly when the current widget is a notebook (it
      // checks its notebook tracker against the shell), so this follows it.
      isEnabled: () => commands.hasCommand(VOILA_PREVIEW) && commands.isEnabled(VOILA_PREVIEW),
      execute: () => commands.execute(VOILA_PREVIEW)
    });
    labShell.currentChanged.connect(() => commands.notifyCommandChanged(CommandIDs.openAsApp));

    const sidebar = new WorkbookSidebar({
      trans,
      openExercise: exercise => commands.execute(CommandIDs.openExercise, { exercise }),
      openSummary: () => commands.execute(CommandIDs.openSummary)
    });
    shell.add(sidebar, 'left', { rank: 650 });
    restorer?.add(sidebar, sidebar.id);

    if (palette) {
      palette.addItem({ command: CommandIDs.openSummary, category: CATEGORY });
      palette.addItem({ command: CommandIDs.openAsApp, category: CATEGORY });
    }

    // Launcher cards and palette entries need the exercises: add them when they arrive.
    getExercises()
      .then(list => {
        list.forEach((exercise, rank) => {
          exercises.set(exercise.id, exercise);
          const args = { exercise: exercise.id };
          launcher?.add({ command: CommandIDs.openExercise, args, category: CATEGORY, rank });
          if (palette && exercise.id !== SUMMARY_ID && exercise.id !== FACILITATOR_ID) {
            palette.addItem({
              command: CommandIDs.openExercise,
              args: { ...args, isPalette: true },
              category: CATEGORY,
              rank
            });
          }
        });
      })
      .catch(error => {
        console.warn('Buy-in Workbook: no exercises from the server, so no launcher cards.', error);
      });
  }
};

/**
 * The widgets the workbook's kernels display (the page guard, file buttons), in JupyterLab and in Voila's
 * apps alike: both load this extension and provide the widget registry.
 */
const widgetsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'buyin-workbook:widgets',
  description: 'The Buy-in Workbook widgets: the page guard, files in and out, links to copy.',
  autoStart: true,
  requires: [IJupyterWidgetRegistry],
  activate: (app: JupyterFrontEnd, registry: IJupyterWidgetRegistry): void => {
    useCommands(app.commands);
    registry.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: {
        CopyLinkModel,
        CopyLinkView,
        DownloadButtonModel,
        DownloadButtonView,
        FileChooserModel,
        FileChooserView,
        PageGuardModel,
        PageGuardView
      }
    });
  }
};

export default [plugin, widgetsPlugin];
