// What the interface offers depends on the caller's permissions (`GET /me` → `permissions`).
// The server checks every call anyway; this only keeps people from seeing what they cannot do.

export const PERMISSIONS = {
  sitesRead: 'sites:read',
  sitesManage: 'sites:manage',
  usersRead: 'users:read',
  usersManage: 'users:manage',
  rolesRead: 'roles:read',
  rolesManage: 'roles:manage',
  auditRead: 'audit:read',
  equipmentRead: 'equipment:read',
  equipmentManage: 'equipment:manage',
  metersRecord: 'meters:record',
  requestsCreate: 'requests:create',
  requestsRead: 'requests:read',
  requestsApprove: 'requests:approve',
  workOrdersRead: 'work_orders:read',
  workOrdersComment: 'work_orders:comment',
  workOrdersManage: 'work_orders:manage',
  workOrdersExecute: 'work_orders:execute',
  workOrdersValidate: 'work_orders:validate',
  failureCodesManage: 'failure_codes:manage',
  pmPlansRead: 'pm_plans:read',
  pmPlansManage: 'pm_plans:manage',
  jobsRead: 'jobs:read',
  kpisRead: 'kpis:read',
  reportsManage: 'reports:manage',
} as const;

export type PermissionKey = string;

/** Groups of the navigation, each under its heading (when it has an entry to show). */
export type NavSection = 'work' | 'assets' | 'admin';

/** A navigation entry, shown when the caller holds every permission it requires. */
export interface NavItem {
  key: string;
  to: string;
  requires?: readonly PermissionKey[];
  /** Hidden from whoever holds any of these (they reach the same through another entry). */
  unless?: readonly PermissionKey[];
  /** Other addresses that belong to this entry (pages reached from it). */
  also?: readonly string[];
  section?: NavSection;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', to: '/' },
  {
    key: 'reportFailure',
    to: '/requests/new',
    requires: [PERMISSIONS.requestsCreate],
    section: 'work',
  },
  { key: 'myRequests', to: '/requests', requires: [PERMISSIONS.requestsCreate], section: 'work' },
  { key: 'myWork', to: '/my-work', requires: [PERMISSIONS.workOrdersExecute], section: 'work' },
  // Those who read the indicators see everyone's hours on the dashboard.
  {
    key: 'myHours',
    to: '/my-hours',
    requires: [PERMISSIONS.workOrdersExecute],
    unless: [PERMISSIONS.kpisRead],
    section: 'work',
  },
  {
    key: 'inbox',
    to: '/requests/inbox',
    requires: [PERMISSIONS.requestsApprove],
    section: 'work',
  },
  {
    key: 'workOrders',
    to: '/work-orders',
    requires: [PERMISSIONS.workOrdersRead],
    section: 'work',
  },
  {
    key: 'board',
    to: '/work-orders/board',
    requires: [PERMISSIONS.workOrdersRead, PERMISSIONS.workOrdersManage],
    section: 'work',
  },
  {
    key: 'pmPlans',
    to: '/pm-plans',
    requires: [PERMISSIONS.pmPlansRead],
    section: 'work',
  },
  // The calendar answers work orders to `work_orders:read`; the forecasts it is made for need
  // `pm_plans:read`, which is where the catalogue of permissions puts it.
  {
    key: 'calendar',
    to: '/calendar',
    requires: [PERMISSIONS.workOrdersRead, PERMISSIONS.pmPlansRead],
    section: 'work',
  },
  // The maintenance dashboard: how the machines and the maintenance of them are doing; the
  // same figures mailed on a schedule (/reports) are reached from it, so that the sidebar
  // still fits a laptop's screen.
  {
    key: 'kpis',
    to: '/kpis',
    requires: [PERMISSIONS.kpisRead],
    also: ['/reports'],
    section: 'work',
  },
  // Checklists and work-order templates, which orders, approvals and plans start from.
  {
    key: 'templates',
    to: '/templates',
    requires: [PERMISSIONS.workOrdersManage],
    section: 'work',
  },
  { key: 'equipment', to: '/equipment', requires: [PERMISSIONS.equipmentRead], section: 'assets' },
  { key: 'sites', to: '/sites', requires: [PERMISSIONS.sitesRead], section: 'assets' },
  // The labelled fields of each equipment category, which equipment pages show and ask.
  {
    key: 'specTemplates',
    to: '/spec-templates',
    requires: [PERMISSIONS.equipmentManage],
    section: 'admin',
  },
  {
    key: 'failureCodes',
    to: '/failure-codes',
    requires: [PERMISSIONS.failureCodesManage],
    section: 'admin',
  },
  { key: 'users', to: '/users', requires: [PERMISSIONS.usersRead], section: 'admin' },
  { key: 'roles', to: '/roles', requires: [PERMISSIONS.rolesRead], section: 'admin' },
  { key: 'audit', to: '/audit', requires: [PERMISSIONS.auditRead], section: 'admin' },
  { key: 'jobs', to: '/jobs', requires: [PERMISSIONS.jobsRead], section: 'admin' },
];

/**
 * The entry a path belongs to: the one whose address is the longest prefix of it (so that
 * `/requests/inbox` is the inbox, not "my requests"), on whole path segments.
 */
export function activeNavKey(items: readonly NavItem[], pathname: string): string | null {
  let best: NavItem | null = null;
  let bestLength = 0;
  for (const item of items) {
    for (const to of [item.to, ...(item.also ?? [])]) {
      const matches =
        to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
      if (matches && (best === null || to.length > bestLength)) {
        best = item;
        bestLength = to.length;
      }
    }
  }
  return best?.key ?? null;
}

export function can(
  permissions: readonly string[] | undefined,
  ...required: PermissionKey[]
): boolean {
  if (!permissions) return false;
  return required.every((p) => permissions.includes(p));
}

export function visibleNavItems<T extends NavItem>(
  items: readonly T[],
  permissions: readonly string[],
): T[] {
  return items.filter(
    (item) =>
      can(permissions, ...(item.requires ?? [])) &&
      !(item.unless ?? []).some((p) => permissions.includes(p)),
  );
}

/** Whether every permission of `granted` is held by `holder` (roles one may give or edit). */
export function isSubset(granted: readonly string[], holder: readonly string[]): boolean {
  return granted.every((p) => holder.includes(p));
}

/** Permissions grouped by area, in the order the API lists them. */
export function groupByArea<T extends { area: string }>(
  items: readonly T[],
): Array<{ area: string; items: T[] }> {
  const groups: Array<{ area: string; items: T[] }> = [];
  for (const item of items) {
    let group = groups.find((g) => g.area === item.area);
    if (!group) {
      group = { area: item.area, items: [] };
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups;
}

/** Roles the caller may give: none grants more than the caller holds (403 `cannot_grant_role`). */
export function grantableRoles<T extends { permissions: readonly string[] }>(
  roles: readonly T[],
  mine: readonly string[],
): T[] {
  return roles.filter((role) => isSubset(role.permissions, mine));
}
