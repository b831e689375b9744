import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type ApiError, type Stay } from '../api';
import { PageTitle } from '../layout';

/** A page about one stay loads it here: the stay, or the error that says why not. */
export function useStay(id: string | undefined) {
  const [stay, setStay] = useState<Stay | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    setStay(null);
    setError(null);
    api<Stay>(`/api/stays/${id}`, { signal: controller.signal })
      .then(setStay)
      .catch((err) => (err as Error).name !== 'AbortError' && setError(err as Error));
    return () => controller.abort();
  }, [id]);
  return { stay, setStay, error };
}

/** What a page about a stay shows when the API answers 404 or 400: not there, or not for this user. */
export function NotFoundStay() {
  return (
    <>
      <PageTitle>Fant ikke oppholdet</PageTitle>
      <p>
        Oppholdet finnes ikke, eller du har ikke tilgang til det. Opphold vises bare for institusjonen og bydelen som
        har ansvar for det.
      </p>
      <p>
        <Link to="/opphold" className="pkt-link">
          Tilbake til oppholdene
        </Link>
      </p>
    </>
  );
}
