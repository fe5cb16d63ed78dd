import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useSession } from '../../auth/session-context';
import { PageLoading } from '../../components/PageLoading';
import { isResidentAccount } from './residentAccount';

const ResidentApp = lazy(() => import('./ResidentApp').then((m) => ({ default: m.ResidentApp })));

/** The residents' mobile pages under /m, loaded only when a phone opens them. */
export function MobileEntry() {
  return (
    <Suspense fallback={<PageLoading minHeight={480} />}>
      <ResidentApp />
    </Suspense>
  );
}

/** Keeps residents out of the staff console: a resident's session belongs on the mobile pages. */
export function SendResidentsToMobile({ children }: { children: ReactNode }) {
  const { me } = useSession();
  if (isResidentAccount(me)) return <Navigate to="/m" replace />;
  return children;
}
