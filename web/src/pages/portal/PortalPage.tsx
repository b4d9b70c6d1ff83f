// The public request portal: the page a machine's QR code opens when its site opened the portal.
// Whoever stands next to the machine (a temp, a subcontractor, a driver) reports a failure from
// their phone without an account: what happens, whether production is stopped, a photo, and if
// they wish their name and how to reach them. They get the request's number back.
import {
  Anchor,
  Box,
  Button,
  Card,
  Group,
  Progress,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMapPin, IconPlus, IconQrcodeOff, IconTool } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import {
  sendPortalReport,
  usePortalEquipment,
  type PortalEquipment,
  type PortalReceipt,
} from '../../api/portal';
import { localRefusal } from '../../api/useUploads';
import { FilePickers } from '../../components/Attachments';
import { LanguageSwitch } from '../../components/AuthLayout';
import { FormError } from '../../components/FormError';
import { Logo } from '../../components/Logo';
import { QueryError } from '../../components/QueryError';
import {
  LocalPhoto,
  ReportSection,
  SendButton,
  SentCard,
  WhatHappens,
} from '../../components/ReportParts';
import { errorMessage, formErrors } from '../../i18n/messages';
import { rule } from '../../lib/forms';
import {
  PORTAL_LIMITS,
  machineUnavailable,
  portalErrorMessage,
  portalProblem,
  type PortalValues,
} from '../../lib/portal';
import { usePageTitle } from '../../lib/usePageTitle';
import { checkName, checkOptionalText } from '../../lib/validation';

const EMPTY: PortalValues = {
  title: '',
  description: '',
  production_stopped: false,
  reporter_name: '',
  reporter_contact: '',
};

/** The frame of the portal: no menu, the language switch, one narrow column for a phone. */
function PortalShell({ loginNext, children }: { loginNext: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box
      mih="100dvh"
      bg="var(--mantine-color-gray-0)"
      style={{ display: 'flex', flexDirection: 'column' }}
    >
      <Group justify="space-between" px="md" py="sm" w="100%" maw={640} mx="auto">
        <Logo />
        <LanguageSwitch />
      </Group>
      <Box component="main" px="md" pb="xl" w="100%" maw={640} mx="auto" style={{ flex: 1 }}>
        {children}
      </Box>
      <Text size="sm" c="dimmed" ta="center" pb="lg" px="md">
        {t('portal.member')}{' '}
        <Anchor component={Link} to={`/login?next=${encodeURIComponent(loginNext)}`} size="sm">
          {t('portal.login')}
        </Anchor>
      </Text>
    </Box>
  );
}

/** Which company, which site, which machine: what the person scanned. */
function MachineCard({ machine }: { machine: PortalEquipment }) {
  const { t } = useTranslation();
  return (
    <Card
      p="md"
      component="section"
      aria-label={t('portal.machine')}
      data-testid="portal-equipment"
    >
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.4} data-testid="portal-company">
        {machine.company_name}
      </Text>
      <Group gap="sm" wrap="nowrap" align="flex-start" mt={8}>
        <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
          <IconTool size={24} />
        </ThemeIcon>
        <Box style={{ minWidth: 0, flex: 1 }}>
          <Text fw={600} fz="lg" lh={1.3} style={{ overflowWrap: 'anywhere' }}>
            {machine.equipment_name}
          </Text>
          <Text size="sm" ff="monospace" c="dimmed">
            {machine.equipment_code}
          </Text>
          <Group gap={4} wrap="nowrap" mt={2}>
            <IconMapPin size={14} color="var(--mantine-color-dimmed)" aria-hidden />
            <Text size="sm" c="dimmed" truncate>
              {machine.site_name}
            </Text>
          </Group>
        </Box>
      </Group>
    </Card>
  );
}

/** The portal is closed here, or the machine unknown: one neutral answer, as the server's. */
function Unavailable() {
  const { t } = useTranslation();
  return (
    <Card p="xl" ta="center" mt="md" data-testid="portal-unavailable" role="status">
      <ThemeIcon size={64} radius="xl" color="gray" variant="light" mx="auto" aria-hidden>
        <IconQrcodeOff size={36} />
      </ThemeIcon>
      <Title order={1} fz={22} mt="md">
        {t('portal.unavailableTitle')}
      </Title>
      <Text mt="xs" c="dimmed">
        {t('portal.unavailableText')}
      </Text>
    </Card>
  );
}

interface Sent {
  receipt: PortalReceipt;
  stopped: boolean;
  photo: boolean;
}

function Receipt({
  machine,
  sent,
  onAnother,
}: {
  machine: PortalEquipment;
  sent: Sent;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" data-testid="portal-receipt">
      <SentCard
        title={t('portal.sentTitle')}
        text={t('portal.sentText')}
        number={sent.receipt.number}
        equipment={`${machine.equipment_code} — ${machine.equipment_name}`}
        stopped={sent.stopped ? t('portal.sentStopped') : null}
        photos={sent.photo ? t('portal.sentPhoto') : null}
      >
        <Text size="sm" mt="sm" c="dimmed">
          {t('portal.quote')}
        </Text>
      </SentCard>
      <Button
        size="lg"
        variant="default"
        fullWidth
        leftSection={<IconPlus size={18} />}
        onClick={onAnother}
      >
        {t('portal.another')}
      </Button>
    </Stack>
  );
}

function PortalForm({
  company,
  equipmentId,
  onSent,
  onClosed,
}: {
  company: string;
  equipmentId: string;
  onSent: (sent: Sent) => void;
  onClosed: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [photo, setPhoto] = useState<File | null>(null);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const form = useForm<PortalValues>({
    initialValues: EMPTY,
    validateInputOnBlur: ['title', 'description', 'reporter_name', 'reporter_contact'],
    validate: {
      title: rule(i18n, (v: string) => checkName(v, PORTAL_LIMITS.title)),
      description: rule(i18n, (v: string) => checkOptionalText(v, PORTAL_LIMITS.description)),
      reporter_name: rule(i18n, (v: string) => checkOptionalText(v, PORTAL_LIMITS.reporter_name)),
      reporter_contact: rule(i18n, (v: string) =>
        checkOptionalText(v, PORTAL_LIMITS.reporter_contact),
      ),
    },
  });

  /** The first field in error, in view and focused (a phone's screen shows little of the form). */
  const focusFirst = (fields: Record<string, unknown>) => {
    const first = (Object.keys(EMPTY) as Array<keyof PortalValues>).find((name) => fields[name]);
    if (first) form.getInputNode(first)?.focus();
  };

  const choosePhoto = (files: File[]) => {
    const file = files[0];
    if (!file) return;
    const refusal = localRefusal(file);
    setPhoto(refusal ? null : file);
    setPhotoError(refusal ? errorMessage(i18n, refusal) : null);
  };

  const submit = async (values: PortalValues) => {
    setBusy(true);
    setGeneral(null);
    setPhotoError(null);
    setProgress(photo ? 0 : null);
    try {
      const receipt = await sendPortalReport({
        company,
        equipmentId,
        values,
        photo,
        onProgress: photo ? setProgress : undefined,
      });
      onSent({ receipt, stopped: values.production_stopped, photo: photo !== null });
    } catch (error) {
      const problem = portalProblem(error);
      if (problem.kind === 'closed') {
        onClosed();
      } else if (problem.kind === 'photo') {
        setPhotoError(portalErrorMessage(i18n, error));
        document
          .getElementById('portal-photo')
          ?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      } else if (problem.kind === 'fields') {
        const { fields, general: rest } = formErrors(i18n, error, Object.keys(EMPTY));
        form.setErrors(fields);
        setGeneral(rest);
        focusFirst(fields);
      } else {
        setGeneral(portalErrorMessage(i18n, error));
      }
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const stopped = form.getValues().production_stopped;
  return (
    <form
      onSubmit={form.onSubmit((values) => void submit(values), focusFirst)}
      noValidate
      aria-label={t('portal.title')}
    >
      <Stack gap="lg">
        <WhatHappens
          label={t('portal.whatHappens')}
          titleLabel={t('portal.titleLabel')}
          title={form.getInputProps('title')}
          description={form.getInputProps('description')}
          stopped={form.getInputProps('production_stopped', { type: 'checkbox' })}
        />
        <ReportSection
          titleId="portal-photo-title"
          id="portal-photo"
          title={t('portal.photo')}
          help={t('portal.photoHelp')}
          gap="sm"
        >
          {photo ? (
            <Box maw={220}>
              <LocalPhoto
                file={photo}
                height={160}
                onRemove={() => {
                  setPhoto(null);
                  setPhotoError(null);
                }}
              />
            </Box>
          ) : (
            <FilePickers
              size="lg"
              fullWidth
              photosOnly
              single
              onFiles={choosePhoto}
              disabled={busy}
            />
          )}
          {photoError && (
            <Text size="sm" c="red.8" role="alert" data-testid="portal-photo-error">
              {photoError}
            </Text>
          )}
        </ReportSection>
        <ReportSection
          titleId="portal-you-title"
          title={t('portal.you')}
          help={t('portal.youHelp')}
          gap="md"
        >
          <TextInput
            label={t('portal.reporterName')}
            size="lg"
            autoComplete="name"
            {...form.getInputProps('reporter_name')}
          />
          <TextInput
            label={t('portal.reporterContact')}
            size="lg"
            autoComplete="tel"
            {...form.getInputProps('reporter_contact')}
          />
        </ReportSection>
        <FormError message={general} />
        <Stack gap={6}>
          <SendButton busy={busy} stopped={stopped}>
            {t('portal.submit')}
          </SendButton>
          {progress !== null && (
            <>
              <Progress value={progress * 100} size="sm" animated aria-hidden />
              <Text size="xs" c="dimmed" ta="center" aria-live="polite">
                {t('portal.sendingPhoto', { percent: Math.round(progress * 100) })}
              </Text>
            </>
          )}
        </Stack>
      </Stack>
    </form>
  );
}

export default function PortalPage() {
  const { t } = useTranslation();
  const { company = '', equipmentId = '' } = useParams();
  usePageTitle(t('portal.title'));
  const machine = usePortalEquipment(company, equipmentId);
  const [sent, setSent] = useState<Sent | null>(null);
  const [closed, setClosed] = useState(false);
  const [round, setRound] = useState(0);
  const loginNext = `/equipment/${equipmentId}/request`;

  const unavailable = closed || (machine.isError && machineUnavailable(machine.error));

  let body: ReactNode;
  if (unavailable) {
    body = <Unavailable />;
  } else if (machine.isError) {
    body = <QueryError error={machine.error} onRetry={() => void machine.refetch()} />;
  } else if (!machine.data) {
    body = (
      <Stack gap="lg" aria-busy>
        <Skeleton h={110} />
        <Skeleton h={320} />
      </Stack>
    );
  } else if (sent) {
    body = (
      <Stack gap="lg">
        <MachineCard machine={machine.data} />
        <Receipt
          machine={machine.data}
          sent={sent}
          onAnother={() => {
            setSent(null);
            setRound((r) => r + 1);
            window.scrollTo({ top: 0 });
          }}
        />
      </Stack>
    );
  } else {
    body = (
      <Stack gap="lg">
        <Box>
          <Title order={1} fz={26}>
            {t('portal.title')}
          </Title>
          <Text c="dimmed" mt={4}>
            {t('portal.intro')}
          </Text>
        </Box>
        <MachineCard machine={machine.data} />
        <PortalForm
          key={round}
          company={company}
          equipmentId={equipmentId}
          onSent={(report) => {
            setSent(report);
            window.scrollTo({ top: 0 });
          }}
          onClosed={() => setClosed(true)}
        />
      </Stack>
    );
  }
  return <PortalShell loginNext={loginNext}>{body}</PortalShell>;
}
