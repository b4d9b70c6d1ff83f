import { describe, expect, it } from 'vitest';

import {
  NAV_ITEMS,
  activeNavKey,
  can,
  grantableRoles,
  groupByArea,
  isSubset,
  visibleNavItems,
} from './permissions';

const ADMIN = [
  'sites:read',
  'sites:manage',
  'users:read',
  'users:manage',
  'roles:read',
  'roles:manage',
  'audit:read',
];
const SUPERVISOR = ['sites:read', 'users:read', 'roles:read'];
const TECHNICIAN = ['sites:read'];

const keysOf = (permissions: string[]) => visibleNavItems(NAV_ITEMS, permissions).map((i) => i.key);

describe('navigation by permission', () => {
  it('shows everything to an administrator', () => {
    expect(keysOf(ADMIN)).toEqual(['home', 'sites', 'users', 'roles', 'audit']);
  });

  it('shows a supervisor people and roles but not the audit log', () => {
    expect(keysOf(SUPERVISOR)).toEqual(['home', 'sites', 'users', 'roles']);
  });

  it('shows a technician only the home page and the sites', () => {
    expect(keysOf(TECHNICIAN)).toEqual(['home', 'sites']);
  });

  it('always shows the home page, even without any permission', () => {
    expect(keysOf([])).toEqual(['home']);
  });

  it('requires every permission an item lists', () => {
    const items = [{ key: 'both', to: '/x', requires: ['a:read', 'b:read'] }];
    expect(visibleNavItems(items, ['a:read'])).toEqual([]);
    expect(visibleNavItems(items, ['a:read', 'b:read'])).toHaveLength(1);
  });
});

describe('permission helpers', () => {
  it('can() checks every permission and refuses without a session', () => {
    expect(can(ADMIN, 'sites:manage', 'audit:read')).toBe(true);
    expect(can(TECHNICIAN, 'sites:manage')).toBe(false);
    expect(can(undefined, 'sites:read')).toBe(false);
    expect(can(TECHNICIAN)).toBe(true);
  });

  it('offers only roles that grant nothing beyond the caller’s own permissions', () => {
    const roles = [
      { id: 'admin', permissions: ADMIN },
      { id: 'supervisor', permissions: SUPERVISOR },
      { id: 'technician', permissions: TECHNICIAN },
    ];
    expect(grantableRoles(roles, SUPERVISOR).map((r) => r.id)).toEqual([
      'supervisor',
      'technician',
    ]);
    expect(grantableRoles(roles, ADMIN)).toHaveLength(3);
    expect(isSubset([], TECHNICIAN)).toBe(true);
  });

  it('groups permissions by area in catalogue order', () => {
    const groups = groupByArea([
      { key: 'sites:read', area: 'sites' },
      { key: 'users:read', area: 'users' },
      { key: 'sites:manage', area: 'sites' },
    ]);
    expect(groups.map((g) => [g.area, g.items.map((i) => i.key)])).toEqual([
      ['sites', ['sites:read', 'sites:manage']],
      ['users', ['users:read']],
    ]);
  });
});

/** The built-in roles' permissions of the maintenance cycle (docs/permissions.md). */
const OPERATOR = ['sites:read', 'equipment:read', 'meters:record', 'requests:create'];
const TECHNICIAN_FULL = [
  'sites:read',
  'equipment:read',
  'meters:record',
  'requests:create',
  'work_orders:read',
  'work_orders:execute',
];
const SUPERVISOR_FULL = [
  'sites:read',
  'users:read',
  'roles:read',
  'equipment:read',
  'equipment:manage',
  'meters:record',
  'requests:create',
  'requests:read',
  'requests:approve',
  'work_orders:read',
  'work_orders:manage',
  'work_orders:execute',
  'work_orders:validate',
  'failure_codes:manage',
];

describe('navigation of the maintenance cycle', () => {
  it('offers an operator to report a failure and follow their requests', () => {
    const keys = keysOf(OPERATOR);
    expect(keys).toEqual(['home', 'reportFailure', 'myRequests', 'equipment', 'sites']);
    expect(keys).not.toContain('workOrders');
  });

  it('gives a technician their work, the work orders and the equipment', () => {
    const keys = keysOf(TECHNICIAN_FULL);
    expect(keys).toEqual(expect.arrayContaining(['myWork', 'myHours', 'workOrders', 'equipment']));
    // Their hours, right after their work.
    expect(keys.indexOf('myHours')).toBe(keys.indexOf('myWork') + 1);
    for (const hidden of ['inbox', 'board', 'failureCodes', 'users']) {
      expect(keys).not.toContain(hidden);
    }
  });

  it('adds the inbox, the board and the failure codes for a supervisor', () => {
    expect(keysOf(SUPERVISOR_FULL)).toEqual([
      'home',
      'reportFailure',
      'myRequests',
      'myWork',
      'myHours',
      'inbox',
      'workOrders',
      'board',
      'templates',
      'equipment',
      'sites',
      'specTemplates',
      'failureCodes',
      'users',
      'roles',
    ]);
  });

  it('offers preventive plans and the calendar to those who may read plans, jobs to admins', () => {
    const pm = ['pm_plans:read', 'pm_plans:manage'];
    const supervisor = keysOf([...SUPERVISOR_FULL, ...pm]);
    expect(supervisor).toEqual(expect.arrayContaining(['pmPlans', 'calendar']));
    expect(supervisor.indexOf('pmPlans')).toBe(supervisor.indexOf('board') + 1);
    expect(supervisor.indexOf('templates')).toBe(supervisor.indexOf('calendar') + 1);
    expect(supervisor).not.toContain('jobs');
    expect(keysOf([...TECHNICIAN_FULL, 'pm_plans:read'])).toEqual(
      expect.arrayContaining(['pmPlans', 'calendar']),
    );
    // An operator reads neither work orders nor plans.
    expect(keysOf(OPERATOR)).not.toContain('pmPlans');
    expect(keysOf(OPERATOR)).not.toContain('calendar');
    expect(keysOf([...ADMIN, 'jobs:read'])).toContain('jobs');
  });

  it('marks the entry of the longest matching address', () => {
    expect(activeNavKey(NAV_ITEMS, '/requests/inbox')).toBe('inbox');
    expect(activeNavKey(NAV_ITEMS, '/requests/new')).toBe('reportFailure');
    expect(activeNavKey(NAV_ITEMS, '/requests/0190')).toBe('myRequests');
    expect(activeNavKey(NAV_ITEMS, '/work-orders/board')).toBe('board');
    expect(activeNavKey(NAV_ITEMS, '/work-orders/0190')).toBe('workOrders');
    expect(activeNavKey(NAV_ITEMS, '/pm-plans/0190/edit')).toBe('pmPlans');
    expect(activeNavKey(NAV_ITEMS, '/equipment-x')).toBeNull();
    expect(activeNavKey(NAV_ITEMS, '/')).toBe('home');
    // Scheduled reports are reached from the indicators, and belong to them.
    expect(activeNavKey(NAV_ITEMS, '/reports')).toBe('kpis');
    expect(activeNavKey(NAV_ITEMS, '/reports/0190')).toBe('kpis');
  });

  it('shows my hours only to those who do not read everyone’s on the dashboard', () => {
    const withDashboard = keysOf([...SUPERVISOR_FULL, 'kpis:read', 'reports:manage']);
    expect(withDashboard).toContain('kpis');
    expect(withDashboard).not.toContain('myHours');
    expect(withDashboard).not.toContain('reports');
    expect(keysOf(TECHNICIAN_FULL)).toContain('myHours');
  });
});
