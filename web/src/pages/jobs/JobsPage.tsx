// The company's background jobs (preventive generation above all): administrators see a failure
// without asking the platform's operators, and see that all is well when nothing failed; the
// jobs waiting, running or done are a filter away.
import {
  Badge,
  Card,
  Code,
  Group,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCircleCheck, IconServerCog } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

import type { JobInfo, JobStatus } from '../../api/client';
import { PAGE_SIZE, useJobs } from '../../api/queries';
import { Empty } from '../../components/Empty';
import { ListFooter } from '../../components/ListFooter';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../../lib/format';
import { jobError } from '../../lib/jobs';
import { oneOf, useUrlParams } from '../../lib/useUrlParams';

/** What the page shows: jobs in one state (failed first: what needs looking at), or all. */
const SHOWS = ['failed', 'pending', 'running', 'done', 'all'] as const;
type Show = (typeof SHOWS)[number];
const statusOf = (show: Show): JobStatus | null => (show === 'all' ? null : show);

const STATUS_COLOR: Record<string, string> = {
  pending: 'gray',
  queued: 'blue',
  running: 'indigo',
  done: 'teal',
  failed: 'red',
  killed: 'dark',
};

function Queue({ job }: { job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const key = `jobs.queues.${job.queue}`;
  return (
    <Stack gap={0}>
      <Text size="sm" fw={500}>
        {i18n.exists(key) ? t(key) : job.queue}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {job.queue}
      </Text>
    </Stack>
  );
}

function Status({ job }: { job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const key = `jobs.statuses.${job.status}`;
  return (
    <Badge
      color={STATUS_COLOR[job.status] ?? 'gray'}
      variant="light"
      className="badge-nowrap"
      data-status={job.status}
    >
      {i18n.exists(key) ? t(key) : job.status}
    </Badge>
  );
}

function JobCard({ job }: { job: JobInfo }) {
  const { t, i18n } = useTranslation();
  const error = jobError(job);
  return (
    <Card p="md" data-testid="job">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Queue job={job} />
        <Status job={job} />
      </Group>
      <Text size="sm" mt="xs">
        {formatDateTime(job.run_at, i18n.language)} ·{' '}
        {t('jobs.attemptsValue', { attempts: job.attempts, max: job.max_attempts })}
      </Text>
      {error && (
        <Code block mt="xs" className="code-wrap" c="red.9">
          {error}
        </Code>
      )}
    </Card>
  );
}

export default function JobsPage() {
  const { t, i18n } = useTranslation();
  const compact = useMediaQuery('(max-width: 48em)');
  const { params, update, page } = useUrlParams();
  const show: Show = oneOf(params.get('show'), SHOWS) ?? 'failed';
  const jobs = useJobs(statusOf(show), page);
  const shows = SHOWS.map((s) => ({ value: s, label: t(`jobs.shows.${s}`) }));
  const choose = (value: string | null) =>
    update({ show: value === null || value === 'failed' ? null : value });
  const items = jobs.data?.items ?? [];
  const total = jobs.data?.total ?? 0;

  return (
    <>
      <PageHeader
        title={t('jobs.title')}
        description={t('jobs.description')}
        actions={
          compact ? (
            <Select
              aria-label={t('jobs.show')}
              data={shows}
              value={show}
              onChange={choose}
              allowDeselect={false}
              w={200}
            />
          ) : (
            <SegmentedControl
              aria-label={t('jobs.show')}
              data={shows}
              value={show}
              onChange={choose}
            />
          )
        }
      />
      {jobs.isError && <QueryError error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {jobs.isPending ? (
        <Card>
          <Stack gap="md">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} h={22} />
            ))}
          </Stack>
        </Card>
      ) : items.length === 0 && !jobs.isError ? (
        <Card data-testid="jobs-empty">
          {show === 'failed' ? (
            <Empty
              py={40}
              color="teal"
              icon={<IconCircleCheck size={30} />}
              title={t('jobs.allGood')}
              description={t('jobs.allGoodText')}
            />
          ) : show === 'all' ? (
            <Empty
              py={40}
              icon={<IconServerCog size={30} />}
              title={t('jobs.empty')}
              description={t('jobs.emptyText')}
            />
          ) : (
            <Empty
              py={40}
              icon={<IconServerCog size={30} />}
              title={t(`jobs.none.${show}`)}
              description={t('jobs.noneText')}
            />
          )}
        </Card>
      ) : compact ? (
        <Stack gap="sm">
          {items.map((job) => (
            <JobCard key={job.id} job={job} />
          ))}
        </Stack>
      ) : (
        <Card p={0}>
          <Table.ScrollContainer minWidth={860} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('jobs.runAt')}</Table.Th>
                  <Table.Th>{t('jobs.queue')}</Table.Th>
                  <Table.Th>{t('jobs.status')}</Table.Th>
                  <Table.Th>{t('jobs.attempts')}</Table.Th>
                  <Table.Th>{t('jobs.lastError')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((job) => {
                  const error = jobError(job);
                  return (
                    <Table.Tr key={job.id} data-testid="job">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Text size="sm">{formatDateTime(job.run_at, i18n.language)}</Text>
                        {job.done_at && (
                          <Text size="xs" c="dimmed">
                            {t('jobs.doneAt')} {formatDateTime(job.done_at, i18n.language)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Queue job={job} />
                      </Table.Td>
                      <Table.Td>
                        <Status job={job} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Text size="sm">
                          {t('jobs.attemptsValue', {
                            attempts: job.attempts,
                            max: job.max_attempts,
                          })}
                        </Text>
                      </Table.Td>
                      <Table.Td maw={420}>
                        {error ? (
                          <Text size="sm" c="red.9" className="code-wrap" lineClamp={4}>
                            {error}
                          </Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <ListFooter
        total={total}
        page={page}
        perPage={PAGE_SIZE}
        countLabel={t('jobs.count', { count: total })}
        onPage={(p) => update({ page: String(p) })}
      />
    </>
  );
}
