// What each person's home page shows first: their own work, decided by what they may do (custom
// roles exist, so never by the role's key).
import { PERMISSIONS } from './permissions';

export interface HomeSections {
  /** Reports failures and follows them (an operator): the big button, then their requests. */
  myRequests: boolean;
  /** Carries out work without planning it (a technician): today's and overdue work. */
  myWork: boolean;
  /** Decides and plans (a supervisor): the inbox, overdue orders, equipment down, today's preventive. */
  supervision: boolean;
  /** Sets the company up (an administrator): sites, plants, lines, people, invitations. */
  setup: boolean;
  /** Reads without acting (a viewer): open and overdue orders, equipment down. */
  overview: boolean;
}

export function homeSections(permissions: readonly string[]): HomeSections {
  const has = (permission: string) => permissions.includes(permission);
  const supervision = has(PERMISSIONS.requestsApprove) || has(PERMISSIONS.workOrdersManage);
  const myWork = has(PERMISSIONS.workOrdersExecute) && !has(PERMISSIONS.workOrdersManage);
  return {
    myRequests:
      has(PERMISSIONS.requestsCreate) &&
      !has(PERMISSIONS.requestsApprove) &&
      !has(PERMISSIONS.workOrdersRead),
    myWork,
    supervision,
    setup: has(PERMISSIONS.usersManage) || has(PERMISSIONS.sitesManage),
    overview: has(PERMISSIONS.workOrdersRead) && !supervision && !myWork,
  };
}

/** Today as the API's instants (from its local midnight to the next), and as the list's days. */
export function todayRange(now: Date = new Date()): { from: string; to: string; day: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    from: start.toISOString(),
    to: end.toISOString(),
    day: `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`,
  };
}
