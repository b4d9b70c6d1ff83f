// Pieces of a failure report shared by the logged-in form (a member's QR code or search) and the
// public portal (anyone, without an account): a photo shown before it is sent, the "production
// is stopped" switch, and the number the author is given.
import {
  ActionIcon,
  Badge,
  Box,
  Card,
  Center,
  Image,
  Skeleton,
  Switch,
  Text,
  ThemeIcon,
  Title,
  type SwitchProps,
} from '@mantine/core';
import { IconAlertOctagon, IconCircleCheck, IconX } from '@tabler/icons-react';
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

/** The receipt of a report: thanks, and the number to quote. */
export function SentCard({
  title,
  text,
  number,
  children,
}: {
  title: string;
  text: string;
  number: string;
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
    </Card>
  );
}
