// The QR code stuck on the machine: it opens the failure report form for this equipment on
// anyone's phone (the public portal's when the site opened it, otherwise the members' form after
// login). Shown here, downloadable as PNG, printable as a label with code and name.
import {
  Anchor,
  Box,
  Button,
  Card,
  CopyButton,
  Grid,
  Group,
  Image,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCheck,
  IconCopy,
  IconDownload,
  IconLock,
  IconPrinter,
  IconWorld,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { API_BASE, api, call, type Equipment } from '../../api/client';
import { downloadFile, useObjectUrl } from '../../api/files';
import { QueryError } from '../../components/QueryError';
import { useMe } from '../../auth/context';
import { errorMessage } from '../../i18n/messages';
import { portalPath } from '../../lib/portal';

export function EquipmentQr({ equipment }: { equipment: Equipment }) {
  const { t, i18n } = useTranslation();
  const svg = useObjectUrl(`${API_BASE}/equipment/${equipment.id}/qr-code?format=svg`);
  const [busy, setBusy] = useState(false);
  const me = useMe();
  // The code leads to the public portal when the equipment's site opened it (as the server encodes it).
  const site = useQuery({
    queryKey: ['sites', 'one', equipment.site_id],
    queryFn: () => call(api.GET('/sites/{id}', { params: { path: { id: equipment.site_id } } })),
  });
  const portalOpen = site.data?.public_requests === true;
  const requestPath = portalOpen
    ? portalPath(me.tenant.slug, equipment.id)
    : `/equipment/${equipment.id}/request`;
  const requestUrl = `${window.location.origin}${requestPath}`;

  const downloadPng = async () => {
    setBusy(true);
    try {
      await downloadFile(
        `${API_BASE}/equipment/${equipment.id}/qr-code?format=png`,
        `QR-${equipment.code}.png`,
      );
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, sm: 5, md: 4 }}>
        <Card>
          {svg.error ? (
            <QueryError error={svg.error} />
          ) : svg.url ? (
            <Image
              src={svg.url}
              alt={t('qr.alt', { code: equipment.code })}
              maw={280}
              mx="auto"
              data-testid="qr-code"
            />
          ) : (
            <Skeleton h={260} maw={280} mx="auto" />
          )}
          <Text ta="center" ff="monospace" fw={700} fz="lg" mt="sm">
            {equipment.code}
          </Text>
          <Text ta="center" size="sm" c="dimmed">
            {equipment.name}
          </Text>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 7, md: 8 }}>
        <Card>
          <Stack gap="md">
            <Title order={2} fz="lg">
              {t('qr.title')}
            </Title>
            <Text size="sm">{t('qr.text')}</Text>
            {site.data && (
              <Group gap={8} wrap="nowrap" align="flex-start" data-testid="qr-portal">
                {portalOpen ? (
                  <IconWorld size={18} color="var(--mantine-color-teal-7)" aria-hidden />
                ) : (
                  <IconLock size={18} color="var(--mantine-color-dimmed)" aria-hidden />
                )}
                <Text size="sm" c={portalOpen ? 'teal.8' : 'dimmed'}>
                  {portalOpen ? t('portal.qrOpen') : t('portal.qrClosed')}
                </Text>
              </Group>
            )}
            <Group gap="sm">
              <Button
                leftSection={<IconPrinter size={18} />}
                onClick={() => window.print()}
                disabled={!svg.url}
              >
                {t('qr.print')}
              </Button>
              <Button
                variant="default"
                leftSection={<IconDownload size={18} />}
                loading={busy}
                onClick={() => void downloadPng()}
              >
                {t('qr.downloadPng')}
              </Button>
            </Group>
            <Box>
              <Text size="sm" fw={500} mb={4}>
                {t('qr.address')}
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Anchor
                  component={Link}
                  to={requestPath}
                  size="sm"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {requestUrl}
                </Anchor>
                <CopyButton value={requestUrl}>
                  {({ copied, copy }) => (
                    <Button
                      size="compact-sm"
                      style={{ flexShrink: 0 }}
                      variant="subtle"
                      color={copied ? 'teal' : 'gray'}
                      leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                      onClick={copy}
                    >
                      {copied ? t('qr.copied') : t('qr.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Box>
          </Stack>
        </Card>
      </Grid.Col>
      {svg.url &&
        createPortal(
          <div className="print-label" aria-hidden>
            <img src={svg.url} alt="" />
            <div className="print-label-code">{equipment.code}</div>
            <div className="print-label-name">{equipment.name}</div>
            <div className="print-label-hint">{t('qr.labelHint')}</div>
          </div>,
          document.body,
        )}
    </Grid>
  );
}
