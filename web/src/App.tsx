import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';

import { ApiError } from './api/errors';
import { AuthProvider } from './auth/AuthProvider';
import { AppRoutes } from './routes';
import { makeTheme } from './theme';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A refusal (4xx) will not change by asking again; a network hiccup may.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const { t, i18n } = useTranslation();
  // On phones, messages come from the top: the bottom holds the work order's action buttons.
  const phone = useMediaQuery('(max-width: 48em)');
  const theme = useMemo(
    () => makeTheme({ close: t('common.close'), togglePassword: t('common.togglePassword') }),
    [t],
  );
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ locale: i18n.language, firstDayOfWeek: 1 }}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            {/* Inside the router: a message may link to what it is about. */}
            <Notifications
              position={phone ? 'top-center' : 'bottom-right'}
              limit={3}
              autoClose={4000}
            />
            <AuthProvider>
              <AppRoutes />
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
