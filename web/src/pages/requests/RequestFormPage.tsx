// Reporting a failure, made for a phone held in one hand next to the machine: big targets,
// the equipment found by search (or already chosen by the QR code on it), photos straight from
// the camera, uploaded after the request is created with their progress and a retry.
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Input,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconList, IconPlus, IconTool } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { api, call, type Equipment, type Urgency, type WorkRequest } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useEquipment } from '../../api/queries';
import { useUploads } from '../../api/useUploads';
import { FilePickers, UploadList } from '../../components/Attachments';
import { EquipmentStatusBadge } from '../../components/badges';
import { EquipmentPicker } from '../../components/EquipmentPicker';
import { FormError } from '../../components/FormError';
import { PageHeader } from '../../components/PageHeader';
import {
  LocalPhoto,
  ReportSection,
  SendButton,
  SentCard,
  WhatHappens,
} from '../../components/ReportParts';
import { fieldMessage } from '../../i18n/messages';
import { rule, scrollToTop, useFormSubmit } from '../../lib/forms';
import { URGENCIES, URGENCY_COLOR, locationText } from '../../lib/maintenance';
import { checkName, checkOptionalText } from '../../lib/validation';

interface Values {
  equipment_id: string | null;
  title: string;
  description: string;
  urgency: Urgency;
  production_stopped: boolean;
}

function ChosenEquipment({ equipment, onChange }: { equipment: Equipment; onChange: () => void }) {
  const { t } = useTranslation();
  return (
    <Card p="md" bg="var(--mantine-color-gray-0)" data-testid="chosen-equipment">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
          <IconTool size={24} />
        </ThemeIcon>
        <div style={{ minWidth: 0, flex: 1 }}>
          <Text fw={600} lh={1.3} fz="lg">
            {equipment.name}
          </Text>
          <Text size="sm" ff="monospace" c="dimmed">
            {equipment.code}
          </Text>
          <Text size="sm" c="dimmed">
            {locationText(equipment)}
          </Text>
        </div>
      </Group>
      <Group justify="space-between" mt="sm" gap="sm">
        <EquipmentStatusBadge status={equipment.status} />
        <Button variant="light" size="sm" onClick={onChange}>
          {t('requests.changeEquipment')}
        </Button>
      </Group>
    </Card>
  );
}

function Confirmation({
  request,
  uploads,
  onAnother,
}: {
  request: WorkRequest;
  uploads: ReturnType<typeof useUploads>;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const done = uploads.items.filter((i) => i.status === 'done').length;
  return (
    <Stack gap="lg" maw={560} mx="auto" data-testid="request-confirmation">
      <SentCard
        title={t('requests.sentTitle')}
        text={t('requests.sentText')}
        number={request.number}
        equipment={`${request.equipment_code} — ${request.equipment_name}`}
        stopped={request.production_stopped ? t('requests.markedBroken') : null}
        photos={done > 0 ? t('requests.photosSent', { count: done }) : null}
      />
      <UploadList items={uploads.items} onRetry={uploads.retry} onDismiss={uploads.dismiss} />
      <Stack gap="sm">
        <Button component={Link} to={`/requests/${request.id}`} size="lg" variant="light" fullWidth>
          {t('requests.seeRequest')}
        </Button>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Button
            component={Link}
            to="/requests"
            size="lg"
            variant="default"
            leftSection={<IconList size={18} />}
          >
            {t('requests.myRequests')}
          </Button>
          <Button
            size="lg"
            variant="default"
            leftSection={<IconPlus size={18} />}
            onClick={onAnother}
          >
            {t('requests.another')}
          </Button>
        </SimpleGrid>
      </Stack>
    </Stack>
  );
}

function RequestForm({
  preset,
  onSent,
}: {
  preset: Equipment | null;
  onSent: (request: WorkRequest, photos: File[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [equipment, setEquipment] = useState<Equipment | null>(preset);
  const [picking, setPicking] = useState(preset === null);
  const [photos, setPhotos] = useState<File[]>([]);
  const form = useForm<Values>({
    initialValues: {
      equipment_id: preset?.id ?? null,
      title: '',
      description: '',
      urgency: 'normal',
      production_stopped: false,
    },
    validateInputOnBlur: ['title', 'description'],
    validate: {
      equipment_id: (v) => (v ? null : fieldMessage(i18n, { code: 'required' })),
      title: rule(i18n, (v: string) => checkName(v, 200)),
      description: rule(i18n, (v: string) => checkOptionalText(v, 5000)),
    },
  });

  const { busy, general, submit } = useFormSubmit(
    form,
    async (values: Values) => {
      const description = values.description.trim();
      const created = await call(
        api.POST('/requests', {
          body: {
            equipment_id: values.equipment_id ?? '',
            title: values.title.trim(),
            urgency: values.urgency,
            production_stopped: values.production_stopped,
            ...(description ? { description } : {}),
          },
        }),
      );
      await Promise.all(
        ['requests', 'tenant', 'equipment'].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      );
      onSent(created, photos);
    },
    scrollToTop,
  );

  const values = form.getValues();
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="lg" maw={640} mx="auto">
        <FormError message={general} />
        <Card component="section" aria-label={t('requests.equipment')}>
          <Stack gap="sm">
            {!picking && equipment ? (
              <>
                <Text fw={600} size="sm">
                  {t('requests.equipment')}
                </Text>
                <ChosenEquipment equipment={equipment} onChange={() => setPicking(true)} />
              </>
            ) : (
              <EquipmentPicker
                label={t('requests.equipment')}
                description={t('requests.equipmentHelp')}
                size="lg"
                required
                value={values.equipment_id}
                selected={equipment}
                onChange={(id, picked) => {
                  form.setFieldValue('equipment_id', id);
                  setEquipment(picked);
                  if (picked) setPicking(false);
                }}
                error={form.errors.equipment_id as string | undefined}
              />
            )}
          </Stack>
        </Card>
        <WhatHappens
          label={t('requests.whatHappens')}
          titleLabel={t('requests.titleLabel')}
          title={form.getInputProps('title')}
          description={form.getInputProps('description')}
          stopped={form.getInputProps('production_stopped', { type: 'checkbox' })}
        >
          <Input.Wrapper
            label={t('requests.urgency')}
            size="lg"
            labelElement="div"
            labelProps={{ id: 'urgency-label' }}
          >
            <SimpleGrid
              cols={{ base: 2, xs: 4 }}
              spacing="xs"
              mt={4}
              role="radiogroup"
              aria-labelledby="urgency-label"
            >
              {URGENCIES.map((u) => {
                const selected = values.urgency === u;
                return (
                  <Button
                    key={u}
                    role="radio"
                    aria-checked={selected}
                    size="lg"
                    variant={selected ? 'filled' : 'default'}
                    color={URGENCY_COLOR[u]}
                    onClick={() => form.setFieldValue('urgency', u)}
                  >
                    {t(`urgency.${u}`)}
                  </Button>
                );
              })}
            </SimpleGrid>
          </Input.Wrapper>
        </WhatHappens>
        <ReportSection
          titleId="photos-title"
          title={t('requests.photos')}
          help={t('requests.photosHelp')}
          gap="sm"
        >
          {photos.length > 0 && (
            <SimpleGrid cols={{ base: 3, xs: 4 }} spacing="sm">
              {photos.map((file, index) => (
                <LocalPhoto
                  key={`${file.name}-${index}`}
                  file={file}
                  onRemove={() => setPhotos((list) => list.filter((_, i) => i !== index))}
                />
              ))}
            </SimpleGrid>
          )}
          <FilePickers
            size="lg"
            fullWidth
            photosOnly
            onFiles={(files) => setPhotos((list) => [...list, ...files])}
          />
        </ReportSection>
        <SendButton busy={busy} stopped={values.production_stopped}>
          {t('requests.submit')}
        </SendButton>
      </Stack>
    </form>
  );
}

export default function RequestFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const preset = useEquipment(id ?? null);
  const [sent, setSent] = useState<WorkRequest | null>(null);
  const [round, setRound] = useState(0);
  const uploads = useUploads();

  const presetUnavailable =
    id !== undefined &&
    (isApiError(preset.error, 'not_found') || Boolean(preset.data?.archived_at));

  return (
    <>
      <PageHeader
        title={sent ? t('requests.sentHeader') : t('requests.newTitle')}
        description={sent ? undefined : t('requests.newDescription')}
      />
      {sent ? (
        <Confirmation
          request={sent}
          uploads={uploads}
          onAnother={() => {
            setSent(null);
            uploads.clearDone();
            setRound((r) => r + 1);
          }}
        />
      ) : id !== undefined && preset.isPending ? (
        <Stack maw={640} mx="auto">
          <Skeleton h={120} />
          <Skeleton h={260} />
        </Stack>
      ) : (
        <>
          {presetUnavailable && (
            <Alert color="orange" variant="light" maw={640} mx="auto" mb="lg">
              {t('requests.presetUnavailable')}{' '}
              <Anchor component={Link} to="/requests/new" size="sm">
                {t('requests.pickAnother')}
              </Anchor>
            </Alert>
          )}
          <RequestForm
            key={`${id ?? 'none'}-${round}`}
            preset={presetUnavailable ? null : (preset.data ?? null)}
            onSent={(request, photos) => {
              setSent(request);
              if (photos.length > 0) uploads.add(`/requests/${request.id}/attachments`, photos);
              window.scrollTo({ top: 0 });
            }}
          />
        </>
      )}
    </>
  );
}
