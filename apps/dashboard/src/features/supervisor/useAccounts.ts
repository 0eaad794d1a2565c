import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { clinicianOptions, patientNames, patientOptions, peopleOptions } from './people';
import { supervisorApi } from './supervisor-api';

/**
 * Every account (GET /api/admin/accounts), fetched at most once a minute and shared by the
 * supervisor's pages, with the pickers' option lists made from it.
 */
export function useAccounts() {
  const accounts = useQuery({
    queryKey: ['supervisor', 'accounts'],
    queryFn: () => supervisorApi.accounts(),
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const list = accounts.data ?? [];
    return {
      people: peopleOptions(list),
      patients: patientOptions(list),
      clinicians: clinicianOptions(list),
      names: patientNames(list),
    };
  }, [accounts.data]);
  return { accounts, ...options };
}
