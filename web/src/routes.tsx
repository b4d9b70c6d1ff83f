import { Suspense, lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';

import { useAuth } from './auth/context';
import { AppLayout } from './components/AppLayout';
import { FullPageLoader } from './components/FullPageLoader';
import { SessionError } from './components/SessionError';
import { safeNext } from './lib/navigation';
import { PERMISSIONS } from './lib/permissions';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const SignupPage = lazy(() => import('./pages/SignupPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const ProfilePage = lazy(() => import('./pages/ProfilePage'));
const SitesPage = lazy(() => import('./pages/sites/SitesPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const RolesPage = lazy(() => import('./pages/roles/RolesPage'));
const RoleEditorPage = lazy(() => import('./pages/roles/RoleEditorPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));

/** Pages of a logged-in member; others go to the login page, which brings them back here. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { status, endReason } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'error') return <SessionError />;
  if (status === 'anonymous') {
    const intended = location.pathname + location.search;
    const next =
      endReason === 'logout' || intended === '/' ? '' : `?next=${encodeURIComponent(intended)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  return children;
}

/** Login and signup: a logged-in person goes where they were heading. */
function PublicOnly({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'authenticated') {
    const next = new URLSearchParams(location.search).get('next');
    return <Navigate to={safeNext(next)} replace />;
  }
  return <Suspense fallback={<FullPageLoader />}>{children}</Suspense>;
}

/** A page the role may not see (the navigation does not offer it; a typed URL lands here). */
function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? children : <ForbiddenPage />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <PublicOnly>
            <LoginPage />
          </PublicOnly>
        }
      />
      <Route
        path="/signup"
        element={
          <PublicOnly>
            <SignupPage />
          </PublicOnly>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route
          path="sites"
          element={
            <RequirePermission permission={PERMISSIONS.sitesRead}>
              <SitesPage />
            </RequirePermission>
          }
        />
        <Route
          path="users"
          element={
            <RequirePermission permission={PERMISSIONS.usersRead}>
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route
          path="roles"
          element={
            <RequirePermission permission={PERMISSIONS.rolesRead}>
              <RolesPage />
            </RequirePermission>
          }
        />
        <Route
          path="roles/new"
          element={
            <RequirePermission permission={PERMISSIONS.rolesManage}>
              <RoleEditorPage />
            </RequirePermission>
          }
        />
        <Route
          path="roles/:id"
          element={
            <RequirePermission permission={PERMISSIONS.rolesRead}>
              <RoleEditorPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission permission={PERMISSIONS.auditRead}>
              <AuditPage />
            </RequirePermission>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
