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
const ForgotPasswordPage = lazy(() => import('./pages/account/ForgotPasswordPage'));
const ProofPage = lazy(() => import('./pages/account/ProofPage'));
const InvitationPage = lazy(() => import('./pages/account/InvitationPage'));
const ChangePasswordPage = lazy(() => import('./pages/account/ChangePasswordPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const ProfilePage = lazy(() => import('./pages/ProfilePage'));
const SitesPage = lazy(() => import('./pages/sites/SitesPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const RolesPage = lazy(() => import('./pages/roles/RolesPage'));
const RoleEditorPage = lazy(() => import('./pages/roles/RoleEditorPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const EquipmentListPage = lazy(() => import('./pages/equipment/EquipmentListPage'));
const EquipmentFormPage = lazy(() => import('./pages/equipment/EquipmentFormPage'));
const EquipmentDetailPage = lazy(() => import('./pages/equipment/EquipmentDetailPage'));
const RequestFormPage = lazy(() => import('./pages/requests/RequestFormPage'));
const MyRequestsPage = lazy(() => import('./pages/requests/MyRequestsPage'));
const RequestDetailPage = lazy(() => import('./pages/requests/RequestDetailPage'));
const InboxPage = lazy(() => import('./pages/requests/InboxPage'));
const WorkOrdersPage = lazy(() => import('./pages/workOrders/WorkOrdersPage'));
const BoardPage = lazy(() => import('./pages/workOrders/BoardPage'));
const MyWorkPage = lazy(() => import('./pages/workOrders/MyWorkPage'));
const WorkOrderFormPage = lazy(() => import('./pages/workOrders/WorkOrderFormPage'));
const WorkOrderPage = lazy(() => import('./pages/workOrders/WorkOrderPage'));
const FailureCodesPage = lazy(() => import('./pages/failureCodes/FailureCodesPage'));
const TemplatesPage = lazy(() => import('./pages/templates/TemplatesPage'));
const SpecTemplatesPage = lazy(() => import('./pages/specTemplates/SpecTemplatesPage'));
const ReadingsImportPage = lazy(() => import('./pages/meters/ReadingsImportPage'));
const PlanListPage = lazy(() => import('./pages/pm/PlanListPage'));
const PlanPage = lazy(() => import('./pages/pm/PlanPage'));
const PlanEditorPage = lazy(() => import('./pages/pm/PlanEditorPage'));
const CalendarPage = lazy(() => import('./pages/calendar/CalendarPage'));
const KpisPage = lazy(() => import('./pages/kpis/KpisPage'));
const MyHoursPage = lazy(() => import('./pages/kpis/MyHoursPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));
const ReportSchedulePage = lazy(() => import('./pages/reports/ReportSchedulePage'));
const JobsPage = lazy(() => import('./pages/jobs/JobsPage'));
const PortalPage = lazy(() => import('./pages/portal/PortalPage'));

/**
 * Pages of a logged-in member; others go to the login page, which brings them back here. A
 * member whose password an administrator chose sees only the page to choose their own.
 */
function RequireAuth({ children }: { children: ReactNode }) {
  const { status, endReason, me } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'error') return <SessionError />;
  if (status === 'anonymous') {
    const intended = location.pathname + location.search;
    const next =
      endReason === 'logout' || intended === '/' ? '' : `?next=${encodeURIComponent(intended)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  if (me?.user.must_change_password) {
    return (
      <Suspense fallback={<FullPageLoader />}>
        <ChangePasswordPage />
      </Suspense>
    );
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

/**
 * The pages of mailed links (confirm an address, reset a password, accept an invitation) and the
 * forgotten password: open to anyone, logged in or not (a link may be opened in a browser where
 * someone else, or the same person, is logged in).
 */
function Open({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === 'loading') return <FullPageLoader />;
  return <Suspense fallback={<FullPageLoader />}>{children}</Suspense>;
}

/**
 * A page the role may not see (the navigation does not offer it; a typed URL lands here). With
 * several permissions, any one of them opens the page.
 */
function RequirePermission({
  permission,
  children,
}: {
  permission: string | readonly string[];
  children: ReactNode;
}) {
  const { can } = useAuth();
  const allowed = typeof permission === 'string' ? can(permission) : permission.some((p) => can(p));
  return allowed ? children : <ForbiddenPage />;
}

/** The pages of the maintenance cycle and the permission each needs. */
const GUARDED: ReadonlyArray<{
  path: string;
  permission: string | readonly string[];
  element: ReactNode;
}> = [
  { path: 'equipment', permission: PERMISSIONS.equipmentRead, element: <EquipmentListPage /> },
  {
    path: 'equipment/new',
    permission: PERMISSIONS.equipmentManage,
    element: <EquipmentFormPage />,
  },
  {
    path: 'equipment/:id',
    permission: PERMISSIONS.equipmentRead,
    element: <EquipmentDetailPage />,
  },
  {
    path: 'equipment/:id/edit',
    permission: PERMISSIONS.equipmentManage,
    element: <EquipmentFormPage />,
  },
  // The address of the QR code stuck on the machine.
  {
    path: 'equipment/:id/request',
    permission: PERMISSIONS.requestsCreate,
    element: <RequestFormPage />,
  },
  { path: 'requests', permission: PERMISSIONS.requestsCreate, element: <MyRequestsPage /> },
  { path: 'requests/new', permission: PERMISSIONS.requestsCreate, element: <RequestFormPage /> },
  { path: 'requests/inbox', permission: PERMISSIONS.requestsApprove, element: <InboxPage /> },
  {
    path: 'requests/:id',
    permission: [PERMISSIONS.requestsCreate, PERMISSIONS.requestsRead],
    element: <RequestDetailPage />,
  },
  { path: 'my-work', permission: PERMISSIONS.workOrdersExecute, element: <MyWorkPage /> },
  // A technician's own hours; the team's for those who read the indicators.
  { path: 'my-hours', permission: PERMISSIONS.workOrdersExecute, element: <MyHoursPage /> },
  { path: 'work-orders', permission: PERMISSIONS.workOrdersRead, element: <WorkOrdersPage /> },
  { path: 'work-orders/board', permission: PERMISSIONS.workOrdersRead, element: <BoardPage /> },
  {
    path: 'work-orders/new',
    permission: PERMISSIONS.workOrdersManage,
    element: <WorkOrderFormPage />,
  },
  { path: 'work-orders/:id', permission: PERMISSIONS.workOrdersRead, element: <WorkOrderPage /> },
  { path: 'templates', permission: PERMISSIONS.workOrdersManage, element: <TemplatesPage /> },
  {
    path: 'spec-templates',
    permission: PERMISSIONS.equipmentManage,
    element: <SpecTemplatesPage />,
  },
  {
    path: 'failure-codes',
    permission: PERMISSIONS.failureCodesManage,
    element: <FailureCodesPage />,
  },
  {
    path: 'meter-readings/import',
    permission: PERMISSIONS.metersRecord,
    element: <ReadingsImportPage />,
  },
  { path: 'pm-plans', permission: PERMISSIONS.pmPlansRead, element: <PlanListPage /> },
  { path: 'pm-plans/new', permission: PERMISSIONS.pmPlansManage, element: <PlanEditorPage /> },
  { path: 'pm-plans/:id', permission: PERMISSIONS.pmPlansRead, element: <PlanPage /> },
  {
    path: 'pm-plans/:id/edit',
    permission: PERMISSIONS.pmPlansManage,
    element: <PlanEditorPage />,
  },
  // The calendar's API wants `work_orders:read`; forecasts come with `pm_plans:read`.
  { path: 'calendar', permission: PERMISSIONS.workOrdersRead, element: <CalendarPage /> },
  { path: 'kpis', permission: PERMISSIONS.kpisRead, element: <KpisPage /> },
  { path: 'reports', permission: PERMISSIONS.reportsManage, element: <ReportsPage /> },
  { path: 'reports/:id', permission: PERMISSIONS.reportsManage, element: <ReportSchedulePage /> },
  { path: 'jobs', permission: PERMISSIONS.jobsRead, element: <JobsPage /> },
];

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
        path="/forgot-password"
        element={
          <Open>
            <ForgotPasswordPage />
          </Open>
        }
      />
      <Route
        path="/reset-password"
        element={
          <Open>
            <ProofPage kind="reset" />
          </Open>
        }
      />
      <Route
        path="/verify-email"
        element={
          <Open>
            <ProofPage kind="verify" />
          </Open>
        }
      />
      <Route
        path="/invitation"
        element={
          <Open>
            <InvitationPage />
          </Open>
        }
      />
      {/* The public request portal (a machine's QR code): no account, whoever is logged in. */}
      <Route
        path="/portal/:company/equipment/:equipmentId"
        element={
          <Suspense fallback={<FullPageLoader />}>
            <PortalPage />
          </Suspense>
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
        {GUARDED.map((route) => (
          <Route
            key={route.path}
            path={route.path}
            element={
              <RequirePermission permission={route.permission}>{route.element}</RequirePermission>
            }
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
