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
} as const;

export type PermissionKey = string;

/** A navigation entry, shown when the caller holds every permission it requires. */
export interface NavItem {
  key: string;
  to: string;
  requires?: readonly PermissionKey[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', to: '/' },
  { key: 'sites', to: '/sites', requires: [PERMISSIONS.sitesRead] },
  { key: 'users', to: '/users', requires: [PERMISSIONS.usersRead] },
  { key: 'roles', to: '/roles', requires: [PERMISSIONS.rolesRead] },
  { key: 'audit', to: '/audit', requires: [PERMISSIONS.auditRead] },
];

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
  return items.filter((item) => can(permissions, ...(item.requires ?? [])));
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
