/**
 * Typed calls to the workbook's server extension (`buyin_workbook/lab_api/`), the one source of
 * truth for exercises, plans and progress. Nothing here computes what the server knows.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';

import { workbookWords } from './words';

/** Where the server extension mounts its endpoints, under the server's base URL. */
const API_PATH = 'buyin-workbook/api';

/** The summary's id in `GET exercises` (the API's contract). */
export const SUMMARY_ID = 'summary';
/** The facilitator's notebook: a launcher card, but no exercise to open from the palette. */
export const FACILITATOR_ID = 'cohort';

export type Progress = 'not started' | 'in progress' | 'done';

export interface IExercise {
  id: string;
  title: string;
  question: string;
  notebook: string;
}

export interface IPlanExercise {
  id: string;
  title: string;
  progress: Progress;
  last_changed: string | null;
}

export interface IPlan {
  id: number;
  name: string;
  updated_at: string;
  current: boolean;
  exercises: IPlanExercise[];
}

export interface ICopy {
  path: string;
  created: boolean;
}

/** A failed call, with the server's own message when it sent one. */
export class ApiError extends Error {}

let words: TranslationBundle = workbookWords();

/** Say the calls' own errors in JupyterLab's language (once the extension has its words). */
export function useWords(trans: TranslationBundle): void {
  words = trans;
}

async function request<T>(endpoint: string, init: RequestInit = {}): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, API_PATH, endpoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ApiError(words.__('Could not reach the Buy-in Workbook server: %1', String(error)));
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const message =
      data !== null && typeof data === 'object' && 'message' in data
        ? String((data as { message: unknown }).message)
        : `${response.status} ${response.statusText}`;
    throw new ApiError(`${endpoint}: ${message}`);
  }
  return data as T;
}

let exercisesPromise: Promise<IExercise[]> | null = null;

/** All exercises, the summary included, in the server's order (fetched once). */
export function getExercises(): Promise<IExercise[]> {
  if (exercisesPromise === null) {
    exercisesPromise = request<{ exercises: IExercise[] }>('exercises').then(
      data => data.exercises
    );
    // A failed fetch is not remembered: the next caller asks again.
    exercisesPromise.catch(() => {
      exercisesPromise = null;
    });
  }
  return exercisesPromise;
}

export async function getPlans(): Promise<IPlan[]> {
  return (await request<{ plans: IPlan[] }>('plans')).plans;
}

/** The user's own copy of an exercise notebook (made on first use, never overwritten). */
export function makeCopy(exercise: string): Promise<ICopy> {
  return request<ICopy>('copies', {
    method: 'POST',
    body: JSON.stringify({ exercise })
  });
}

/** Make `planId` the plan the notebooks open next. */
export async function setCurrentPlan(planId: number): Promise<void> {
  await request<{ plan: unknown }>(`plans/${planId}/current`, { method: 'PUT' });
}
