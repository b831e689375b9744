import type { ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Layout, PageTitle } from './layout';
import { AdminPage } from './pages/admin';
import { ExitPlanPrintPage } from './pages/exit-plan-print';
import { homeOf } from './pages/dev-login';
import { HistoryPage } from './pages/history';
import { InboxPage } from './pages/inbox';
import { LoginCallbackPage, LoginPage } from './pages/login';
import { OrganisationsPage } from './pages/organisations';
import { RegisterStayPage } from './pages/register-stay';
import { ReportDeadlinesPage } from './pages/report-deadlines';
import { ReportsPage } from './pages/reports';
import { StayPage } from './pages/stay';
import { WorklistPage } from './pages/worklist';
import { useSession, type Role } from './session';

function RequireLogin({ children, roles }: { children: ReactNode; roles?: Role[] }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/logg-inn" replace state={{ from: location.pathname }} />;
  if (roles && !roles.includes(user.role)) {
    return (
      <>
        <PageTitle>Ingen tilgang</PageTitle>
        <p>Denne siden er ikke tilgjengelig for din rolle.</p>
      </>
    );
  }
  return <>{children}</>;
}

function Home() {
  const { user } = useSession();
  return <Navigate to={user ? homeOf(user.role) : '/logg-inn'} replace />;
}

function NotFoundPage() {
  return (
    <>
      <PageTitle>Fant ikke siden</PageTitle>
      <p>Siden finnes ikke. Sjekk adressen, eller gå til forsiden.</p>
      <Link to="/" className="pkt-link">
        Til forsiden
      </Link>
    </>
  );
}

export function App() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/logg-inn" element={<LoginPage />} />
        <Route path="/logg-inn/callback" element={<LoginCallbackPage />} />
        <Route
          path="/opphold"
          element={
            <RequireLogin>
              <WorklistPage />
            </RequireLogin>
          }
        />
        <Route
          path="/opphold/ny"
          element={
            <RequireLogin>
              <RegisterStayPage />
            </RequireLogin>
          }
        />
        <Route
          path="/opphold/:id"
          element={
            <RequireLogin>
              <StayPage />
            </RequireLogin>
          }
        />
        <Route
          path="/opphold/:id/utflyttingsplan"
          element={
            <RequireLogin>
              <ExitPlanPrintPage />
            </RequireLogin>
          }
        />
        <Route
          path="/opphold/:id/historikk"
          element={
            <RequireLogin>
              <HistoryPage />
            </RequireLogin>
          }
        />
        <Route
          path="/innboks"
          element={
            <RequireLogin>
              <InboxPage />
            </RequireLogin>
          }
        />
        <Route
          path="/rapporter"
          element={
            <RequireLogin>
              <ReportsPage />
            </RequireLogin>
          }
        />
        <Route
          path="/rapporter/frister"
          element={
            <RequireLogin>
              <ReportDeadlinesPage />
            </RequireLogin>
          }
        />
        <Route
          path="/admin"
          element={
            <RequireLogin roles={['admin']}>
              <AdminPage />
            </RequireLogin>
          }
        />
        <Route
          path="/admin/organisasjoner"
          element={
            <RequireLogin roles={['admin']}>
              <OrganisationsPage />
            </RequireLogin>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}
