// The typed API client: openapi-fetch over the generated schema, with the session's fetch.
import createClient from 'openapi-fetch';

import i18n from '../i18n';
import { ApiError, networkError, toApiError } from './errors';
import type { components, paths } from './schema';
import {
  RefreshRefused,
  SESSION_MODE_COOKIE,
  SESSION_MODE_HEADER,
  Session,
  createAuthFetch,
  type TabChannel,
  type Tokens,
} from './session';

export type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type Member = Schemas['Member'];
export type Role = Schemas['Role'];
export type Site = Schemas['Site'];
export type Plant = Schemas['Plant'];
export type ProductionLine = Schemas['ProductionLine'];
export type AuditEntry = Schemas['AuditEntry'];
export type PermissionInfo = Schemas['PermissionInfo'];
export type LoginResponse = Schemas['LoginResponse'];
export type Language = Schemas['Language'];
export type Equipment = Schemas['Equipment'];
export type EquipmentStatus = Schemas['EquipmentStatus'];
export type Criticality = Schemas['Criticality'];
export type StatusChange = Schemas['StatusChange'];
export type Meter = Schemas['Meter'];
export type Reading = Schemas['Reading'];
export type AttachmentInfo = Schemas['AttachmentInfo'];
export type WorkRequest = Schemas['WorkRequest'];
export type WorkRequestStatus = Schemas['WorkRequestStatus'];
export type RequestProgress = Schemas['RequestProgress'];
export type Urgency = Schemas['Urgency'];
export type WorkOrder = Schemas['WorkOrder'];
export type WorkOrderStatus = Schemas['WorkOrderStatus'];
export type WorkOrderType = Schemas['WorkOrderType'];
export type WorkOrderOrigin = Schemas['WorkOrderOrigin'];
export type WorkOrderAction = Schemas['Action'];
export type Priority = Schemas['Priority'];
export type ChecklistItem = Schemas['ChecklistItem'];
export type ChecklistKind = Schemas['ChecklistKind'];
export type NewChecklistItem = Schemas['NewChecklistItem'];
export type TimeEntry = Schemas['TimeEntry'];
export type Comment = Schemas['Comment'];
export type WorkOrderEvent = Schemas['Event'];
export type FailureCode = Schemas['FailureCode'];
export type FailureCodeKind = Schemas['FailureCodeKind'];
export type PmPlan = Schemas['PmPlan'];
export type PlanRequest = Schemas['PlanRequest'];
export type PlanTrigger = Schemas['Trigger'];
export type RecurrenceUnit = Schemas['Unit'];
export type Weekday = Schemas['Weekday'];
export type ScheduleMode = Schemas['ScheduleMode'];
export type ChecklistTemplate = Schemas['ChecklistTemplate'];
export type Occurrence = Schemas['Occurrence'];
export type SkippedOccurrence = Schemas['SkippedOccurrence'];
export type CalendarEntry = Schemas['CalendarEntry'];
export type CalendarPage = Schemas['CalendarPage'];
export type JobInfo = Schemas['JobInfo'];
export type JobStatus = Schemas['JobStatus'];
export type PersonRef = Schemas['PersonRef'];
export type Invitation = Schemas['Invitation'];
export type Kpis = Schemas['Kpis'];
export type KpiIndicator = Schemas['KpiIndicator'];

export const API_BASE = '/api/v1';

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function browserChannel(): TabChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const channel = new BroadcastChannel('gmao-session');
  return {
    post: (message) => channel.postMessage(message),
    subscribe: (listener) => {
      channel.onmessage = (event: MessageEvent) =>
        listener(event.data as Parameters<typeof listener>[0]);
    },
  };
}

async function browserLock<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && 'locks' in navigator) {
    return await navigator.locks.request('gmao-refresh', task);
  }
  return await task();
}

/** `POST /auth/refresh` with no token in the body: the HttpOnly cookie carries it, and the next one goes back there. */
async function refreshTokens(): Promise<Tokens> {
  const response = await fetch(`${API_BASE}/auth/refresh`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      'Accept-Language': i18n.language,
      [SESSION_MODE_HEADER]: SESSION_MODE_COOKIE,
    },
    body: '{}',
  });
  if (response.ok) return (await response.json()) as Tokens;
  if (response.status === 401 || response.status === 400 || response.status === 403) {
    const body: unknown = await response.json().catch(() => null);
    throw new RefreshRefused(toApiError(response.status, body).code);
  }
  throw new Error(`refresh failed with status ${response.status}`);
}

export const session = new Session({
  refresh: refreshTokens,
  storage: browserStorage(),
  lock: browserLock,
  channel: browserChannel(),
});

const authFetch = createAuthFetch(session, { language: () => i18n.language });

/** A raw call to the API with the session (downloads, uploads): `path` starts with `/api/v1`. */
export async function apiFetch(path: string, init?: RequestInit): Promise<Response> {
  try {
    return await authFetch(new Request(path, init));
  } catch (error) {
    throw networkError(error);
  }
}

export const api = createClient<paths>({ baseUrl: API_BASE, fetch: authFetch });

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * The data of a call, or an [`ApiError`] thrown with the API's code, details and message (and
 * `network_error` when the server could not be reached).
 */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (error) {
    throw networkError(error);
  }
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error);
  }
  return result.data as T;
}

export { ApiError };
