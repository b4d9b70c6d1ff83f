// Pieces of a failure report shared by the logged-in form (a member's QR code or search) and the
// public portal (anyone, without an account): what happens (title, details, whether production
// is stopped), a titled section such as the photos, a photo shown before it is sent, the send
// button, and the number the author is given.
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Center,
  Image,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  ThemeIcon,
  Title,
  type CardProps,
  type MantineSpacing,
  type SwitchProps,
} from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { IconAlertOctagon, IconCircleCheck, IconSend, IconX } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A photo chosen on the device, shown before it is sent. */
export function LocalPhoto({
  file,
  onRemove,
  height = 96,
}: {
  file: File;
  onRemove: () => void;
  height?: number;
}) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const created = URL.createObjectURL(file);
    const frame = requestAnimationFrame(() => setUrl(created));
    return () => {
      cancelAnimationFrame(frame);
      URL.revokeObjectURL(created);
    };
  }, [file]);
  return (
    <Box pos="relative" data-testid="local-photo">
      <Box
        h={height}
        style={{
          borderRadius: 10,
          overflow: 'hidden',
          border: '1px solid var(--mantine-color-gray-3)',
        }}
      >
        {url ? <Image src={url} alt={file.name} h={height} fit="cover" /> : <Skeleton h={height} />}
      </Box>
      <ActionIcon
        pos="absolute"
        top={4}
        right={4}
        radius="xl"
        color="dark"
        variant="filled"
        size="md"
        onClick={onRemove}
        aria-label={t('requests.removePhoto', { name: file.name })}
      >
        <IconX size={16} />
      </ActionIcon>
    </Box>
  );
}

/** "Production is stopped", in red once on: the report then stops the machine. */
export function StoppedSwitch(props: Omit<SwitchProps, 'label' | 'size' | 'color'>) {
  const { t } = useTranslation();
  const stopped = Boolean(props.checked);
  return (
    <Card
      p="md"
      bg={stopped ? 'var(--mantine-color-red-0)' : undefined}
      style={{ borderColor: stopped ? 'var(--mantine-color-red-4)' : undefined }}
    >
      <Switch
        size="lg"
        color="red"
        label={t('requests.productionStoppedLabel')}
        styles={{
          label: { fontWeight: 600, fontSize: 'var(--mantine-font-size-md)', lineHeight: 1.35 },
        }}
        thumbIcon={
          stopped ? <IconAlertOctagon size={14} color="var(--mantine-color-red-7)" /> : undefined
        }
        {...props}
      />
    </Card>
  );
}

/**
 * What happens: the title (`titleLabel`), the details, what else the form asks (`children`, such
 * as the urgency), and whether production is stopped. The inputs' props come from the form's
 * `getInputProps`.
 */
export function WhatHappens({
  label,
  titleLabel,
  title,
  description,
  stopped,
  children,
}: {
  /** The section's accessible name. */
  label: string;
  titleLabel: string;
  title: GetInputPropsReturnType;
  description: GetInputPropsReturnType;
  /** From `getInputProps('production_stopped', { type: 'checkbox' })`. */
  stopped: GetInputPropsReturnType;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card component="section" aria-label={label}>
      <Stack gap="md">
        <TextInput
          label={titleLabel}
          labelProps={{ mb: 4 }}
          placeholder={t('requests.titlePlaceholder')}
          size="lg"
          required
          autoComplete="off"
          {...title}
        />
        <Textarea
          label={t('requests.description')}
          placeholder={t('requests.descriptionPlaceholder')}
          size="lg"
          autosize
          minRows={3}
          maxRows={8}
          {...description}
        />
        {children}
        <StoppedSwitch description={t('requests.productionStoppedHelp')} {...stopped} />
      </Stack>
    </Card>
  );
}

/** A section of a report named by its title (`titleId`), with a line of help under it. */
export function ReportSection({
  titleId,
  title,
  help,
  gap,
  children,
  ...card
}: Omit<CardProps, 'title'> & {
  titleId: string;
  title: string;
  help: string;
  gap: MantineSpacing;
  id?: string;
  children: ReactNode;
}) {
  return (
    <Card component="section" aria-labelledby={titleId} {...card}>
      <Stack gap={gap}>
        <div>
          <Text fw={600} id={titleId}>
            {title}
          </Text>
          <Text size="sm" c="dimmed">
            {help}
          </Text>
        </div>
        {children}
      </Stack>
    </Card>
  );
}

/** The report's send button, red when the report stops the machine. */
export function SendButton({
  busy,
  stopped,
  children,
}: {
  busy: boolean;
  stopped: boolean;
  children: ReactNode;
}) {
  return (
    <Button
      type="submit"
      size="xl"
      fullWidth
      loading={busy}
      leftSection={<IconSend size={22} />}
      color={stopped ? 'red' : undefined}
    >
      {children}
    </Button>
  );
}

/**
 * The receipt of a report: thanks, the number to quote, what else to say (`children`), the
 * machine, and whether the report stopped it and took photos.
 */
export function SentCard({
  title,
  text,
  number,
  equipment,
  stopped,
  photos,
  children,
}: {
  title: string;
  text: string;
  number: string;
  /** "CODE — Name" */
  equipment: string;
  /** Said when production is stopped. */
  stopped: string | null;
  /** Said when photos were sent. */
  photos: string | null;
  children?: ReactNode;
}) {
  return (
    <Card p="xl" ta="center">
      <ThemeIcon size={72} radius="xl" color="teal" variant="light" mx="auto" aria-hidden>
        <IconCircleCheck size={44} />
      </ThemeIcon>
      <Title order={2} mt="md" fz={24}>
        {title}
      </Title>
      <Text mt={6} c="dimmed">
        {text}
      </Text>
      <Center mt="md">
        <Badge
          size="xl"
          variant="light"
          ff="monospace"
          tt="none"
          className="badge-nowrap"
          data-testid="request-number"
        >
          {number}
        </Badge>
      </Center>
      {children}
      <Text size="sm" mt="md">
        {equipment}
      </Text>
      {stopped && (
        <Text size="sm" c="red.8" mt={4}>
          {stopped}
        </Text>
      )}
      {photos && (
        <Text size="sm" c="dimmed" mt={4}>
          {photos}
        </Text>
      )}
    </Card>
  );
}
