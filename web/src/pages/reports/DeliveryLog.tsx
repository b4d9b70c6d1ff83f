// A scheduled report's deliveries, newest first: the days each covered, why it was made
// (schedule or someone's "send now"), how it ended, when, the attachment's size, and each mail's
// fate (with its last error and attempts). Followed live while the worker is at it.
import { Accordion, Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DELIVERIES_PAGE, useDeliveries } from '../../api/reports';
import { Empty } from '../../components/Empty';
import { ListFooter } from '../../components/ListFooter';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import {
  MAIL_STATUS_COLOR,
  OUTCOME_COLOR,
  deliveryInProgress,
  periodLabel,
  type DeliveryOutcome,
  type MailStatus,
  type ReportDelivery,
  type ReportSchedule,
} from '../../lib/reports';
import { formatBytes } from '../../lib/uploads';

export function OutcomeBadge({ outcome }: { outcome: DeliveryOutcome }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color={OUTCOME_COLOR[outcome]}
      className="badge-nowrap"
      data-testid="delivery-outcome"
      data-outcome={outcome}
    >
      {t(`reports.log.outcome.${outcome}`)}
    </Badge>
  );
}

function MailStatusBadge({ status }: { status: MailStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="dot"
      color={MAIL_STATUS_COLOR[status]}
      className="badge-nowrap"
      data-status={status}
    >
      {t(`reports.log.mailStatus.${status}`)}
    </Badge>
  );
}

/** Each mail of a delivery: to whom, how it went, the last error and the attempts. */
function Mails({ delivery }: { delivery: ReportDelivery }) {
  const { t, i18n } = useTranslation();
  if (delivery.mails.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('reports.log.noMail')}
      </Text>
    );
  }
  return (
    <Stack gap="xs" aria-label={t('reports.log.mails')} component="ul" p={0} m={0}>
      {delivery.mails.map((mail) => (
        <Card
          key={mail.recipient}
          component="li"
          withBorder
          padding="xs"
          radius="sm"
          data-testid="delivery-mail"
          style={{ listStyle: 'none' }}
        >
          <Group justify="space-between" gap="xs" wrap="wrap">
            <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              {mail.recipient}
            </Text>
            <MailStatusBadge status={mail.status} />
          </Group>
          <Text size="xs" c="dimmed">
            {[
              mail.sent_at
                ? t('reports.log.sentAt', { date: formatDateTime(mail.sent_at, i18n.language) })
                : null,
              t('reports.log.attempts', { count: mail.attempts }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
          {mail.last_error && (
            <Text size="xs" c="red.7" style={{ overflowWrap: 'anywhere' }}>
              {t('reports.log.lastError', { error: mail.last_error })}
            </Text>
          )}
        </Card>
      ))}
    </Stack>
  );
}

function DeliveryItem({
  delivery,
  schedule,
  nameOf,
}: {
  delivery: ReportDelivery;
  schedule: ReportSchedule;
  nameOf: (id: string) => string | null;
}) {
  const { t, i18n } = useTranslation();
  const period = periodLabel(i18n, delivery.period_start, delivery.period_end, schedule.time_zone);
  const requester = delivery.requested_by ? nameOf(delivery.requested_by) : null;
  const facts = [
    t('reports.log.madeAt', { date: formatDateTime(delivery.created_at, i18n.language) }),
    // "Sent on request of Sophie Durand" says both why and who.
    requester
      ? t('reports.log.byWhom', { name: requester })
      : t(`reports.log.trigger.${delivery.trigger}`),
    delivery.attachment_bytes != null
      ? t('reports.log.size', { size: formatBytes(delivery.attachment_bytes, i18n.language) })
      : null,
  ].filter((fact): fact is string => fact !== null);
  return (
    <Accordion.Item value={delivery.id} data-testid="delivery" data-outcome={delivery.outcome}>
      <Accordion.Control>
        <Group justify="space-between" gap="xs" wrap="wrap" pr="xs">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} data-testid="delivery-period">
              {period}
            </Text>
            <Text size="xs" c="dimmed">
              {facts.join(' · ')}
            </Text>
          </Stack>
          <Group gap={6} wrap="nowrap">
            {deliveryInProgress(delivery) && <Loader size={14} aria-hidden />}
            <OutcomeBadge outcome={delivery.outcome} />
          </Group>
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap="xs">
          {delivery.last_error && (
            <Text size="sm" c="red.7" style={{ overflowWrap: 'anywhere' }}>
              {t('reports.log.lastError', { error: delivery.last_error })}
              {delivery.attempts > 1 &&
                ` (${t('reports.log.attempts', { count: delivery.attempts })})`}
            </Text>
          )}
          <Mails delivery={delivery} />
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  );
}

export function DeliveryLog({
  schedule,
  nameOf,
}: {
  schedule: ReportSchedule;
  /** A member's name by id, when the caller may read the members. */
  nameOf: (id: string) => string | null;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const log = useDeliveries(schedule.id, page);
  const items = log.data?.items ?? [];
  const total = log.data?.total ?? 0;
  // The newest opens by itself: it is the one people come to check.
  const [opened, setOpened] = useState<string[] | null>(null);
  const newest = items[0]?.id;
  const shown = opened ?? (newest ? [newest] : []);

  return (
    <Card component="section" aria-label={t('reports.log.title')} data-testid="delivery-log">
      <Group justify="space-between" mb="md">
        <Title order={2} fz="lg">
          {t('reports.log.title')}
        </Title>
        {log.isFetching && !log.isPending && <Loader size="xs" aria-hidden />}
      </Group>
      {log.isError && <QueryError error={log.error} onRetry={() => void log.refetch()} />}
      {log.isPending ? (
        <Stack align="center" py="lg">
          <Loader size="sm" />
        </Stack>
      ) : items.length === 0 ? (
        <Empty
          py={24}
          icon={<IconHistory size={24} />}
          title={t('reports.log.empty')}
          description={t('reports.log.emptyText')}
        />
      ) : (
        <>
          <Accordion multiple variant="separated" value={shown} onChange={setOpened}>
            {items.map((delivery) => (
              <DeliveryItem
                key={delivery.id}
                delivery={delivery}
                schedule={schedule}
                nameOf={nameOf}
              />
            ))}
          </Accordion>
          <ListFooter
            total={total}
            page={page}
            perPage={DELIVERIES_PAGE}
            countLabel={t('reports.log.count', { count: total })}
            onPage={setPage}
          />
        </>
      )}
    </Card>
  );
}
